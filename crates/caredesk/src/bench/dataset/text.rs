//! Words for the data set: people's names and what customers and agents write, picked by index
//! so that rows read like a desk's traffic at the lengths real messages have.

use super::mix;

const FIRST: [&str; 24] = [
    "Ann", "Ben", "Chloe", "David", "Emma", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kara",
    "Liam", "Maya", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera",
    "Wei", "Yara",
];

const LAST: [&str; 20] = [
    "Andersen", "Baker", "Costa", "Dubois", "Evans", "Fischer", "Garcia", "Haddad", "Ivanova",
    "Jensen", "Kowalski", "Lopez", "Moreau", "Nakamura", "Okafor", "Petrov", "Rossi", "Schmidt",
    "Tanaka", "Weber",
];

const ASKS: [&str; 12] = [
    "My order still has not arrived and the tracking page has not moved for days.",
    "The beans I received are not the roast I ordered, can you swap them?",
    "I was charged twice for the same subscription this month.",
    "Your store page says in stock but checkout says unavailable.",
    "The grinder stopped working after two weeks, what are my options?",
    "Can I change the delivery address on an order that already shipped?",
    "The discount code from your newsletter is rejected at checkout.",
    "I returned the kettle a month ago and the refund is still not there.",
    "Is the decaf blend safe to order for someone with a nut allergy?",
    "The parcel arrived damaged, the bag of coffee split open.",
    "How do I cancel my subscription before the next shipment?",
    "Thanks for the quick help last time, one more question about my account.",
];

const ANSWERS: [&str; 10] = [
    "Sorry about that! Could you send us your order number so we can look into it?",
    "Thanks for your patience, I have asked the warehouse and will update you today.",
    "I have refunded the duplicate charge; it shows on your statement in 3 to 5 days.",
    "A replacement is on its way, you will get a tracking link by e-mail shortly.",
    "I have updated the address; the carrier confirms the change for tomorrow.",
    "The code works again, please try once more and tell us if it fails.",
    "Your refund was issued this morning, sorry it took longer than it should.",
    "Our decaf is made in a nut-free facility, the full list is on the label.",
    "Done: your subscription is cancelled and no further shipment will leave.",
    "Happy to help! Is there anything else we can do for you today?",
];

/// The name of customer `k`.
pub fn name(k: u64) -> String {
    let h = mix(k ^ 0x6e61_6d65);
    let first = FIRST[usize::try_from(h % 24).unwrap_or(0)];
    let last = LAST[usize::try_from((h >> 16) % 20).unwrap_or(0)];
    format!("{first} {last}")
}

/// A customer's message; `n` varies it.
pub fn ask(n: u64) -> String {
    let h = mix(n);
    let line = ASKS[usize::try_from(h % 12).unwrap_or(0)];
    format!("{line} Order NW-{:06}", (h >> 20) % 1_000_000)
}

/// An agent's answer; `n` varies it.
pub fn answer(n: u64) -> &'static str {
    ANSWERS[usize::try_from(mix(n ^ 0x616e_7377) % 10).unwrap_or(0)]
}

#[cfg(test)]
mod tests {
    #[test]
    fn words_are_stable_for_an_index() {
        assert_eq!(super::name(7), super::name(7));
        assert_eq!(super::ask(3), super::ask(3));
        assert!(super::ask(3).contains("Order NW-"));
    }
}
