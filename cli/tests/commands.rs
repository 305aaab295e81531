//! Exit codes, usage errors, init, pack and overrides through the real binary.

mod run_pacto;

use run_pacto::pacto_in;
use std::path::Path;

fn repo() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn example(name: &str) -> String {
    repo().join("examples").join(name).display().to_string()
}

#[test]
fn usage_errors_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, err, code) = pacto_in(tmp.path(), &["frobnicate"]);
    assert_eq!(code, 2, "{err}");
    let (_, err, code) = pacto_in(tmp.path(), &["--output-format", "yaml", "version"]);
    assert_eq!(code, 2);
    assert!(err.contains("yaml"), "{err}");
    let (_, err, code) = pacto_in(tmp.path(), &["diff", "only-one"]);
    assert_eq!(code, 2, "{err}");
    let (_, err, code) = pacto_in(tmp.path(), &["init", "Bad_Name"]);
    assert_eq!(code, 2);
    assert!(err.contains("invalid service name"), "{err}");
}

#[test]
fn errors_go_to_stderr_with_exit_1() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, err, code) = pacto_in(tmp.path(), &["validate", "no-such-dir"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(
        err.starts_with("Error: failed to access no-such-dir"),
        "{err}"
    );
    std::fs::write(
        tmp.path().join("pacto.yaml"),
        "pactoVersion: \"3.0\"\nservice: {name: x, version: 1.0.0}\n",
    )
    .unwrap();
    let (out, err, code) = pacto_in(tmp.path(), &["validate"]);
    assert_eq!(code, 1);
    assert_eq!(out, ". is invalid\n");
    assert!(
        err.contains("UNSUPPORTED_PACTO_VERSION") && err.contains("2.0"),
        "{err}"
    );
}

#[test]
fn init_scaffolds_a_valid_bundle_and_refuses_to_overwrite() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, err, code) = pacto_in(tmp.path(), &["init", "my-service"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Created my-service/"), "{out}");
    let (out, err, code) = pacto_in(tmp.path(), &["validate", "my-service"]);
    assert_eq!((code, out.as_str()), (0, "my-service is valid\n"), "{err}");
    let (_, err, code) = pacto_in(tmp.path(), &["init", "my-service"]);
    assert_eq!(code, 1);
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn pack_twice_gives_identical_bytes_and_validates_first() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a.tar.gz");
    let b = tmp.path().join("b.tar.gz");
    for out in [&a, &b] {
        let (stdout, err, code) = pacto_in(
            tmp.path(),
            &[
                "pack",
                &example("payments-api"),
                "-o",
                out.to_str().unwrap(),
            ],
        );
        assert_eq!(code, 0, "{err}");
        assert!(
            stdout.starts_with("Packed payments-api@2.1.0 -> "),
            "{stdout}"
        );
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());

    let bad = repo().join("cli/tests/fixtures/invalid-service");
    let (_, err, code) = pacto_in(
        tmp.path(),
        &["pack", bad.to_str().unwrap(), "-o", "x.tar.gz"],
    );
    assert_eq!(code, 1);
    assert!(err.contains("is not a valid contract"), "{err}");
    assert!(!tmp.path().join("x.tar.gz").exists());
}

#[test]
fn default_pack_name_is_name_and_version() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, err, code) = pacto_in(tmp.path(), &["pack", &example("postgresql")]);
    assert_eq!(code, 0, "{err}");
    assert!(tmp.path().join("postgresql-16.4.0.tar.gz").exists());
}

