//! `pacto migrate` golden tests, one fixture per row of the 1.x → 2.0 mapping table
//! (`core/tests/fixtures/migrate/<case>/`): `in/` is the 1.x bundle, `out/` the expected
//! migrated `pacto.yaml` plus any generated file, `notes.txt` the expected notes, and
//! `options` (optional) holds `drop-lossy`. A case with `refused.txt` must be refused, with
//! those error codes. Regenerate with `UPDATE_GOLDEN=1 cargo test -p pacto-core --test
//! migrate_golden` and review the diff.

mod common;

use pacto_core::Bundle;
use pacto_core::migrate::{MigrateError, MigrateOptions, MigratedBundle, migrate_bundle};
use pacto_core::validate::{ValidateOptions, validate_bundle};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const TODAY: &str = "2026-04-15";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/migrate")
}

fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<_> = std::fs::read_dir(root())
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("in").is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn options(case: &Path) -> MigrateOptions {
    let opts = std::fs::read_to_string(case.join("options")).unwrap_or_default();
    MigrateOptions {
        today: TODAY.into(),
        drop_lossy: opts.contains("drop-lossy"),
    }
}

fn notes_text(m: &MigratedBundle) -> String {
    m.migration
        .notes
        .iter()
        .map(|n| format!("{:<9} {}: {}\n", n.kind.as_str(), n.path, n.message))
        .collect()
}

fn refused_text(e: &MigrateError) -> String {
    let (what, report) = match e {
        MigrateError::InvalidSource(r) => ("invalid-source", Some(r)),
        MigrateError::InvalidResult { report, .. } => ("invalid-result", Some(report)),
        other => return format!("{other}\n"),
    };
    let mut out = format!("{what}\n");
    for f in report.into_iter().flat_map(|r| r.errors.iter()) {
        out.push_str(&format!("{} {}\n", f.code, f.path));
    }
    out
}

/// Compares or, under UPDATE_GOLDEN, writes `path`.
fn golden(path: &Path, actual: &str, failures: &mut Vec<String>) {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, actual).expect("write golden");
        return;
    }
    match std::fs::read_to_string(path) {
        Ok(want) if want == actual => {}
        Ok(want) => failures.push(format!(
            "{}:\n--- want\n{want}\n--- got\n{actual}",
            path.display()
        )),
        Err(_) => failures.push(format!(
            "missing golden {}; run with UPDATE_GOLDEN=1",
            path.display()
        )),
    }
}

fn files_under(dir: &Path) -> BTreeSet<String> {
    if !dir.is_dir() {
        return BTreeSet::new();
    }
    common::load_dir(dir)
        .files()
        .map(|(p, _)| p.to_string())
        .collect()
}

#[test]
fn every_mapping_row_matches_its_golden_output() {
    let mut failures = Vec::new();
    let mut all_notes = String::new();
    for case in cases() {
        let input = common::load_dir(&case.join("in"));
        match migrate_bundle(&input, &options(&case)) {
            Ok(m) => {
                let out = case.join("out");
                golden(&out.join("pacto.yaml"), &m.migration.yaml, &mut failures);
                let mut want: BTreeSet<String> = BTreeSet::from(["pacto.yaml".to_string()]);
                for (path, bytes) in &m.migration.files {
                    want.insert(path.clone());
                    let text = String::from_utf8(bytes.clone()).expect("utf-8 stub");
                    golden(&out.join(path), &text, &mut failures);
                }
                let have = files_under(&out);
                if std::env::var_os("UPDATE_GOLDEN").is_none() && have != want {
                    failures.push(format!(
                        "{}: expected files {want:?}, out/ holds {have:?}",
                        case.display()
                    ));
                }
                let notes = notes_text(&m);
                golden(&case.join("notes.txt"), &notes, &mut failures);
                all_notes.push_str(&notes);
                // The migrated bundle is a valid 2.0 bundle on its own.
                let report = validate_bundle(&m.bundle, &ValidateOptions::default());
                assert!(report.is_valid(), "{}: {:?}", case.display(), report.errors);
                assert!(report.contract.expect("contract").pacto_version.is_v2());
            }
            Err(e) => golden(&case.join("refused.txt"), &refused_text(&e), &mut failures),
        }
        if case.join("refused.txt").exists() && case.join("out").exists() {
            failures.push(format!("{}: both refused.txt and out/", case.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // One fixture per row of the mapping table (upstream-2026.md §5): each row's 1.x
    // path appears in some note.
    for row in [
        "pactoVersion:",
        "service.owner:",
        "service.image:",
        "service.chart:",
        ".type: http -> openapi",
        ".type: event -> asyncapi",
        ".contract: -> ref",
        ".port:",
        "configuration:",
        ".required: configuration",
        "policy:",
        ".name: name",
        ".required: dependency",
        "runtime.workload:",
        "runtime.state:",
        "runtime.lifecycle:",
        "scaling:",
        "runtime.health:",
        "runtime.health.interface:",
        "runtime.health.initialDelaySeconds:",
        "runtime.metrics:",
        "readiness.checks:",
        "readiness.expires:",
        "stubbed",
    ] {
        assert!(all_notes.contains(row), "no fixture covers `{row}`");
    }
}

#[test]
fn a_2_0_bundle_is_already_migrated() {
    let mut b = Bundle::new();
    b.insert(
        "pacto.yaml",
        b"pactoVersion: \"2.0\"\nservice: {name: orders, version: 1.0.0}\n".to_vec(),
    );
    let opts = MigrateOptions {
        today: TODAY.into(),
        drop_lossy: false,
    };
    assert!(matches!(
        migrate_bundle(&b, &opts),
        Err(MigrateError::AlreadyV2)
    ));
}

#[test]
fn an_invalid_1_x_bundle_is_refused_with_its_errors() {
    let mut b = Bundle::new();
    b.insert(
        "pacto.yaml",
        b"pactoVersion: \"1.1\"\nservice: {name: orders, version: 1.0.0}\ninterfaces:\n  - {name: rpc, type: grpc, port: 9090}\n".to_vec(),
    );
    let opts = MigrateOptions {
        today: TODAY.into(),
        drop_lossy: false,
    };
    match migrate_bundle(&b, &opts) {
        Err(MigrateError::InvalidSource(r)) => {
            assert_eq!(r.errors[0].code, "CONTRACT_REQUIRED", "{:?}", r.errors);
        }
        other => panic!("expected InvalidSource, got {other:?}"),
    }
}
