//! The shipped examples are valid contracts (they double as documentation).

mod common;

use pacto_core::Contract;
use pacto_core::model::{InterfaceType, Workload};
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
    let mut v2: Vec<Contract> = Vec::new();
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
        if let Some(c) = r.contract.filter(|c| c.pacto_version.is_v2()) {
            v2.push(c);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // The 2.0 examples show each shape the 2.0 model is for.
    let shapes: [Shape; 5] = [
        ("an openapi service with bound health and metrics", |c| {
            has_kind(c, InterfaceType::Openapi) && c.health().is_some() && c.metrics().is_some()
        }),
        ("a grpc service", |c| has_kind(c, InterfaceType::Grpc)),
        ("an asyncapi event consumer", |c| {
            has_kind(c, InterfaceType::Asyncapi)
        }),
        ("a scheduled job", |c| {
            c.workload() == Some(Workload::Scheduled)
        }),
        ("readiness claims", |c| {
            c.readiness.as_ref().is_some_and(|r| !r.claims.is_empty())
        }),
    ];
    for (what, shape) in shapes {
        assert!(
            v2.iter().any(shape),
            "no 2.0 example shows {what} (2.0 examples: {:?})",
            v2.iter().map(|c| &c.service.name).collect::<Vec<_>>()
        );
    }
}

/// What a 2.0 example must show, and how to tell.
type Shape = (&'static str, fn(&Contract) -> bool);

fn has_kind(c: &Contract, kind: InterfaceType) -> bool {
    c.interfaces.iter().any(|i| i.kind == kind)
}
