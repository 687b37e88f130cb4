//! The build-time gate of tests that need an outside service (PostgreSQL, S3-compatible object
//! storage). libtest can only ignore a test at compile time, so a crate's build script calls
//! [`gate`]: the tests carrying `#[cfg_attr(not(<cfg>), ignore = "…")]` run when the service's
//! URL variable is set, and are reported as ignored otherwise. The `require` variable set to `1`
//! (CI sets it) runs them anyway, so a missing URL fails them instead of ignoring them.
//! Test support only: it is not part of the product.

/// Prints the build-script lines that set `cfg` when `url` names a service or `require` is `1`,
/// and rebuild when either variable changes.
pub fn gate(url: &str, require: &str, cfg: &str) {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed={url}");
    println!("cargo::rerun-if-env-changed={require}");
    println!("cargo::rustc-check-cfg=cfg({cfg})");
    let url_set = std::env::var_os(url).is_some_and(|value| !value.is_empty());
    let required = std::env::var_os(require).is_some_and(|value| value == "1");
    if url_set || required {
        println!("cargo::rustc-cfg={cfg}");
    }
}
