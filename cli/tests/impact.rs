//! `pacto impact` through the real binary, over the core's impact fixtures
//! (`core/tests/fixtures/impact`: four versions of `inventory` and a fleet of consumers).

mod run_pacto;

use run_pacto::pacto_in;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/impact")
}

/// `pacto impact inventory-OLD inventory-NEW` run from the fixture directory (so the default
/// consumer scan is `.`) with `extra` arguments.
fn impact(old: &str, new: &str, extra: &[&str]) -> (String, String, i32) {
    let (a, b) = (format!("inventory-{old}"), format!("inventory-{new}"));
    let mut args = vec!["impact", a.as_str(), b.as_str()];
    args.extend_from_slice(extra);
    pacto_in(&fixtures(), &args)
}

fn json(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn verdicts(v: &Value) -> Vec<(String, String)> {
    v["consumers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["service"].as_str().unwrap().to_string(),
                c["compatibilityVerdict"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn a_breaking_major_bump_with_a_required_incompatible_consumer_exits_1() {
    let (out, err, code) = impact("1.4.0", "2.0.0", &["--output-format", "json"]);
    assert_eq!(code, 1, "{err}");
    let v = json(&out);
    assert_eq!(v["schemaVersion"], "pacto.dev/impact/v1");
    assert_eq!(
        (&v["service"], &v["oldVersion"], &v["newVersion"]),
        (&"inventory".into(), &"1.4.0".into(), &"2.0.0".into())
    );
    assert_eq!(v["classification"], "BREAKING");
    assert_eq!(v["breakingChanges"][0]["path"], "interfaces[admin]");
    assert_eq!(
        verdicts(&v),
        pairs(&[
            ("audit", "compatible"),
            ("orders", "incompatible"),
            ("reports", "compatible"),
            ("storefront", "incompatible"),
            ("report-ui", "unknown"),
        ])
    );
    let storefront = &v["consumers"][3];
    assert_eq!(
        storefront["path"],
        serde_json::json!(["inventory", "orders", "storefront"])
    );
    assert_eq!(
        (storefront["depth"].as_u64(), &storefront["direct"]),
        (Some(2), &false.into())
    );
    // The invalid bundle of the fleet is named, not silently dropped; the service's own
    // versions are no consumers.
    let limits = v["limitations"].as_array().unwrap();
    assert_eq!(limits.len(), 1, "{limits:?}");
    assert_eq!(limits[0]["code"], "CONSUMER_INVALID");
    assert!(limits[0]["message"].as_str().unwrap().contains("broken"));
    // The same answer as the core's golden report, but for that limitation.
    let mut golden =
        json(&std::fs::read_to_string(fixtures().join("expected/1.4.0-2.0.0.json")).unwrap());
    golden["limitations"] = v["limitations"].clone();
    assert_eq!(v, golden);
}

#[test]
fn text_output_lists_verdicts_and_says_why_it_failed() {
    let (out, err, code) = impact("1.4.0", "1.5.0", &[]);
    assert_eq!(code, 1);
    assert!(
        out.starts_with("Impact of inventory 1.4.0 → 1.5.0: BREAKING\n"),
        "{out}"
    );
    assert!(
        out.contains("Breaking changes (1):\n  [BREAKING] interfaces[admin] (removed)"),
        "{out}"
    );
    assert!(
        out.contains("Consumers (5: 2 incompatible, 1 unknown, 2 compatible):\n"),
        "{out}"
    );
    assert!(
        out.contains("  [incompatible] orders (direct, required, \"^1.4.0\"): \"^1.4.0\" admits 1.5.0 only because semver promised"),
        "{out}"
    );
    assert!(
        out.contains("  [incompatible] storefront (via inventory → orders → storefront, required): requires orders, which is incompatible"),
        "{out}"
    );
    assert!(out.contains("[CONSUMER_INVALID]"), "{out}");
    assert_eq!(
        err,
        "breaking change: a required consumer is incompatible\n"
    );
}

#[test]
fn a_patch_release_exits_0() {
    let (out, err, code) = impact("1.4.0", "1.4.1", &["--consumers", "fleet"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("Impact of inventory 1.4.0 → 1.4.1: NON_BREAKING"),
        "{out}"
    );
    assert!(
        out.contains("Consumers (5: 0 incompatible, 0 unknown, 5 compatible):\n"),
        "{out}"
    );
    let (md, _, code) = impact(
        "1.4.0",
        "1.4.1",
        &["--consumers", "fleet", "--output-format", "markdown"],
    );
    assert_eq!(code, 0);
    assert!(
        md.starts_with("## Impact: inventory 1.4.0 → 1.4.1\n"),
        "{md}"
    );
    assert!(
        md.contains("| compatible | orders | 1 | inventory → orders | yes | `^1.4.0` |"),
        "{md}"
    );
}

#[test]
fn consumers_elsewhere_are_a_limitation_not_an_error() {
    let empty = tempfile::tempdir().unwrap();
    let dir = empty.path().display().to_string();
    let (out, err, code) = impact(
        "1.4.0",
        "2.0.0",
        &["--consumers", &dir, "--output-format", "json"],
    );
    // BREAKING, but no incompatible consumer is known: exit 0.
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    assert!(v["consumers"].as_array().unwrap().is_empty());
    assert_eq!(v["limitations"][0]["code"], "SERVICE_NOT_IN_FLEET");
    assert!(
        v["limitations"][0]["message"]
            .as_str()
            .unwrap()
            .contains("--consumers")
    );
}

#[test]
fn bad_arguments() {
    let (_, err, code) = impact("1.4.0", "2.0.0", &["--consumers", "no-such-dir"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--consumers no-such-dir: not a directory"),
        "{err}"
    );
    let (_, err, code) = pacto_in(&fixtures(), &["impact", "inventory-1.4.0"]);
    assert_eq!(code, 2, "{err}");
    let (_, err, code) = pacto_in(&fixtures(), &["impact", "inventory-1.4.0", "fleet/broken"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("fleet/broken is not a valid contract"),
        "{err}"
    );
}

#[test]
fn per_side_overrides_apply() {
    // Pretending NEW is 1.4.2 turns the major bump into a break inside the 1.x line.
    let (out, _, code) = impact(
        "1.4.0",
        "2.0.0",
        &[
            "--new-set",
            "service.version=1.4.2",
            "--output-format",
            "json",
        ],
    );
    assert_eq!(code, 1);
    let v = json(&out);
    assert_eq!(v["newVersion"], "1.4.2");
    assert_eq!(
        verdicts(&v)[0],
        ("audit".to_string(), "compatible".to_string())
    );
    assert!(
        v["consumers"][1]["reason"]
            .as_str()
            .unwrap()
            .contains("only because semver promised"),
        "{v}"
    );
}
