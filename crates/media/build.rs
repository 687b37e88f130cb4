//! Decides at build time whether the S3 store tests run: they run when `CAREDESK_TEST_S3_URL`
//! names a bucket, and are reported as ignored otherwise (libtest can only ignore a test at
//! compile time). `CAREDESK_REQUIRE_S3=1` runs them anyway, so a missing URL fails them instead
//! of ignoring them (CI sets it).

const URL: &str = "CAREDESK_TEST_S3_URL";
const REQUIRE: &str = "CAREDESK_REQUIRE_S3";
const CFG: &str = "caredesk_s3_tests";

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed={URL}");
    println!("cargo::rerun-if-env-changed={REQUIRE}");
    println!("cargo::rustc-check-cfg=cfg({CFG})");
    let url_set = std::env::var_os(URL).is_some_and(|url| !url.is_empty());
    let required = std::env::var_os(REQUIRE).is_some_and(|v| v == "1");
    if url_set || required {
        println!("cargo::rustc-cfg={CFG}");
    }
}
