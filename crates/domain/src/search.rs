//! Search (PRODUCT.md §12 "Search everything"): what a query means and how a hit is shown.
//! A query is its words (letters and digits; everything else separates them), matched in any
//! order, case and accents ignored, the last word as a prefix; a query of digits (with or
//! without `#`) also names a case number. A hit is shown as a snippet of its text around the
//! first matching word, with the matching words' places as character offsets: the desk never
//! builds HTML from customer text.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::macros::word_enum;
use crate::refusal::Refusal;
use crate::user::User;

word_enum! {
    /// What a search looks for.
    pub enum SearchKind {
        /// Cases: by number, by their customer, by the text of their messages and notes.
        Cases => "cases",
        /// Customers: by name, handle, e-mail or phone.
        Customers => "customers",
        /// Messages (and, for Care users, notes).
        Messages => "messages",
        /// Community items, by the text of their messages.
        CommunityItems => "community_items",
    }
}

/// What `user` may search for, and what they get when they name nothing: Care users search
/// cases (the default), customers, messages and Community items; everyone else Community
/// items only. Inactive users search nothing (403).
pub fn check_search(user: &User, asked: Option<SearchKind>) -> Result<SearchKind, Refusal> {
    if !user.active {
        return Err(Refusal::Forbidden("search is for active users"));
    }
    match (user.has_care_access(), asked) {
        (true, asked) => Ok(asked.unwrap_or(SearchKind::Cases)),
        (false, None | Some(SearchKind::CommunityItems)) => Ok(SearchKind::CommunityItems),
        (false, Some(_)) => Err(Refusal::Forbidden(
            "Community users search Community items only",
        )),
    }
}

/// The fewest characters a query may have.
pub const MIN_QUERY_CHARS: usize = 2;

/// The most characters a query may have.
pub const MAX_QUERY_CHARS: usize = 200;

/// The most words a query keeps (the rest are dropped).
pub const MAX_WORDS: usize = 8;

/// Characters of text a snippet shows.
pub const SNIPPET_CHARS: usize = 160;

/// What a search looks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchTerms {
    /// The words, folded (lower case, accents removed), in the order typed; the last one
    /// matches as a prefix.
    pub words: Vec<String>,
    /// The case number the query names, when it is one (`1234` or `#1234`).
    pub number: Option<i64>,
}

impl SearchTerms {
    /// Reads a query: 422 when it has fewer than [`MIN_QUERY_CHARS`] characters, more than
    /// [`MAX_QUERY_CHARS`], or no letter or digit.
    pub fn parse(query: &str) -> Result<SearchTerms, Refusal> {
        let trimmed = query.trim();
        let chars = trimmed.chars().count();
        if chars < MIN_QUERY_CHARS {
            return Err(Refusal::invalid(format!(
                "q: at least {MIN_QUERY_CHARS} characters"
            )));
        }
        if chars > MAX_QUERY_CHARS {
            return Err(Refusal::invalid(format!(
                "q: at most {MAX_QUERY_CHARS} characters"
            )));
        }
        let words: Vec<String> = words_of(&fold(trimmed))
            .into_iter()
            .take(MAX_WORDS)
            .collect();
        if words.is_empty() {
            return Err(Refusal::invalid("q: no letter or digit to look for"));
        }
        let number = trimmed
            .strip_prefix('#')
            .unwrap_or(trimmed)
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0);
        Ok(SearchTerms { words, number })
    }

    /// Whether `word` (folded) matches one of the terms: equal to one, or starting with the
    /// last (the prefix).
    pub fn matches(&self, word: &str) -> bool {
        let last = self.words.len().saturating_sub(1);
        self.words
            .iter()
            .enumerate()
            .any(|(i, term)| word == term || (i == last && word.starts_with(term.as_str())))
    }
}

impl SearchTerms {
    /// Whether `text` holds every word: each but the last as a whole word, the last as the
    /// start of a word (case and accents ignored). An index that finds rows by a shorter
    /// prefix of the last word checks each row with this.
    pub fn found_in(&self, text: &str) -> bool {
        let Some((last, rest)) = self.words.split_last() else {
            return false;
        };
        let words = words_of(&fold(text));
        rest.iter().all(|term| words.iter().any(|w| w == term))
            && words.iter().any(|w| w.starts_with(last.as_str()))
    }
}

/// Lower case with accents removed (`Crème` → `creme`), as the indexes compare words.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of a text: runs of letters and digits.
fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A part of a text to show, with the matching words' places in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    /// The text shown (`…` marks a cut).
    pub text: String,
    /// `[start, end)` character offsets of each matching word in `text`.
    pub highlights: Vec<[usize; 2]>,
}

/// The snippet of `text` for `terms`: about [`SNIPPET_CHARS`] characters starting a little
/// before the first matching word, with every matching word in it marked.
pub fn snippet(text: &str, terms: &SearchTerms) -> Snippet {
    let chars: Vec<char> = text.chars().collect();
    let spans = word_spans(&chars);
    let matching: Vec<(usize, usize)> = spans
        .into_iter()
        .filter(|(start, end)| {
            terms.matches(&fold(&chars[*start..*end].iter().collect::<String>()))
        })
        .collect();
    let first = matching.first().map_or(0, |(start, _)| *start);
    let mut from = first.saturating_sub(SNIPPET_CHARS / 4);
    if chars.len().saturating_sub(from) < SNIPPET_CHARS {
        from = chars.len().saturating_sub(SNIPPET_CHARS);
    }
    // Start at a word's beginning.
    while from > 0 && from < chars.len() && chars[from - 1].is_alphanumeric() {
        from -= 1;
    }
    let to = (from + SNIPPET_CHARS).min(chars.len());
    let lead = usize::from(from > 0);
    let mut shown: String = if from > 0 {
        "…".into()
    } else {
        String::new()
    };
    shown.extend(&chars[from..to]);
    if to < chars.len() {
        shown.push('…');
    }
    let highlights = matching
        .into_iter()
        .filter(|(start, end)| *start >= from && *end <= to)
        .map(|(start, end)| [start - from + lead, end - from + lead])
        .collect();
    Snippet {
        text: shown,
        highlights,
    }
}

/// The `[start, end)` character spans of the words of `chars`.
fn word_spans(chars: &[char]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in chars.iter().enumerate() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, chars.len()));
    }
    spans
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
