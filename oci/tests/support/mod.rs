//! Shared by the registry integration tests and the memory example: real registries
//! (Debian `docker-registry`, started by `e2e/registry.sh`) and clients for them.
#![allow(dead_code)] // each test crate uses its own part

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use pacto_core::oci_ref::{OciRef, parse};
use pacto_oci::creds::{Environment, ProcessHelper};
use pacto_oci::{Keychain, RegistryClient, RegistryOptions};

/// A started registry pair; stopped (by PID, through the script) on drop.
pub struct Registries {
    pub state: PathBuf,
    pub anon: String,
    pub auth: String,
    pub user: String,
    pub pass: String,
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../e2e/registry.sh")
}

impl Registries {
    /// `None` (after a loud message) only when docker-registry is missing and cannot be
    /// installed (script exit code 3).
    pub fn start(name: &str) -> Option<Registries> {
        let state =
            std::env::temp_dir().join(format!("pacto-oci-test-{}-{name}", std::process::id()));
        let out = match Command::new("bash")
            .arg(script())
            .arg("start")
            .arg(&state)
            .output()
        {
            Ok(o) => o,
            Err(e) => panic!("cannot run e2e/registry.sh: {e}"),
        };
        if out.status.code() == Some(3) {
            eprintln!(
                "\n!!!!! SKIPPING registry test {name}: docker-registry is not installed and \
                 could not be installed: {}\n",
                String::from_utf8_lossy(&out.stderr)
            );
            return None;
        }
        assert!(
            out.status.success(),
            "registry.sh start failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let env_text = std::fs::read_to_string(state.join("env")).unwrap_or_default();
        let vars: HashMap<&str, &str> =
            env_text.lines().filter_map(|l| l.split_once('=')).collect();
        let get = |k: &str| vars.get(k).map(|s| s.to_string()).unwrap_or_default();
        Some(Registries {
            anon: get("PACTO_E2E_REGISTRY"),
            auth: get("PACTO_E2E_AUTH_REGISTRY"),
            user: get("PACTO_E2E_REGISTRY_USER"),
            pass: get("PACTO_E2E_REGISTRY_PASS"),
            state,
        })
    }

    pub fn stop(&self) {
        let _ = Command::new("bash")
            .arg(script())
            .arg("stop")
            .arg(&self.state)
            .output();
    }
}

impl Drop for Registries {
    fn drop(&mut self) {
        self.stop();
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
    let keychain = Keychain::new(
        env_of(pairs),
        None,
        None,
        Box::new(ProcessHelper::default()),
    );
    let opts = RegistryOptions {
        operation_timeout: Duration::from_secs(20),
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
