//! Every validation code has a fixture that triggers it (`bad/`, with the expected path
//! in `expect.txt`) and a closely related one that does not (`good/`, which must be valid).

mod common;

use common::{MapResolver, fixtures_root, load_dir};
use pacto_core::Finding;
use pacto_core::validate::{ValidateOptions, ValidationReport, validate_bundle};
use std::path::Path;

fn run(dir: &Path) -> ValidationReport {
    let bundle = load_dir(dir);
    let resolver = std::fs::read_to_string(dir.join("resolver.json"))
        .ok()
        .map(|t| MapResolver(serde_json::from_str(&t).expect("resolver.json")));
    let opts = ValidateOptions {
        policy_resolver: resolver.as_ref().map(|r| r as _),
    };
    validate_bundle(&bundle, &opts)
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

        let bad = run(&dir.join("bad"));
        let (path, severity) = expectations(&dir.join("bad"));
        let list = if severity == "warning" {
            &bad.warnings
        } else {
            &bad.errors
        };
        let hit = list.iter().find(|f| f.code == code && f.path == path);
        match hit {
            None => failures.push(format!(
                "{code}/bad: expected {severity} at `{path}`, got errors:\n{}\nwarnings:\n{}",
                show(&bad.errors),
                show(&bad.warnings)
            )),
            Some(f) if f.message.trim().is_empty() => {
                failures.push(format!("{code}/bad: empty message"))
            }
            Some(_) => {}
        }

        let good = run(&dir.join("good"));
        let present = good
            .errors
            .iter()
            .chain(&good.warnings)
            .any(|f| f.code == code);
        if present || !good.is_valid() {
            failures.push(format!(
                "{code}/good: expected valid without {code}, got errors:\n{}\nwarnings:\n{}",
                show(&good.errors),
                show(&good.warnings)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
