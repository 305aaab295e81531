#![no_main]
//! Any bytes as `pacto.yaml`: parsing and every validation layer must return
//! findings, never panic or hang.
//!
//! A first byte below 4 picks a structured start so mutations reach past the version
//! check into each model: the rest of the input is appended to a valid 2.0 contract
//! with every interface kind and a bound capability, to a bare `pactoVersion: "2.0"`,
//! or to a bare `pactoVersion: "1.2"`. Any other input is the contract as is (the seeds
//! in `core/fuzz/seeds/parse_validate/` are whole 1.x and 2.0 contracts).

use libfuzzer_sys::fuzz_target;
use pacto_core::Bundle;
use pacto_core::validate::{ValidateOptions, validate_bundle};

const V2_FULL: &str = r#"pactoVersion: "2.0"
service: {name: fuzz, version: 1.0.0, owner: {team: t}}
interfaces:
  - {name: rest, type: openapi, ref: interfaces/openapi.yaml}
  - {name: rpc, type: grpc, ref: interfaces/api.proto}
  - {name: events, type: asyncapi, ref: interfaces/events.yaml}
capabilities:
  - {type: health, binding: {type: http, interface: rest, path: /health}}
"#;
const PREFIXES: [&str; 4] = [
    V2_FULL,
    "pactoVersion: \"2.0\"\n",
    "pactoVersion: \"1.2\"\n",
    "pactoVersion: \"2.0\"\nservice: {name: fuzz, version: 1.0.0}\n",
];

fuzz_target!(|data: &[u8]| {
    let contract = match data.split_first() {
        Some((&pick, rest)) if (pick as usize) < PREFIXES.len() => {
            let mut c = PREFIXES[pick as usize].as_bytes().to_vec();
            c.extend_from_slice(rest);
            c
        }
        _ => data.to_vec(),
    };
    let mut bundle = Bundle::new();
    bundle.insert("pacto.yaml", contract);
    // Referenced files exist with fuzzer-chosen content too, so the cross-field
    // checks that parse specs (OpenAPI, AsyncAPI, .proto) and schemas are exercised.
    for file in [
        "interfaces/openapi.yaml",
        "interfaces/events.yaml",
        "interfaces/api.proto",
        "configuration/schema.json",
        "policy/schema.json",
    ] {
        bundle.insert(file, data.to_vec());
    }
    let _ = validate_bundle(&bundle, &ValidateOptions::default());
});
