//! Shared by the registry integration tests and the memory benchmark (`benches/memory_rss.rs`): real registries
//! (Debian `docker-registry`, started by `e2e/registry.sh`) and clients for them.
#![allow(dead_code)] // each test crate uses its own part

pub mod fake;

use std::collections::HashMap;
use std::time::Duration;

use pacto_core::oci_ref::{OciRef, parse};
use pacto_oci::creds::{Environment, ProcessHelper};
use pacto_oci::{Keychain, RegistryClient, RegistryOptions};

/// Real registries from `e2e/registry.sh` (shared with the other crates' tests).
pub struct Registries;

impl Registries {
    pub fn start(name: &str) -> Option<pacto_e2e_support::Registries> {
        pacto_e2e_support::Registries::start("pacto-oci-test", name)
    }
}

pub fn env_of(pairs: &[(&str, &str)]) -> Box<dyn Environment> {
    Box::new(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<HashMap<String, String>>(),
    )
}

pub fn client_with(pairs: &[(&str, &str)]) -> RegistryClient {
    client_within(pairs, Duration::from_secs(20))
}

/// A client whose operations give up after `timeout`.
pub fn client_within(pairs: &[(&str, &str)], timeout: Duration) -> RegistryClient {
    let keychain = Keychain::new(
        env_of(pairs),
        None,
        None,
        Box::new(ProcessHelper::default()),
    );
    let opts = RegistryOptions {
        operation_timeout: timeout,
        ..RegistryOptions::default()
    };
    match RegistryClient::new(keychain, opts) {
        Ok(c) => c,
        Err(e) => panic!("client: {e}"),
    }
}

pub fn anon_client() -> RegistryClient {
    client_with(&[])
}

pub fn oref(s: &str) -> OciRef {
    match parse(s) {
        Ok(r) => r,
        Err(e) => panic!("{s}: {e}"),
    }
}

/// A valid bundle of `service` at `version` with a `blob_bytes` file of incompressible
/// pseudo-random bytes (seeded by the version), so its layer is about as big as the file
/// and every version has its own digest.
pub fn sized_bundle(service: &str, version: &str, blob_bytes: usize) -> pacto_core::Bundle {
    let mut b = pacto_core::Bundle::new();
    b.insert(
        "pacto.yaml",
        format!("pactoVersion: \"1.0\"\nservice:\n  name: {service}\n  version: {version}\n")
            .into_bytes(),
    );
    // xorshift64: cheap, deterministic, and gzip cannot shrink it.
    let mut x: u64 = version.bytes().fold(0x9E37_79B9_7F4A_7C15, |h, c| {
        (h ^ u64::from(c)).wrapping_mul(0x100_0000_01B3)
    });
    let mut blob = Vec::with_capacity(blob_bytes + 8);
    while blob.len() < blob_bytes {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        blob.extend_from_slice(&x.to_le_bytes());
    }
    blob.truncate(blob_bytes);
    b.insert("docs/blob.bin", blob);
    b
}
