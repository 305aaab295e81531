//! Validate a typical bundle in process (target: < 2 ms). Prints criterion figures.

use criterion::{Criterion, criterion_group, criterion_main};
use pacto_core::Bundle;
use pacto_core::validate::{ValidateOptions, validate_bundle};
use std::hint::black_box;
use std::path::Path;

fn load(root: &Path, dir: &Path, bundle: &mut Bundle) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let p = entry.path();
        if p.is_dir() {
            load(root, &p, bundle);
        } else if let (Ok(rel), Ok(data)) = (p.strip_prefix(root), std::fs::read(&p)) {
            bundle.insert(rel.to_string_lossy().replace('\\', "/"), data);
        }
    }
}

fn typical(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bundles/typical");
    let mut bundle = Bundle::new();
    load(&root, &root, &mut bundle);
    let opts = ValidateOptions::default();
    let report = validate_bundle(&bundle, &opts);
    assert!(
        report.is_valid(),
        "typical bundle must be valid: {:?}",
        report.errors
    );
    c.bench_function("validate typical bundle", |b| {
        b.iter(|| validate_bundle(black_box(&bundle), &opts))
    });
}

criterion_group!(benches, typical);
criterion_main!(benches);
