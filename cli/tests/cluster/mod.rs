//! Shared by the CLI tests that need the real local control plane (see pacto-e2e-support):
//! start one per test binary (stopped when the binary exits), a client for it, and the CRDs
//! installed and Established. `PACTO_E2E_KUBECONFIG` selects a running one.

use kube::Client;
use std::path::{Path, PathBuf};

/// Starts (or reuses) the control plane kept under `target/e2e-tests/<state>`; returns its
/// admin kubeconfig.
pub fn control_plane(state: &str) -> PathBuf {
    pacto_e2e_support::start_or_reuse(state, &[]).unwrap_or_else(|e| panic!("{e}"))
}

pub async fn client(path: &Path) -> Client {
    pacto_e2e_support::client_for(path)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Applies the generated CRDs (server-side, as `manager`) and waits until Established.
pub async fn install_crds(client: &Client, manager: &str) {
    pacto_e2e_support::install_crds(client, manager, &pacto_crds::generate::crds())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}
