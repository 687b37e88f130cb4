//! The SOQL the client sends and the values it puts into URLs, built without I/O: the user's
//! search text escaped for a string literal inside `LIKE` ([`escape_like`]), Salesforce ids
//! checked before they reach a URL or a query ([`is_salesforce_id`]), and the `nextRecordsUrl`
//! paths a caller may hand back ([`is_next_records_path`]).

use std::fmt::Write as _;

use caredesk_app::salesforce::SearchObject;
use reqwest::Url;

/// How many records a search asks for.
pub const SEARCH_LIMIT: usize = 200;

/// `text` as the inside of a SOQL string literal used with `LIKE`, matching itself and nothing
/// else: the quote, the backslash and the `LIKE` wildcards `%` and `_` are escaped, and so are
/// the characters SOQL has escape sequences for (`"`, new line, carriage return, tab, bell, form
/// feed); any other control character becomes `\uXXXX`.
pub fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '%' => out.push_str("\\%"),
            '_' => out.push_str("\\_"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c.is_control() => {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// Whether `id` looks like a Salesforce record id: 15 or 18 ASCII letters and digits.
pub fn is_salesforce_id(id: &str) -> bool {
    matches!(id.len(), 15 | 18) && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The API name of what a search looks in.
pub(crate) fn object_name(object: SearchObject) -> &'static str {
    match object {
        SearchObject::Account => "Account",
        SearchObject::Contact => "Contact",
    }
}

/// The query for records of `object` whose `Name` contains `name`, by name.
pub fn search_soql(object: SearchObject, name: &str) -> String {
    format!(
        "SELECT Id, Name FROM {} WHERE Name LIKE '%{}%' ORDER BY Name LIMIT {SEARCH_LIMIT}",
        object_name(object),
        escape_like(name.trim()),
    )
}

/// The query for the state of these Cases; every id must have passed [`is_salesforce_id`].
pub fn cases_soql(ids: &[&str]) -> String {
    let list: Vec<String> = ids.iter().map(|id| format!("'{id}'")).collect();
    format!(
        "SELECT Id, CaseNumber, Status FROM Case WHERE Id IN ({})",
        list.join(", ")
    )
}

/// The `query` resource under `data_base` (`…/services/data/v62.0/`) with `soql` as its
/// URL-encoded `q` parameter.
pub(crate) fn query_url(data_base: &Url, soql: &str) -> Option<Url> {
    let mut url = data_base.join("query").ok()?;
    url.query_pairs_mut().append_pair("q", soql);
    Some(url)
}

/// Whether `path` may be fetched as a `nextRecordsUrl`: an absolute path under
/// `/services/data/` of letters, digits, `/`, `.`, `-` and `_` only, so the call stays on the
/// session's instance with nothing but the path a caller handed back.
pub fn is_next_records_path(path: &str) -> bool {
    path.starts_with("/services/data/")
        && !path.contains("//")
        && !path.contains("..")
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'-' | b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_escaped_for_a_like_literal() {
        let table = [
            ("Acme Ltd", "Acme Ltd"),
            (r"O'Brien \ %_", r"O\'Brien \\ \%\_"),
            ("50% off_sale", r"50\% off\_sale"),
            (r#"say "hi""#, r#"say \"hi\""#),
            ("two\nlines\tand\rmore", r"two\nlines\tand\rmore"),
            ("bell\u{8}feed\u{c}", r"bell\bfeed\f"),
            ("nul\u{0}esc\u{1b}", r"nul\u0000esc\u001b"),
            (r"\'", r"\\\'"),
            ("Zoë & Søn", "Zoë & Søn"),
            ("", ""),
        ];
        for (text, escaped) in table {
            assert_eq!(escape_like(text), escaped, "{text:?}");
        }
    }

    #[test]
    fn an_escaped_text_never_ends_the_literal() {
        for text in [r"'", r"\'", r"\\'", r"a\", "' OR Name LIKE '%"] {
            let escaped = escape_like(text);
            let mut chars = escaped.chars();
            while let Some(c) = chars.next() {
                assert_ne!(c, '\'', "bare quote in {escaped:?}");
                if c == '\\' {
                    assert!(chars.next().is_some(), "dangling backslash in {escaped:?}");
                }
            }
        }
    }

    #[test]
    fn searches_ask_for_a_contained_name_by_name() {
        assert_eq!(
            search_soql(SearchObject::Account, r" O'Brien \ %_ "),
            r"SELECT Id, Name FROM Account WHERE Name LIKE '%O\'Brien \\ \%\_%' ORDER BY Name LIMIT 200"
        );
        assert_eq!(
            search_soql(SearchObject::Contact, "Jane"),
            "SELECT Id, Name FROM Contact WHERE Name LIKE '%Jane%' ORDER BY Name LIMIT 200"
        );
    }

    #[test]
    fn the_query_travels_url_encoded() {
        let base = Url::parse("https://acme.my.salesforce.com/services/data/v62.0/").expect("base");
        let url =
            query_url(&base, &search_soql(SearchObject::Account, r"O'Brien \ %_")).expect("url");
        assert_eq!(
            url.as_str(),
            "https://acme.my.salesforce.com/services/data/v62.0/query?q=SELECT+Id%2C+Name+FROM+\
             Account+WHERE+Name+LIKE+%27%25O%5C%27Brien+%5C%5C+%5C%25%5C_%25%27+ORDER+BY+Name+\
             LIMIT+200"
        );
        let q: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(
            q,
            [(
                "q".to_owned(),
                r"SELECT Id, Name FROM Account WHERE Name LIKE '%O\'Brien \\ \%\_%' ORDER BY Name LIMIT 200"
                    .to_owned()
            )]
        );
    }

    #[test]
    fn ids_are_fifteen_or_eighteen_letters_and_digits() {
        let table = [
            ("5005g00000QwErT", true),
            ("5005g00000QwErTAAV", true),
            ("0015g00000AbCdEAAZ", true),
            ("5005g00000QwEr", false),
            ("5005g00000QwErTA", false),
            ("5005g00000QwErTAAVX", false),
            ("5005g00000QwE'T", false),
            ("5005g00000QwErTA/V", false),
            ("5005g00000QwErTAA ", false),
            ("5005g00000QwÉrT", false),
            ("", false),
        ];
        for (id, ok) in table {
            assert_eq!(is_salesforce_id(id), ok, "{id:?}");
        }
    }

    #[test]
    fn case_queries_list_the_ids() {
        assert_eq!(
            cases_soql(&["5005g00000QwErTAAV", "5005g00000QwErU"]),
            "SELECT Id, CaseNumber, Status FROM Case WHERE Id IN ('5005g00000QwErTAAV', \
             '5005g00000QwErU')"
        );
    }

    #[test]
    fn next_records_paths_stay_under_the_data_api() {
        let table = [
            ("/services/data/v62.0/query/01gD0000002HU6KIAW-2000", true),
            (
                "/services/data/v62.0/query/01gD0000002HU6KIAW-2000?x=1",
                false,
            ),
            ("https://evil.example/services/data/v62.0/query/x", false),
            ("//evil.example/services/data/v62.0/query/x", false),
            ("/services/data/../../oauth2/token", false),
            ("/services/data//evil", false),
            ("/services/apexrest/x", false),
            ("/services/data/v62.0/query/a b", false),
            ("/services/data/v62.0/query/a@b", false),
            ("", false),
        ];
        for (path, ok) in table {
            assert_eq!(is_next_records_path(path), ok, "{path:?}");
        }
    }
}
