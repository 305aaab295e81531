//! Every validation code has a fixture that triggers it (`bad/`, with the expected path
//! in `expect.txt`) and a closely related one that does not (`good/`, which must be valid).
//! A code with several triggers (another pactoVersion, another interface kind) has more
//! pairs beside them: `bad-<variant>/` with `good-<variant>/`, e.g. `bad-v2/` + `good-v2/`.

mod common;

use common::{fixtures_root, validate_fixture};
use pacto_core::Finding;
use pacto_core::validate::ValidationReport;
use std::path::Path;

fn run(dir: &Path) -> ValidationReport {
    validate_fixture(dir)
}

fn expectations(dir: &Path) -> (String, String) {
    let text = std::fs::read_to_string(dir.join("expect.txt")).expect("expect.txt");
    let mut path = None;
    let mut severity = "error".to_string();
    for line in text.lines() {
        if let Some(p) = line.strip_prefix("path=") {
            path = Some(p.to_string());
        } else if let Some(s) = line.strip_prefix("severity=") {
            severity = s.to_string();
        }
    }
    (path.expect("path= line"), severity)
}

fn show(fs: &[Finding]) -> String {
    fs.iter()
        .map(|f| format!("  [{}] {}: {}", f.code, f.path, f.message))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_code_fixture_behaves() {
    let mut codes: Vec<_> = std::fs::read_dir(fixtures_root())
        .expect("fixtures dir")
        .map(|e| e.expect("entry").path())
        .collect();
    codes.sort();
    assert!(
        codes.len() >= 45,
        "expected a fixture per code, found {}",
        codes.len()
    );
    let mut failures = Vec::new();
    for dir in codes {
        let code = dir.file_name().expect("name").to_string_lossy().to_string();
        let variants = variants(&dir);
        if !variants.iter().any(|v| v.is_empty()) {
            failures.push(format!("{code}: no bad/ + good/ pair"));
        }
        for variant in variants {
            check_pair(&dir, &code, &variant, &mut failures);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The variant suffixes of a code's fixture pairs: `""` for `bad/`, `"-v2"` for `bad-v2/`.
fn variants(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .expect("code dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .filter_map(|n| n.strip_prefix("bad").map(str::to_string))
        .collect();
    out.sort();
    out
}

fn check_pair(dir: &Path, code: &str, variant: &str, failures: &mut Vec<String>) {
    let (bad_dir, good_dir) = (format!("bad{variant}"), format!("good{variant}"));
    if !dir.join(&good_dir).is_dir() {
        failures.push(format!("{code}/{bad_dir}: no {good_dir}/ beside it"));
        return;
    }
    let bad = run(&dir.join(&bad_dir));
    let (path, severity) = expectations(&dir.join(&bad_dir));
    let list = if severity == "warning" {
        &bad.warnings
    } else {
        &bad.errors
    };
    match list.iter().find(|f| f.code == code && f.path == path) {
        None => failures.push(format!(
            "{code}/{bad_dir}: expected {severity} at `{path}`, got errors:\n{}\nwarnings:\n{}",
            show(&bad.errors),
            show(&bad.warnings)
        )),
        Some(f) if f.message.trim().is_empty() => {
            failures.push(format!("{code}/{bad_dir}: empty message"))
        }
        Some(_) => {}
    }

    let good = run(&dir.join(&good_dir));
    let present = good
        .errors
        .iter()
        .chain(&good.warnings)
        .any(|f| f.code == code);
    if present || !good.is_valid() {
        failures.push(format!(
            "{code}/{good_dir}: expected valid without {code}, got errors:\n{}\nwarnings:\n{}",
            show(&good.errors),
            show(&good.warnings)
        ));
    }
}

/// Codes no contract can produce through `validate_bundle`, and why.
const NO_FIXTURE: [(&str, &str); 2] = [
    (
        "SCHEMA_ERROR",
        "the embedded schema failed to compile (a bug in pacto)",
    ),
    (
        "POLICY_ENFORCEMENT_ERROR",
        "the typed contract could not be serialised for policy checks (a bug in pacto)",
    ),
];

#[test]
fn every_code_constant_has_a_fixture() {
    let src = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/validate/codes.rs"),
    )
    .expect("codes.rs");
    let mut missing = Vec::new();
    for line in src.lines() {
        let Some(rest) = line.strip_prefix("pub const ") else {
            continue;
        };
        let code = rest.split(':').next().expect("name").trim();
        let known = NO_FIXTURE.iter().any(|(c, _)| *c == code);
        let has = fixtures_root().join(code).join("bad").is_dir();
        if has == known {
            missing.push(format!(
                "{code}: fixture {has}, listed as unreachable {known}"
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
