//! Decides at build time whether the S3 store tests run: they run when `CAREDESK_TEST_S3_URL`
//! names a bucket, and are reported as ignored otherwise. `CAREDESK_REQUIRE_S3=1` runs them
//! anyway, so a missing URL fails them instead of ignoring them (CI sets it).

fn main() {
    caredesk_test_gate::gate(
        "CAREDESK_TEST_S3_URL",
        "CAREDESK_REQUIRE_S3",
        "caredesk_s3_tests",
    );
}
