//! A user's time zone (PRODUCT.md §12 "Times"): an IANA name such as `Europe/Paris`, checked
//! against the time-zone database compiled into the binary (so every node and every machine
//! agrees on which names exist), or none, meaning the browser's own zone.
//!
//! The API keeps every instant in UTC; a zone only changes how the web app writes times.

use serde::{Deserialize, Serialize};

use crate::Refusal;

/// A known IANA time-zone name, spelled as the database spells it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TimeZoneName(String);

impl TimeZoneName {
    /// Checks `name` against the time-zone database (case is ignored; the database's spelling
    /// is kept). An unknown or empty name is refused naming `time_zone`.
    pub fn parse(name: &str) -> Result<Self, Refusal> {
        let trimmed = name.trim();
        let unknown = || {
            Refusal::invalid(format!(
                "time_zone: {trimmed:?} is not a known IANA time zone (such as \"Europe/Paris\")"
            ))
        };
        if trimmed.is_empty() || trimmed.len() > 100 {
            return Err(unknown());
        }
        let zone = jiff::tz::db().get(trimmed).map_err(|_| unknown())?;
        let spelled = zone.iana_name().unwrap_or(trimmed);
        Ok(TimeZoneName(spelled.to_owned()))
    }

    /// A name read back from storage, where only checked names are written.
    pub fn stored(name: String) -> Self {
        TimeZoneName(name)
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TimeZoneName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Every zone a user may choose, sorted by name (the profile page's list). Only names with a
/// region (`Europe/Paris`, not `EST5EDT`) and `UTC` are offered; the others still parse.
pub fn offered_names() -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|name| name.as_str().to_owned())
        .filter(|name| name == "UTC" || is_regional(name))
        .collect();
    names.sort();
    names.dedup();
    names
}

fn is_regional(name: &str) -> bool {
    const REGIONS: [&str; 10] = [
        "Africa/",
        "America/",
        "Antarctica/",
        "Arctic/",
        "Asia/",
        "Atlantic/",
        "Australia/",
        "Europe/",
        "Indian/",
        "Pacific/",
    ];
    REGIONS.iter().any(|r| name.starts_with(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_zones_are_accepted_in_the_databases_spelling_and_others_refused() {
        let table = [
            ("Europe/Paris", Some("Europe/Paris")),
            ("  America/New_York ", Some("America/New_York")),
            ("europe/berlin", Some("Europe/Berlin")),
            ("Asia/Kolkata", Some("Asia/Kolkata")),
            ("UTC", Some("UTC")),
            ("Mars/Olympus_Mons", None),
            ("Europe/Pariss", None),
            ("", None),
            ("   ", None),
            ("+02:00", None),
            ("../../etc/passwd", None),
        ];
        for (given, expected) in table {
            let parsed = TimeZoneName::parse(given);
            assert_eq!(
                parsed.as_ref().ok().map(TimeZoneName::as_str),
                expected,
                "{given:?}"
            );
            if let Err(refusal) = parsed {
                assert!(matches!(refusal, Refusal::Validation(_)), "{refusal:?}");
                assert!(refusal.to_string().starts_with("time_zone:"), "{refusal}");
            }
        }
    }

    #[test]
    fn the_offered_list_is_sorted_and_every_name_in_it_parses() {
        let names = offered_names();
        assert!(names.len() > 300, "{}", names.len());
        assert!(names.windows(2).all(|w| w[0] < w[1]));
        for name in [
            "UTC",
            "Europe/Paris",
            "Pacific/Auckland",
            "America/Sao_Paulo",
        ] {
            assert!(names.iter().any(|n| n == name), "{name}");
        }
        assert!(!names.iter().any(|n| n == "EST5EDT"));
        for name in &names {
            assert_eq!(
                TimeZoneName::parse(name).map(|z| z.to_string()).ok(),
                Some(name.clone())
            );
        }
    }

    #[test]
    fn it_is_written_as_its_name_in_json() {
        let zone = TimeZoneName::parse("Asia/Tokyo").expect("known");
        assert_eq!(
            serde_json::to_string(&zone).expect("json"),
            "\"Asia/Tokyo\""
        );
    }
}
