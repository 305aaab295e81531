//! `pacto migrate` through the real binary: in place, `-o`, `--check` exit codes,
//! `--json`, refusals (invalid source, a result that would not validate as 2.0).

mod run_pacto;

use run_pacto::pacto_in;
use std::path::{Path, PathBuf};

/// `pacto ARGS` in the test's working directory.
fn pacto(args: &[&str]) -> (String, String, i32) {
    pacto_in(Path::new("."), args)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

/// A scratch copy of an example bundle.
fn example(tmp: &Path, name: &str) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name);
    let dest = tmp.join(name);
    copy_dir(&src, &dest);
    dest
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn check_reports_without_writing_and_exits_1_then_0_once_migrated() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = example(tmp.path(), "order-processor");
    let d = dir.to_str().unwrap();
    let before = read(&dir.join("pacto.yaml"));
    let (out, err, code) = pacto(&["migrate", d, "--check"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("would be migrated from pactoVersion 1.2 to 2.0"),
        "{out}"
    );
    assert!(out.contains("Stubbed (review) (1):"), "{out}");
    assert_eq!(
        read(&dir.join("pacto.yaml")),
        before,
        "--check wrote pacto.yaml"
    );
    assert!(
        !dir.join("interfaces/health.yaml").exists(),
        "--check wrote a stub"
    );

    let (out, err, code) = pacto(&["migrate", d]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.starts_with(&format!(
            "Migrated {d} from pactoVersion 1.2 to 2.0 in place"
        )),
        "{out}"
    );
    let yaml = read(&dir.join("pacto.yaml"));
    assert!(yaml.starts_with("pactoVersion: \"2.0\"\n"), "{yaml}");
    assert!(yaml.contains("pacto.trianalab.io/v1:"), "{yaml}");
    assert!(read(&dir.join("interfaces/health.yaml")).contains("openapi: \"3.1.0\""));
    // Untouched files stay.
    assert!(dir.join("configuration/schema.json").is_file());

    let (out, err, code) = pacto(&["validate", d]);
    assert_eq!(code, 0, "{out}{err}");
    let (out, _, code) = pacto(&["migrate", d, "--check"]);
    assert_eq!(
        (code, out.as_str()),
        (
            0,
            format!("{d} is already pactoVersion 2.0: nothing to migrate\n").as_str()
        )
    );
}

#[test]
fn output_dir_gets_the_whole_bundle_and_the_source_is_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = example(tmp.path(), "user-service");
    let before = read(&dir.join("pacto.yaml"));
    let out_dir = tmp.path().join("migrated");
    let (out, err, code) = pacto(&[
        "migrate",
        dir.to_str().unwrap(),
        "-o",
        out_dir.to_str().unwrap(),
        "--drop-lossy",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("into"), "{out}");
    assert_eq!(read(&dir.join("pacto.yaml")), before);
    let yaml = read(&out_dir.join("pacto.yaml"));
    assert!(
        yaml.contains("type: grpc") && !yaml.contains("extensions"),
        "{yaml}"
    );
    assert!(out_dir.join("interfaces/user_service.proto").is_file());
    assert!(out_dir.join("configuration/schema.json").is_file());
    let (o, e, code) = pacto(&["validate", out_dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{o}{e}");
    // A non-empty -o directory is refused.
    let (_, err, code) = pacto(&[
        "migrate",
        dir.to_str().unwrap(),
        "-o",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("is not empty"), "{err}");
}

#[test]
fn json_lists_notes_and_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = example(tmp.path(), "postgresql");
    let (out, err, code) = pacto(&["migrate", dir.to_str().unwrap(), "--check", "--json"]);
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["from"], "1.0");
    assert_eq!(v["to"], "2.0");
    assert_eq!(v["changed"], true);
    assert_eq!(v["written"], false);
    assert_eq!(v["files"][0], "pacto.yaml");
    let notes = v["notes"].as_array().expect("notes");
    assert!(
        notes
            .iter()
            .any(|n| n["kind"] == "mapped" && n["path"] == "pactoVersion")
    );
}

#[test]
fn refuses_an_invalid_source_and_an_invalid_result() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    let text = "pactoVersion: \"1.1\"\nservice: {name: x, version: 1.0.0}\ninterfaces:\n  - {name: rpc, type: grpc, port: 9090}\n";
    std::fs::write(bad.join("pacto.yaml"), text).unwrap();
    let (_, err, code) = pacto(&["migrate", bad.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("CONTRACT_REQUIRED") && err.contains("not a valid 1.x contract"),
        "{err}"
    );
    assert_eq!(read(&bad.join("pacto.yaml")), text);

    // payments-api's own policy requires `runtime`, which 2.0 does not have.
    let dir = example(tmp.path(), "payments-api");
    let before = read(&dir.join("pacto.yaml"));
    let (_, err, code) = pacto(&["migrate", dir.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("POLICY_VIOLATION") && err.contains("does not validate as 2.0"),
        "{err}"
    );
    assert_eq!(
        read(&dir.join("pacto.yaml")),
        before,
        "an invalid result was written"
    );
    let (_, _, code) = pacto(&["migrate", dir.to_str().unwrap(), "--check"]);
    assert_eq!(code, 1);
}

#[test]
fn usage_errors() {
    let (_, err, code) = pacto(&["migrate", ".", "--check", "-o", "x"]);
    assert_eq!(code, 2, "{err}");
    let (_, err, code) = pacto(&["migrate", ".", "--today", "tomorrow"]);
    assert_eq!(code, 2, "{err}");
    let (_, err, code) = pacto(&["migrate", ".", "--set", "service.version=2.0.0"]);
    assert_eq!(code, 2, "{err}");
}
