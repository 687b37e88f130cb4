//! Decides at build time whether the integration tests that need PostgreSQL run: they run when
//! `CAREDESK_TEST_POSTGRES_URL` names a server, and are reported as ignored otherwise.
//! `CAREDESK_REQUIRE_POSTGRES=1` runs them anyway, so a missing URL fails them instead of
//! ignoring them (CI sets it).

fn main() {
    caredesk_test_gate::gate(
        "CAREDESK_TEST_POSTGRES_URL",
        "CAREDESK_REQUIRE_POSTGRES",
        "caredesk_postgres_tests",
    );
}
