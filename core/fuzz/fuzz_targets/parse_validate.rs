#![no_main]
//! Any bytes as `pacto.yaml`: parsing and every validation layer must return
//! findings, never panic or hang.

use libfuzzer_sys::fuzz_target;
use pacto_core::Bundle;
use pacto_core::validate::{ValidateOptions, validate_bundle};

fuzz_target!(|data: &[u8]| {
    let mut bundle = Bundle::new();
    bundle.insert("pacto.yaml", data.to_vec());
    // Referenced files exist with fuzzer-chosen content too, so the cross-field
    // checks that parse specs and schemas are exercised.
    bundle.insert("interfaces/openapi.yaml", data.to_vec());
    bundle.insert("configuration/schema.json", data.to_vec());
    bundle.insert("policy/schema.json", data.to_vec());
    let _ = validate_bundle(&bundle, &ValidateOptions::default());
});
