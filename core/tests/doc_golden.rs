//! `pacto doc` pages compared with checked-in goldens (`UPDATE_GOLDEN=1` rewrites them).

mod common;

use pacto_core::doc::{DocInput, LockSummary, render_markdown};
use pacto_core::validate::{ValidateOptions, validate_bundle};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn page(dir: &Path) -> String {
    let bundle = common::load_dir(dir);
    let report = validate_bundle(&bundle, &ValidateOptions::default());
    assert!(report.is_valid(), "{}: {:#?}", dir.display(), report.errors);
    let contract = report.contract.as_ref().expect("contract");
    let lock = bundle
        .read_str("pacto.lock")
        .map(|t| LockSummary::from_value(&pacto_core::parse::parse_yaml(t).expect("lock yaml")));
    render_markdown(contract, &bundle, &DocInput { lock })
}

fn check(name: &str, dir: PathBuf) {
    let got = page(&dir);
    let golden = root().join(format!("tests/fixtures/doc/{name}.md"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &got).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&golden)
        .unwrap_or_else(|_| panic!("{} missing: run with UPDATE_GOLDEN=1", golden.display()));
    assert_eq!(
        got, want,
        "{name}: the page changed (UPDATE_GOLDEN=1 to accept)"
    );
}

#[test]
fn a_2_0_bundle_with_every_section() {
    check("v2-orders", root().join("tests/fixtures/doc/v2-orders"));
}

#[test]
fn the_payments_example_1_x() {
    check("payments-api", root().join("../examples/payments-api"));
}

#[test]
fn every_section_is_numbered_and_linked() {
    let md = page(&root().join("tests/fixtures/doc/v2-orders"));
    let titles: Vec<&str> = md
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .filter(|t| *t != "Table of Contents")
        .collect();
    assert_eq!(
        titles,
        [
            "1. Runtime & operations",
            "2. Architecture",
            "3. Interfaces",
            "4. Configuration",
            "5. Policies",
            "6. Dependencies",
            "7. Readiness",
            "8. Lockfile",
            "9. Documentation"
        ]
    );
    for t in titles {
        let link = format!("(#{})", pacto_core::doc::anchor(t));
        assert!(md.contains(&link), "no TOC link {link}");
    }
}
