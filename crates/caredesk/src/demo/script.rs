//! What the demo's simulated customers say: a small cast of names, the care messages people
//! open with, and the follow-ups of customers whose case is already in the desk's hands.

use rand::seq::SliceRandom;
use rand::Rng;

/// The people who write to the brand.
pub const CAST: [&str; 10] = [
    "Hannah Weber",
    "Lucas Martin",
    "Aisha Khan",
    "Diego Ramos",
    "Emma Johansson",
    "Kofi Mensah",
    "Sofia Rossi",
    "Yuki Tanaka",
    "Liam Byrne",
    "Fatima Zahra",
];

/// First messages: the usual care topics, and the odd compliment.
const OPENERS: [&str; 12] = [
    "My parcel was due on Monday and still hasn't arrived. Order NW-2210.",
    "The grinder I ordered arrived with a cracked lid. What can I do?",
    "I sent my order back two weeks ago, when will I get my refund?",
    "I was charged twice for my subscription this month.",
    "Can I still change the delivery address of my order?",
    "Got the wrong beans in my box: ordered decaf, got espresso roast.",
    "The tracking link in your e-mail doesn't work.",
    "How do I pause my subscription while I'm on holiday?",
    "Is the Ethiopia single origin coming back in stock?",
    "The bag of beans was open when it arrived, is that normal?",
    "Your oat milk latte is the best in town, thank you!",
    "Thanks for the quick help last week, the new machine works great.",
];

/// What people write once the desk knows about them.
const FOLLOW_UPS: [&str; 8] = [
    "Any news on this?",
    "Still waiting, could someone get back to me please?",
    "My order number is NW-3318, if that helps.",
    "I sent a photo of the damage, did you get it?",
    "It finally arrived today, but the box was soaked.",
    "Thanks, that sorted it!",
    "Sorry, one more question: can I get the refund as store credit instead?",
    "Hello? It's been two days now.",
];

fn pick<R: Rng + ?Sized>(rng: &mut R, lines: &[&'static str]) -> &'static str {
    lines.choose(rng).copied().unwrap_or_default()
}

/// A first message.
pub fn opener<R: Rng + ?Sized>(rng: &mut R) -> &'static str {
    pick(rng, &OPENERS)
}

/// A follow-up message.
pub fn follow_up<R: Rng + ?Sized>(rng: &mut R) -> &'static str {
    pick(rng, &FOLLOW_UPS)
}

/// A name from the cast.
pub fn someone<R: Rng + ?Sized>(rng: &mut R) -> &'static str {
    pick(rng, &CAST)
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn every_line_fits_a_post_on_x() {
        let longest = OPENERS
            .iter()
            .chain(FOLLOW_UPS.iter())
            .map(|line| line.chars().count())
            .max()
            .unwrap_or_default();
        assert!(longest + "@northwind ".len() <= 280);
    }

    #[test]
    fn picks_come_from_the_lists() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for _ in 0..20 {
            assert!(OPENERS.contains(&opener(&mut rng)));
            assert!(FOLLOW_UPS.contains(&follow_up(&mut rng)));
            assert!(CAST.contains(&someone(&mut rng)));
        }
    }
}
