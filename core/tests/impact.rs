//! Impact reports from fixture contracts (`tests/fixtures/impact/`): four versions of
//! `inventory` and a fleet of consumers, compared with `expected/<old>-<new>.json`
//! (`UPDATE_GOLDEN=1` rewrites them).

use pacto_core::bundle::{Bundle, Limits};
use pacto_core::diff::diff_contracts;
use pacto_core::impact::{DependentsIndex, ImpactReport, Verdict, analyze};
use pacto_core::model::Contract;
use pacto_core::validate::{ValidateOptions, validate_bundle};
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/impact")
}

fn load(path: &Path) -> Option<(Contract, Bundle)> {
    let bundle = Bundle::from_dir(path, &Limits::default()).ok()?;
    let report = validate_bundle(&bundle, &ValidateOptions::default());
    report
        .is_valid()
        .then_some(report.contract)
        .flatten()
        .map(|c| (c, bundle))
}

fn fleet() -> Vec<Contract> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir().join("fleet"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    names
        .iter()
        .filter_map(|p| load(p))
        .map(|(c, _)| c)
        .collect()
}

fn report(old: &str, new: &str) -> ImpactReport {
    let (a, ab) = load(&dir().join(format!("inventory-{old}"))).unwrap();
    let (b, bb) = load(&dir().join(format!("inventory-{new}"))).unwrap();
    let fleet = fleet();
    let index = DependentsIndex::new(fleet.iter().chain([&b]));
    let diff = diff_contracts(&a, &ab, &b, &bb);
    analyze("inventory", (old, new), diff, |n| index.dependents(n))
}

fn golden(old: &str, new: &str) -> ImpactReport {
    let r = report(old, new);
    let path = dir().join(format!("expected/{old}-{new}.json"));
    let got = serde_json::to_string_pretty(&r).unwrap() + "\n";
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &got).unwrap();
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
    assert_eq!(got, want, "{} differs", path.display());
    r
}

fn verdict(r: &ImpactReport, name: &str) -> Verdict {
    r.consumers
        .iter()
        .find(|c| c.service == name)
        .unwrap_or_else(|| panic!("{name} is no consumer"))
        .compatibility_verdict
}

#[test]
fn the_invalid_contract_is_left_out_of_the_fleet() {
    assert_eq!(fleet().len(), 6);
}

#[test]
fn a_breaking_major_bump() {
    let r = golden("1.4.0", "2.0.0");
    assert_eq!(r.classification.as_str(), "BREAKING");
    let names: Vec<&str> = r.consumers.iter().map(|c| c.service.as_str()).collect();
    assert_eq!(
        names,
        vec!["audit", "orders", "reports", "storefront", "report-ui"]
    );
    assert_eq!(verdict(&r, "orders"), Verdict::Incompatible);
    assert_eq!(verdict(&r, "reports"), Verdict::Compatible);
    assert_eq!(verdict(&r, "audit"), Verdict::Compatible);
    assert_eq!(verdict(&r, "storefront"), Verdict::Incompatible);
    // Reached through the `-pacto` ref, and the cycle back to reports ends the walk.
    assert_eq!(verdict(&r, "report-ui"), Verdict::Unknown);
    assert!(r.blocking());
}

#[test]
fn a_breaking_change_inside_the_line() {
    let r = golden("1.4.0", "1.5.0");
    assert_eq!(verdict(&r, "orders"), Verdict::Incompatible);
    assert_eq!(verdict(&r, "reports"), Verdict::Compatible);
    assert_eq!(verdict(&r, "audit"), Verdict::Compatible);
    assert!(r.blocking());
}

#[test]
fn a_patch_release() {
    let r = golden("1.4.0", "1.4.1");
    assert_eq!(r.classification.as_str(), "NON_BREAKING");
    assert!(r.breaking_changes.is_empty());
    assert!(
        r.consumers
            .iter()
            .all(|c| c.compatibility_verdict == Verdict::Compatible)
    );
    assert!(!r.blocking());
}

#[test]
fn a_rollback() {
    // 2.0.0 → 1.4.0 adds the admin interface back: not breaking, and ^1.4.0 admits 1.4.0.
    let r = golden("2.0.0", "1.4.0");
    assert_eq!(r.classification.as_str(), "NON_BREAKING");
    assert_eq!(verdict(&r, "orders"), Verdict::Compatible);
}
