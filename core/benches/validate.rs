//! In-process validation of a typical bundle (target < 2 ms).
//! Run: `cargo bench -p pacto-core --bench validate`

use criterion::{Criterion, criterion_group, criterion_main};
use pacto_core::bundle::{Bundle, Limits};
use pacto_core::validate::{ValidateOptions, validate_bundle};
use std::hint::black_box;
use std::path::Path;

fn load(name: &str) -> Bundle {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name);
    Bundle::from_dir(&dir, &Limits::default()).expect("example bundle loads")
}

fn bench(c: &mut Criterion) {
    let opts = ValidateOptions::default();
    for name in ["payments-api", "user-service", "order-processor"] {
        let bundle = load(name);
        assert!(
            validate_bundle(&bundle, &opts).is_valid(),
            "{name} must be valid"
        );
        c.bench_function(&format!("validate {name}"), |b| {
            b.iter(|| validate_bundle(black_box(&bundle), &opts))
        });
    }
    let bundle = load("payments-api");
    c.bench_function("load+validate payments-api from disk", |b| {
        b.iter(|| {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/payments-api");
            let fresh = Bundle::from_dir(&dir, &Limits::default()).expect("loads");
            validate_bundle(black_box(&fresh), &opts)
        })
    });
    drop(bundle);
}

criterion_group!(benches, bench);
criterion_main!(benches);
