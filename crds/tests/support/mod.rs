//! One real control plane per test binary (see pacto-e2e-support), state dir
//! `target/e2e-tests/pacto-crds`, started with the committed CRDs so the controller-manager's
//! garbage collector knows the kinds immediately. `PACTO_E2E_KUBECONFIG` selects a running one.
//! Tests isolate themselves with one namespace each.

use std::path::{Path, PathBuf};

use kube::Client;
use pacto_e2e_support::{Setup, SharedControlPlane};

static CONTROL_PLANE: SharedControlPlane = SharedControlPlane::new();

pub const FIELD_MANAGER: &str = "pacto-crds-tests";

pub use pacto_e2e_support::repo_root;

/// Kubeconfig of the shared control plane, with the CRDs applied and Established.
pub fn kubeconfig() -> PathBuf {
    let setup = || Setup {
        state: "pacto-crds".into(),
        // The committed CRDs (equal to the generated ones, see generate.rs).
        crd_files: [
            "pacto.trianalab.io_pactos.yaml",
            "pacto.trianalab.io_pactorevisions.yaml",
        ]
        .map(|f| Path::new(env!("CARGO_MANIFEST_DIR")).join(f))
        .to_vec(),
        field_manager: FIELD_MANAGER.into(),
        crds: pacto_crds::generate::crds(),
        audit_log: false,
    };
    CONTROL_PLANE
        .kubeconfig(setup)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A client for the shared control plane (one per test: clients are bound to a runtime).
pub async fn client() -> Client {
    pacto_e2e_support::client_for(&kubeconfig())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A fresh namespace for one test; deleted (asynchronously) by [`TestNamespace::cleanup`].
pub struct TestNamespace {
    pub name: String,
    client: Client,
}

impl TestNamespace {
    pub async fn new(client: &Client, prefix: &str) -> Self {
        let name = pacto_e2e_support::unique_namespace(prefix);
        pacto_e2e_support::create_namespace(client, &name)
            .await
            .expect("create namespace");
        Self {
            name,
            client: client.clone(),
        }
    }

    pub async fn cleanup(self) {
        pacto_e2e_support::delete_namespace(&self.client, &self.name).await;
    }
}

/// The API error (status code and message) of a failed call.
pub fn api_error<T: std::fmt::Debug>(result: Result<T, kube::Error>) -> (u16, String) {
    match result {
        Err(kube::Error::Api(status)) => (status.code, status.message.clone()),
        other => panic!("expected an API error, got {other:?}"),
    }
}
