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

#[test]
fn every_key_can_be_set_from_the_environment() {
    let keys = serde_json::to_value(Config::default()).expect("serializes");
    let keys: Vec<&String> = keys.as_object().expect("an object").keys().collect();
    for key in &keys {
        assert!(
            ENV_KEYS.contains(&key.as_str()),
            "CAREDESK_{} is not read",
            key.to_uppercase()
        );
    }
    assert_eq!(keys.len(), ENV_KEYS.len(), "ENV_KEYS names only real keys");
}

#[test]
fn trusted_proxies_must_be_cidrs() {
    let bad = Config {
        trusted_proxies: "10.0.0.0/8, proxy.internal".into(),
        ..Config::default()
    };
    let refused = bad.validate().expect_err("refused");
    assert!(
        format!("{refused:#}").contains("trusted_proxies"),
        "{refused:#}"
    );
    let good = Config {
        trusted_proxies: "10.0.0.0/8, 2001:db8::/32".into(),
        ..Config::default()
    };
    assert!(good.validate().is_ok());
}