#[test]
fn overrides_apply_before_validation() {
    let tmp = tempfile::tempdir().unwrap();
    let ex = example("payments-api");
    // --set makes the contract violate its own platform policy (min >= 2).
    let (_, err, code) = pacto_in(tmp.path(), &["validate", &ex, "--set", "scaling.min=1"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("POLICY_VIOLATION"), "{err}");
    // A values file merges named configurations and is validated against the schema.
    let values = tmp.path().join("prod.yaml");
    std::fs::write(
        &values,
        "configurations:\n  - name: default\n    values:\n      LOG_LEVEL: verbose\n",
    )
    .unwrap();
    let (_, err, code) = pacto_in(
        tmp.path(),
        &["validate", &ex, "-f", values.to_str().unwrap()],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("CONFIG_VALUES_VALIDATION_FAILED") && err.contains("LOG_LEVEL"),
        "{err}"
    );
    std::fs::write(
        &values,
        "configurations:\n  - name: default\n    values:\n      LOG_LEVEL: debug\n",
    )
    .unwrap();
    let (out, err, code) = pacto_in(
        tmp.path(),
        &[
            "explain",
            &ex,
            "-f",
            values.to_str().unwrap(),
            "--output-format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["configuration"][0]["values"]["LOG_LEVEL"], "debug");
    assert_eq!(v["configuration"][0]["schema"], "configuration/schema.json");
    // Malformed --set is an error that says what is expected.
    let (_, err, code) = pacto_in(tmp.path(), &["validate", &ex, "--set", "nonsense"]);
    assert_eq!(code, 1);
    assert!(err.contains("expected key=value"), "{err}");
}

#[test]
fn diff_side_overrides_and_exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let ex = example("payments-api");
    let (out, _, code) = pacto_in(
        tmp.path(),
        &[
            "diff",
            &ex,
            &ex,
            "--new-set",
            "interfaces[rest-api].port=8443",
        ],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("[BREAKING] interfaces[rest-api].port (modified)"),
        "{out}"
    );
    let (out, _, code) = pacto_in(
        tmp.path(),
        &[
            "diff",
            &ex,
            &ex,
            "--new-set",
            "service.version=2.2.0",
            "--output-format",
            "json",
        ],
    );
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["classification"], "NON_BREAKING");
    assert_eq!(v["changes"][0]["path"], "service.version");
}

#[test]
fn diff_across_pacto_versions_both_ways_in_json() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = |n: &str| {
        repo()
            .join("cli/tests/fixtures/diff-v2")
            .join(n)
            .display()
            .to_string()
    };
    let (v12, v20) = (fixture("catalog-1.2"), fixture("catalog-2.0"));
    let json = |old: &str, new: &str, extra: &[&str]| {
        let mut args = vec!["diff", old, new, "--output-format", "json"];
        args.extend_from_slice(extra);
        let (out, err, code) = pacto_in(tmp.path(), &args);
        let v: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
        (v, code)
    };
    let paths = |v: &serde_json::Value| -> Vec<String> {
        v["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["path"].as_str().unwrap().to_string())
            .collect()
    };
    // Downgrading 2.0 -> 1.2: the 1.x-only values come back as additions.
    let (v, code) = json(&v20, &v12, &[]);
    assert_eq!(
        (code, &v["classification"]),
        (0, &serde_json::json!("POTENTIAL_BREAKING"))
    );
    assert_eq!(
        paths(&v),
        [
            "pactoVersion",
            "runtime.lifecycle.gracefulShutdownSeconds",
            "runtime.lifecycle.upgradeStrategy",
            "scaling"
        ]
    );
    // A port changed while migrating is a BREAKING change of that port.
    let (v, code) = json(
        &v12,
        &v20,
        &[
            "--new-set",
            "extensions.pacto\\.trianalab\\.io/v1.ports.rest-api=9090",
        ],
    );
    let port = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == "interfaces[rest-api].port");
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(
        port.map(|c| &c["classification"]),
        Some(&serde_json::json!("BREAKING")),
        "{v:#}"
    );
}

#[test]
fn version_prints_the_crate_version() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, _, code) = pacto_in(tmp.path(), &["version"]);
    assert_eq!(
        (code, out),
        (0, format!("pacto version {}\n", env!("CARGO_PKG_VERSION")))
    );
    let (out, _, _) = pacto_in(tmp.path(), &["version", "--output-format", "json"]);
    assert!(out.contains("\"version\""));
}
