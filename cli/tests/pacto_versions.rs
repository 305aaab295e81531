//! pactoVersion 2.0 beside 1.x through the real binary: `init --version`, `explain` of a
//! 2.0 bundle (capabilities, readiness claims) and `graph` across versions.

mod run_pacto;

use run_pacto::pacto_in;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut full = vec!["--output-format", "json"];
    full.extend_from_slice(args);
    let (out, err, code) = pacto_in(dir, &full);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).expect("JSON")
}

#[test]
fn init_scaffolds_2_0_by_default_and_each_1_x_on_request() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, err, code) = pacto_in(tmp.path(), &["init", "svc-default"]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(tmp.path().join("svc-default/pacto.yaml")).unwrap();
    assert!(text.contains("pactoVersion: \"2.0\""), "{text}");
    for (name, version) in [
        ("svc-default", "2.0"),
        ("svc-20", "2.0"),
        ("svc-12", "1.2"),
        ("svc-11", "1.1"),
        ("svc-10", "1.0"),
    ] {
        if name != "svc-default" {
            let (_, err, code) = pacto_in(tmp.path(), &["init", name, "--version", version]);
            assert_eq!(code, 0, "{name}: {err}");
        }
        let v = json(tmp.path(), &["validate", name]);
        assert_eq!(v["valid"], true, "{name}: {v}");
        assert_eq!(v["warnings"], serde_json::json!([]), "{name}: {v}");
        let e = json(tmp.path(), &["explain", name]);
        assert_eq!(e["pactoVersion"], version, "{name}");
    }
    // A 2.0 scaffold binds health to its openapi interface; 1.x keeps runtime.health.
    let e = json(tmp.path(), &["explain", "svc-20"]);
    assert_eq!(e["capabilities"][0]["binding"], "api /health");
    assert_eq!(e["interfaces"][0]["type"], "openapi");
    let e = json(tmp.path(), &["explain", "svc-12"]);
    assert_eq!(e["runtime"]["health"], "api /health");
    assert_eq!(e["interfaces"][0]["port"], 8080);

    let (_, err, code) = pacto_in(tmp.path(), &["init", "svc-x", "--version", "3.0"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("3.0") && err.contains("2.0"), "{err}");
    assert!(!tmp.path().join("svc-x").exists());
}

#[test]
fn explain_shows_capabilities_and_readiness_claims() {
    let ex = repo().join("examples/ledger-api").display().to_string();
    let (out, err, code) = pacto_in(&repo(), &["explain", &ex]);
    assert_eq!(code, 0, "{err}");
    for line in [
        "\nCapabilities (3):\n",
        "  - health: rest-api /health\n",
        "  - metrics: rest-api /metrics\n",
        "  - extension: example.com/audit-log\n",
        "\nReadiness claims (min score 75, expires 2027-09-30):\n",
        "  - backup-restore [done, weight 40, backup-recovery]\n",
        "  - pentest [partial, weight 30, security]\n",
    ] {
        assert!(out.contains(line), "missing {line:?} in\n{out}");
    }
    let (md, _, code) = pacto_in(&repo(), &["explain", &ex, "--output-format", "markdown"]);
    assert_eq!(code, 0);
    for line in [
        "### Capabilities\n\n| Type | Binding | Ref |\n|---|---|---|\n",
        "| health | rest-api /health |  |\n",
        "| extension |  | example.com/audit-log |\n",
        "### Readiness claims\n\nMin score 75, expires 2027-09-30.\n",
        "| pentest | partial | 30 | security |\n",
    ] {
        assert!(md.contains(line), "missing {line:?} in\n{md}");
    }
    // 1.x readiness is a list of checks, named as such.
    let ex = repo()
        .join("examples/order-processor")
        .display()
        .to_string();
    let (out, _, _) = pacto_in(&repo(), &["explain", &ex]);
    assert!(
        out.contains("\nReadiness checks (min score 80, expires 2027-06-30):\n")
            && out.contains("  - runbook [partial, weight 30, incident-response]\n"),
        "{out}"
    );
    assert!(!out.contains("Capabilities"), "{out}");
}

#[test]
fn graph_spans_pacto_versions_both_ways() {
    let fixtures = repo().join("core/tests/fixtures/graph-mixed");
    // 1.2 -> 2.0 -> 1.0, and 1.2 -> 2.0 outside its compatibility range.
    let root = fixtures.join("app-v1").display().to_string();
    let g = json(&repo(), &["graph", &root]);
    let api = &g["root"]["dependencies"][0];
    assert_eq!(api["node"]["name"], "api");
    assert_eq!(api["node"]["version"], "2.1.0");
    assert!(
        api["error"].is_null() && api.get("warning").is_none(),
        "{api}"
    );
    let db = &api["node"]["dependencies"][0];
    assert_eq!(
        (&db["node"]["name"], &db["node"]["version"]),
        (&"db".into(), &"16.4.0".into())
    );
    assert!(db.get("warning").is_none(), "{db}");
    let worker = &g["root"]["dependencies"][1];
    assert_eq!(worker["node"]["version"], "2.5.0");
    assert_eq!(
        worker["warning"],
        "resolved version 2.5.0 does not satisfy compatibility \"^3.0.0\""
    );
    // 2.0 root over 1.x and 2.0 dependencies: text output names every node.
    let root = fixtures.join("api-v2").display().to_string();
    let (out, err, code) = pacto_in(&repo(), &["graph", &root]);
    assert_eq!(code, 0, "{err}");
    for node in ["api@2.1.0", "db@16.4.0", "worker@2.5.0"] {
        assert!(out.contains(node), "missing {node} in\n{out}");
    }
    // The shipped 2.0 examples: 2.0 -> 2.0 -> 1.x.
    let root = repo().join("examples/nightly-export").display().to_string();
    let g = json(&repo(), &["graph", &root]);
    let ledger = &g["root"]["dependencies"][0]["node"];
    assert_eq!(ledger["name"], "ledger-api");
    let names: Vec<_> = ledger["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap_or("?").to_string())
        .collect();
    assert_eq!(names, vec!["postgresql", "user-service"]);
}
