//! One real control plane per test binary, started through `e2e/controlplane/cluster.sh`.
//!
//! If `PACTO_E2E_KUBECONFIG` is set (e.g. by `e2e/with-controlplane.sh`), that control plane is
//! used. Otherwise the first test starts one in its own state dir with `--watch-pid <this process>`,
//! so a detached watcher stops it as soon as the test binary exits, whatever the outcome.
//! Tests isolate themselves with one namespace each.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{DeleteParams, Patch, PatchParams, PostParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Api, Client, Config};

static CONTROL_PLANE: OnceLock<Result<PathBuf, String>> = OnceLock::new();
static NAMESPACE_SEQ: AtomicU32 = AtomicU32::new(0);

pub const FIELD_MANAGER: &str = "pacto-crds-tests";

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Kubeconfig of the shared control plane, with the CRDs applied and Established.
pub fn kubeconfig() -> PathBuf {
    let result = CONTROL_PLANE.get_or_init(|| {
        // Runs on its own thread: tests are already inside a tokio runtime.
        std::thread::spawn(|| -> Result<PathBuf, String> {
            let path = start_or_reuse()?;
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            rt.block_on(install_crds(&path))?;
            Ok(path)
        })
        .join()
        .map_err(|_| "control plane setup panicked".to_string())
        .and_then(|r| r)
    });
    match result {
        Ok(p) => p.clone(),
        Err(e) => panic!("no control plane: {e}"),
    }
}

fn start_or_reuse() -> Result<PathBuf, String> {
    if let Ok(p) = std::env::var("PACTO_E2E_KUBECONFIG") {
        return Ok(PathBuf::from(p));
    }
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| repo_root().join("target"));
    let state = target.join("e2e-tests").join("pacto-crds");
    let script = repo_root().join("e2e/controlplane/cluster.sh");
    // The committed CRDs (equal to the generated ones, see generate.rs) go in before the
    // controller-manager starts so its garbage collector knows the kinds immediately.
    let crds = [
        "pacto.trianalab.io_pactos.yaml",
        "pacto.trianalab.io_pactorevisions.yaml",
    ]
    .map(|f| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(f)
            .display()
            .to_string()
    })
    .join(" ");
    let out = Command::new("bash")
        .arg(&script)
        .args(["start", "--watch-pid", &std::process::id().to_string()])
        .env("PACTO_E2E_STATE_DIR", &state)
        .env("PACTO_E2E_CRDS", crds)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
    if !out.status.success() {
        return Err(format!(
            "{} start failed:\n{}",
            script.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(state.join("kubeconfig"))
}

pub async fn client_for(path: &Path) -> Client {
    let kc = Kubeconfig::read_from(path).expect("kubeconfig readable");
    let config = Config::from_custom_kubeconfig(kc, &KubeConfigOptions::default())
        .await
        .expect("kubeconfig valid");
    Client::try_from(config).expect("client")
}

/// A client for the shared control plane (one per test: clients are bound to a runtime).
pub async fn client() -> Client {
    client_for(&kubeconfig()).await
}

async fn install_crds(path: &Path) -> Result<(), String> {
    let client = client_for(path).await;
    let api: Api<CustomResourceDefinition> = Api::all(client);
    let pp = PatchParams::apply(FIELD_MANAGER).force();
    for crd in pacto_crds::generate::crds() {
        let name = crd.metadata.name.clone().unwrap_or_default();
        api.patch(&name, &pp, &Patch::Apply(&crd))
            .await
            .map_err(|e| format!("apply CRD {name}: {e}"))?;
        let established = kube::runtime::wait::conditions::is_crd_established();
        tokio::time::timeout(
            Duration::from_secs(30),
            kube::runtime::wait::await_condition(api.clone(), &name, established),
        )
        .await
        .map_err(|_| format!("CRD {name} not Established after 30 s"))?
        .map_err(|e| format!("watch CRD {name}: {e}"))?;
    }
    Ok(())
}

/// A fresh namespace for one test; deleted (asynchronously) by [`TestNamespace::cleanup`].
pub struct TestNamespace {
    pub name: String,
    client: Client,
}

impl TestNamespace {
    pub async fn new(client: &Client, prefix: &str) -> Self {
        let seq = NAMESPACE_SEQ.fetch_add(1, Ordering::SeqCst);
        let name = format!("{prefix}-{}-{seq}", std::process::id());
        let ns: Namespace = serde_json::from_value(serde_json::json!({
            "metadata": { "name": name }
        }))
        .expect("namespace object");
        Api::<Namespace>::all(client.clone())
            .create(&PostParams::default(), &ns)
            .await
            .expect("create namespace");
        Self {
            name,
            client: client.clone(),
        }
    }

    pub async fn cleanup(self) {
        let _ = Api::<Namespace>::all(self.client)
            .delete(&self.name, &DeleteParams::default())
            .await;
    }
}

/// The API error (status code and message) of a failed call.
pub fn api_error<T: std::fmt::Debug>(result: Result<T, kube::Error>) -> (u16, String) {
    match result {
        Err(kube::Error::Api(status)) => (status.code, status.message.clone()),
        other => panic!("expected an API error, got {other:?}"),
    }
}
