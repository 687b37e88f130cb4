use proptest::prelude::*;

use super::*;

fn terms(q: &str) -> SearchTerms {
    SearchTerms::parse(q).expect("a query")
}

#[test]
fn queries_are_read_as_folded_words_and_maybe_a_case_number() {
    let table: [(&str, &[&str], Option<i64>); 7] = [
        ("Crème brûlée", &["creme", "brulee"], None),
        ("  parcel,where?  ", &["parcel", "where"], None),
        ("#1234", &["1234"], Some(1234)),
        ("1234", &["1234"], Some(1234)),
        ("ann@example.com", &["ann", "example", "com"], None),
        ("ÅNGSTRÖM", &["angstrom"], None),
        ("#0", &["0"], None),
    ];
    for (q, words, number) in table {
        let t = terms(q);
        assert_eq!(t.words, words, "{q}");
        assert_eq!(t.number, number, "{q}");
    }
}

#[test]
fn a_query_too_short_too_long_or_without_words_is_refused() {
    for q in ["", " ", "a", " é ", "?!", &"x".repeat(MAX_QUERY_CHARS + 1)] {
        assert!(
            matches!(SearchTerms::parse(q), Err(Refusal::Validation(_))),
            "{q:?}"
        );
    }
    let many = "a1 b2 c3 d4 e5 f6 g7 h8 i9 j10";
    assert_eq!(terms(many).words.len(), MAX_WORDS);
}

#[test]
fn every_word_matches_whole_and_the_last_as_a_prefix() {
    let t = terms("late parc");
    let table = [
        ("late", true),
        ("parcel", true),
        ("parc", true),
        ("later", false),
        ("par", false),
    ];
    for (word, matches) in table {
        assert_eq!(t.matches(word), matches, "{word}");
    }
}

#[test]
fn a_text_holds_the_query_when_it_has_every_word_and_the_last_as_a_prefix() {
    let t = terms("Late PARC");
    let table = [
        ("My parcel is late", true),
        ("LATE — parcels, again", true),
        ("Crème: late parc", true),
        ("My parcel is later", false),
        ("late, but no package", false),
        ("apparcel late", false),
        ("", false),
    ];
    for (text, found) in table {
        assert_eq!(t.found_in(text), found, "{text}");
    }
    assert!(
        terms("crème").found_in("Creme brulee"),
        "accents are ignored"
    );
}

#[test]
fn a_snippet_marks_the_matching_words_by_character_offsets() {
    let t = terms("crème parc");
    let s = snippet("Où est mon parcel? La Crème arrived.", &t);
    assert_eq!(s.text, "Où est mon parcel? La Crème arrived.");
    let marked: Vec<String> = s
        .highlights
        .iter()
        .map(|[a, b]| s.text.chars().skip(*a).take(b - a).collect())
        .collect();
    assert_eq!(marked, ["parcel", "Crème"]);
}

#[test]
fn a_long_text_is_cut_around_the_first_match() {
    let text = format!(
        "{} refund please {}",
        "word ".repeat(100),
        "tail ".repeat(100)
    );
    let s = snippet(&text, &terms("refund"));
    assert!(
        s.text.starts_with('…') && s.text.ends_with('…'),
        "{}",
        s.text
    );
    assert!(s.text.chars().count() <= SNIPPET_CHARS + 2);
    assert_eq!(s.highlights.len(), 1);
    let [a, b] = s.highlights[0];
    let marked: String = s.text.chars().skip(a).take(b - a).collect();
    assert_eq!(marked, "refund");
}

proptest! {
    #[test]
    fn highlights_always_fall_on_matching_words_inside_the_snippet(
        text in "\\PC{0,400}",
        query in "[a-zA-Zéü ]{2,20}",
    ) {
        if let Ok(t) = SearchTerms::parse(&query) {
            let s = snippet(&text, &t);
            let len = s.text.chars().count();
            for [a, b] in s.highlights {
                prop_assert!(a < b && b <= len);
                let word: String = s.text.chars().skip(a).take(b - a).collect();
                prop_assert!(t.matches(&fold(&word)), "{word}");
            }
        }
    }
}

#[test]
fn care_users_search_everything_and_community_users_their_items() {
    use super::SearchKind::*;
    use crate::testkit::*;
    let table = [
        (agent(), None, Ok(Cases)),
        (supervisor(), Some(Messages), Ok(Messages)),
        (admin(), Some(Customers), Ok(Customers)),
        (agent(), Some(CommunityItems), Ok(CommunityItems)),
        (community_agent(), None, Ok(CommunityItems)),
        (community_agent(), Some(CommunityItems), Ok(CommunityItems)),
        (community_agent(), Some(Cases), Err("forbidden")),
        (community_agent(), Some(Customers), Err("forbidden")),
        (deactivated(agent()), None, Err("forbidden")),
    ];
    for (user, asked, expected) in table {
        let got = check_search(&user, asked).map_err(|r| r.code());
        assert_eq!(got, expected, "{:?} asking {asked:?}", user.role);
    }
}
