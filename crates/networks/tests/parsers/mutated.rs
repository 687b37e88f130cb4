//! Every published shape under `tests/fixtures/`, with fields replaced, removed or buried under
//! garbage, never makes a parser panic.

use caredesk_networks::{meta, x};
use proptest::prelude::*;
use serde_json::Value;

use crate::json;

/// Every fixture, parsed as JSON.
fn published() -> Vec<Value> {
    let root = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    for dir in ["meta", "x"] {
        let entries = std::fs::read_dir(format!("{root}/{dir}")).expect("fixtures");
        for entry in entries {
            let bytes = std::fs::read(entry.expect("entry").path()).expect("fixture");
            all.push(serde_json::from_slice(&bytes).expect("a fixture is JSON"));
        }
    }
    all.sort_by_key(Value::to_string);
    all
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn mutated_published_shapes_never_panic(
        delivery in prop::sample::select(published()),
        mutations in prop::collection::vec(json::mutation(), 1..8),
    ) {
        let body = json::mutate(delivery, &mutations).to_string();
        let _ = meta::parse(body.as_bytes());
        let _ = x::parse(body.as_bytes());
    }
}
