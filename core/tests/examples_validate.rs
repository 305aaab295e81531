//! The shipped examples are valid contracts (they double as documentation).

mod common;

use pacto_core::validate::{ValidateOptions, validate_bundle};

#[test]
fn every_example_bundle_is_valid() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("examples dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("pacto.yaml").is_file())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty());
    let mut failures = Vec::new();
    for dir in dirs {
        let r = validate_bundle(&common::load_dir(&dir), &ValidateOptions::default());
        for f in &r.warnings {
            eprintln!(
                "{}: WARN [{}] {}: {}",
                dir.display(),
                f.code,
                f.path,
                f.message
            );
        }
        if !r.is_valid() {
            failures.push(format!("{}: {:#?}", dir.display(), r.errors));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
