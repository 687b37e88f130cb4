//! The configuration: the sample, redaction and the defaults that follow the backend.

use super::*;

#[test]
fn the_sample_parses_to_the_defaults() {
    let parsed: Config = Figment::from(Toml::string(SAMPLE))
        .extract()
        .expect("sample parses");
    assert_eq!(format!("{parsed:?}"), format!("{:?}", Config::default()));
}

#[test]
fn database_passwords_are_redacted() {
    assert_eq!(
        redact_url("postgres://care:s3cret@db:5432/care"),
        "postgres://care:***@db:5432/care"
    );
    assert_eq!(redact_url("sqlite:///tmp/x.db"), "sqlite:///tmp/x.db");
    let config = Config {
        database_url: Some("postgres://u:pw@h/d".into()),
        ..Config::default()
    };
    assert!(!format!("{config:?}").contains("pw@"));
}

#[test]
fn workers_and_grouping_follow_the_backend() {
    let sqlite = Config::default();
    assert_eq!(sqlite.delivery_workers(), 1);
    let postgres = Config {
        database_url: Some("postgres://u@h/d".into()),
        ..Config::default()
    };
    assert_eq!(postgres.delivery_workers(), 4);
    assert!(sqlite.groups_case_changes());
    assert!(!postgres.groups_case_changes());
    let set = Config {
        ingest_workers: 2,
        ..postgres
    };
    assert_eq!(set.delivery_workers(), 2);
}
