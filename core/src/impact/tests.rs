use super::*;
use crate::diff::{Change, ChangeType};
use std::collections::BTreeMap;

fn diff(classification: Classification) -> ContractDiff {
    let changes = vec![
        Change::new(
            "interfaces[api]",
            ChangeType::Removed,
            Classification::Breaking,
            "gone",
        ),
        Change::new(
            "service.version",
            ChangeType::Modified,
            Classification::NonBreaking,
            "v",
        ),
        Change::new(
            "x",
            ChangeType::Added,
            Classification::PotentialBreaking,
            "maybe",
        ),
    ]
    .into_iter()
    .filter(|c| c.classification <= classification)
    .collect();
    ContractDiff {
        classification,
        changes,
        sbom_diff: None,
    }
}

/// `db` 1.4.0 → 2.0.0. `api` (^1.4.0, required) and `jobs` (>=1.0.0, required) and `audit`
/// (no range, optional) depend on it; `web` requires `api`; `admin` requires `jobs`;
/// `jobs` optionally depends on `admin` (a cycle).
fn fleet() -> BTreeMap<&'static str, Vec<Edge>> {
    BTreeMap::from([
        (
            "db",
            vec![
                Edge::new("api", true, Some("^1.4.0")),
                Edge::new("jobs", true, Some(">=1.0.0")),
                Edge::new("audit", false, None),
            ],
        ),
        ("api", vec![Edge::new("web", true, Some("^3"))]),
        ("jobs", vec![Edge::new("admin", true, Some("^1"))]),
        ("admin", vec![Edge::new("jobs", false, Some("^2"))]),
    ])
}

fn run(c: Classification, old: &str, new: &str) -> ImpactReport {
    let f = fleet();
    analyze("db", (old, new), diff(c), |n| {
        f.get(n).cloned().unwrap_or_default()
    })
}

fn verdicts(r: &ImpactReport) -> Vec<(&str, u32, bool, Verdict)> {
    r.consumers
        .iter()
        .map(|c| {
            (
                c.service.as_str(),
                c.depth,
                c.required,
                c.compatibility_verdict,
            )
        })
        .collect()
}

#[test]
fn a_breaking_major_bump() {
    let r = run(Classification::Breaking, "1.4.0", "2.0.0");
    assert_eq!(r.schema_version, "pacto.dev/impact/v1");
    assert_eq!(
        (
            r.breaking_changes.len(),
            r.potentially_breaking_changes.len(),
            r.non_breaking_changes.len()
        ),
        (1, 1, 1)
    );
    assert_eq!(
        verdicts(&r),
        vec![
            ("api", 1, true, Verdict::Incompatible),
            ("jobs", 1, true, Verdict::Compatible),
            ("audit", 1, false, Verdict::Unknown),
            ("web", 2, true, Verdict::Incompatible),
            ("admin", 2, true, Verdict::Unknown),
        ]
    );
    let web = &r.consumers[3];
    assert_eq!(web.path, vec!["db", "api", "web"]);
    assert_eq!(web.reason, "requires api, which is incompatible");
    assert!(!web.direct && web.compatibility.is_none());
    assert_eq!(r.consumers[0].compatibility.as_deref(), Some("^1.4.0"));
    assert!(r.blocking());
    assert_eq!(r.count(Verdict::Incompatible), 2);
    assert!(r.limitations.is_empty());
}

#[test]
fn a_non_breaking_change_breaks_no_one_transitively() {
    let r = run(Classification::NonBreaking, "1.4.0", "1.4.1");
    assert_eq!(
        verdicts(&r),
        vec![
            ("api", 1, true, Verdict::Compatible),
            ("jobs", 1, true, Verdict::Compatible),
            ("audit", 1, false, Verdict::Compatible),
            ("web", 2, true, Verdict::Compatible),
            ("admin", 2, true, Verdict::Compatible),
        ]
    );
    assert!(!r.blocking());
}

#[test]
fn an_excluded_version_is_incompatible_but_blocks_only_a_breaking_change() {
    let r = run(Classification::NonBreaking, "1.4.0", "2.0.0");
    assert_eq!(r.consumers[0].compatibility_verdict, Verdict::Incompatible);
    assert_eq!(r.consumers[3].compatibility_verdict, Verdict::Incompatible);
    assert!(!r.blocking(), "exit 1 needs a BREAKING change");
}

#[test]
fn an_optional_incompatible_consumer_does_not_break_its_dependents() {
    let f = BTreeMap::from([
        ("db", vec![Edge::new("api", false, Some("^1"))]),
        ("api", vec![Edge::new("web", true, None)]),
    ]);
    let r = analyze(
        "db",
        ("1.0.0", "2.0.0"),
        diff(Classification::Breaking),
        |n| f.get(n).cloned().unwrap_or_default(),
    );
    assert_eq!(
        verdicts(&r),
        vec![
            ("api", 1, false, Verdict::Incompatible),
            ("web", 2, false, Verdict::Unknown),
        ]
    );
    assert!(!r.blocking(), "nobody required is incompatible");
}

#[test]
fn a_direct_consumer_requiring_a_broken_one_breaks_too() {
    // `web` depends on db directly with a fine range, but requires `api`, which breaks.
    let f = BTreeMap::from([
        (
            "db",
            vec![
                Edge::new("api", true, Some("^1")),
                Edge::new("web", false, Some("*")),
            ],
        ),
        ("api", vec![Edge::new("web", true, None)]),
    ]);
    let r = analyze(
        "db",
        ("1.0.0", "2.0.0"),
        diff(Classification::Breaking),
        |n| f.get(n).cloned().unwrap_or_default(),
    );
    let web = &r.consumers[1];
    assert_eq!(
        (web.depth, web.compatibility_verdict),
        (1, Verdict::Incompatible)
    );
    assert_eq!(web.compatibility.as_deref(), Some("*"));
    assert!(web.required);
}

#[test]
fn the_same_version_says_so() {
    let r = run(Classification::NonBreaking, "1.4.0", "1.4.0");
    assert_eq!(r.limitations[0].code, LimitationCode::SameVersion);
    assert_eq!(r.limitations[0].code.as_str(), "SAME_VERSION");
}

#[test]
fn json_shape() {
    let r = run(Classification::Breaking, "1.4.0", "2.0.0");
    let v = serde_json::to_value(&r).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        vec![
            "schemaVersion",
            "service",
            "oldVersion",
            "newVersion",
            "classification",
            "breakingChanges",
            "potentiallyBreakingChanges",
            "nonBreakingChanges",
            "consumers",
            "limitations"
        ]
    );
    assert_eq!(v["classification"], "BREAKING");
    assert_eq!(v["consumers"][0]["compatibilityVerdict"], "incompatible");
    assert_eq!(v["consumers"][0]["compatibility"], "^1.4.0");
    assert!(v["consumers"][3].get("compatibility").is_none());
}
