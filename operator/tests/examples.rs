//! Every Pacto in `examples/k8s` dereferences to a valid contract: inline ones as written,
//! OCI ones against the matching `examples/<service>` bundle (the one `make up` pushes), with
//! their `spec.overrides` applied. `make up` applies these, so an Invalid example is a bug.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use pacto_core::Bundle;
use pacto_core::bundle::Limits;
use pacto_crds::Pacto;
use pacto_operator::contract::{Origin, finish};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// `[oci://]host[:port]/…/<name>[:tag][@digest]` -> the bundle in `examples/<name>`.
fn example_bundle(oci: &str) -> Bundle {
    let without_host = oci
        .trim_start_matches("oci://")
        .split_once('/')
        .map_or(oci, |(_, rest)| rest);
    let repo = without_host
        .split(['@', ':'])
        .next()
        .unwrap_or(without_host);
    let name = repo.rsplit('/').next().unwrap_or(repo);
    let dir = repo_root().join("examples").join(name);
    Bundle::from_dir(&dir, &Limits::default()).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

#[test]
fn every_example_pacto_has_a_valid_contract() {
    let dir = repo_root().join("examples/k8s");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("examples/k8s") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("readable");
        if !text.contains("kind: Pacto\n") {
            continue; // PactoRevision
        }
        let pacto: Pacto =
            serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let spec = &pacto.spec;
        let (raw, bundle) = match (&spec.contract_ref.inline, &spec.contract_ref.oci) {
            (Some(inline), _) => (inline.clone(), Bundle::new()),
            (None, Some(oci)) => {
                let b = example_bundle(oci);
                let raw = b.contract_text().expect("pacto.yaml").to_string();
                (raw, b)
            }
            (None, None) => panic!("{}: no contract source", path.display()),
        };
        let d = finish(Origin::Inline, None, Arc::from(raw), Arc::new(bundle), spec)
            .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        assert!(d.is_valid(), "{}: {:?}", path.display(), d.report.errors);
        if spec.overrides.is_some() {
            assert!(
                !d.overridden.is_empty(),
                "{}: overrides applied",
                path.display()
            );
        }
        checked += 1;
    }
    assert!(checked >= 6, "only {checked} example Pactos found");
}
