#![no_main]
//! Any bytes as `pacto.yaml`: if they make a valid 1.x contract, `migrate_bundle` must
//! return a bundle that validates as 2.0 (it refuses rather than return an invalid one,
//! and a refusal is only allowed for a policy the 2.0 shape violates); never panic.

use libfuzzer_sys::fuzz_target;
use pacto_core::Bundle;
use pacto_core::migrate::{MigrateError, MigrateOptions, migrate_bundle};
use pacto_core::validate::{ValidateOptions, validate_bundle};

fuzz_target!(|data: &[u8]| {
    let mut bundle = Bundle::new();
    bundle.insert("pacto.yaml", data.to_vec());
    // The usual spec and schema files exist, so generated contracts can name them.
    bundle.insert(
        "interfaces/openapi.yaml",
        b"openapi: 3.1.0\ninfo: {title: t, version: 1.0.0}\npaths: {}\n".to_vec(),
    );
    bundle.insert(
        "interfaces/service.proto",
        b"syntax = \"proto3\";\npackage a.v1;\nservice S {\n  rpc G (M) returns (M);\n}\nmessage M {\n  string id = 1;\n}\n".to_vec(),
    );
    bundle.insert(
        "interfaces/events.yaml",
        b"asyncapi: 3.0.0\ninfo: {title: e, version: 1.0.0}\n".to_vec(),
    );
    bundle.insert("configuration/schema.json", b"{\"type\": \"object\"}".to_vec());
    let opts = MigrateOptions {
        today: "2026-04-15".into(),
        drop_lossy: data.first().is_some_and(|b| b & 1 == 1),
    };
    match migrate_bundle(&bundle, &opts) {
        Ok(m) => {
            let report = validate_bundle(&m.bundle, &ValidateOptions::default());
            assert!(report.is_valid(), "{:?}", report.errors);
            assert!(report.contract.is_some_and(|c| c.pacto_version.is_v2()));
        }
        Err(MigrateError::InvalidResult { report, .. }) => {
            // The only ways a valid 1.x contract fails as 2.0: its own policy schema asks
            // for 1.x fields, or a spec file 1.x only read as text does not parse as its
            // 2.0 kind (a grpc `contract` that is not a .proto file).
            assert!(
                report
                    .errors
                    .iter()
                    .all(|f| f.code.starts_with("POLICY_") || f.code == "INVALID_INTERFACE_SPEC"),
                "{:?}",
                report.errors
            );
        }
        Err(_) => {}
    }
});
