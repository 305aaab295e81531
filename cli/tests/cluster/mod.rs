//! Shared by the CLI tests that need the real local control plane: start one per test
//! binary (`e2e/controlplane/cluster.sh`, stopped when the binary exits), a client for it,
//! and the CRDs installed and Established. `PACTO_E2E_KUBECONFIG` selects a running one.

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Patch, PatchParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Api, Client, Config};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Starts (or reuses) the control plane kept under `target/e2e-tests/<state>`; returns its
/// admin kubeconfig.
pub fn control_plane(state: &str) -> PathBuf {
    if let Ok(p) = std::env::var("PACTO_E2E_KUBECONFIG") {
        return PathBuf::from(p);
    }
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| repo().join("target"));
    let state = target.join("e2e-tests").join(state);
    let out = Command::new("bash")
        .arg(repo().join("e2e/controlplane/cluster.sh"))
        .args(["start", "--watch-pid", &std::process::id().to_string()])
        .env("PACTO_E2E_STATE_DIR", &state)
        .output()
        .expect("run cluster.sh");
    assert!(
        out.status.success(),
        "cluster.sh start failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    state.join("kubeconfig")
}

pub async fn client(path: &Path) -> Client {
    let kc = Kubeconfig::read_from(path).unwrap();
    let config = Config::from_custom_kubeconfig(kc, &KubeConfigOptions::default())
        .await
        .unwrap();
    Client::try_from(config).unwrap()
}

/// Applies the generated CRDs (server-side, as `manager`) and waits until Established.
pub async fn install_crds(client: &Client, manager: &str) {
    let api: Api<CustomResourceDefinition> = Api::all(client.clone());
    let pp = PatchParams::apply(manager).force();
    for crd in pacto_crds::generate::crds() {
        let name = crd.metadata.name.clone().unwrap();
        api.patch(&name, &pp, &Patch::Apply(&crd)).await.unwrap();
        tokio::time::timeout(
            Duration::from_secs(30),
            kube::runtime::wait::await_condition(
                api.clone(),
                &name,
                kube::runtime::wait::conditions::is_crd_established(),
            ),
        )
        .await
        .expect("CRD Established within 30 s")
        .unwrap();
    }
}
