use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;

use crate::client::client_for;
use crate::crds::install_crds;
use crate::error::SupportError;
use crate::paths::{repo_root, state_dir};

/// Starts the control plane kept in `target/e2e-tests/<state>` (idempotent: a running one is
/// reused) with `--watch-pid <this process>`, so it stops once this test binary exits, whatever
/// the outcome; returns its admin kubeconfig. `PACTO_E2E_KUBECONFIG`, when set, is returned
/// instead and nothing is started. `crd_files` become `PACTO_E2E_CRDS` (applied before the
/// controller-manager starts); empty leaves the inherited environment as it is.
pub fn start_or_reuse(state: &str, crd_files: &[PathBuf]) -> Result<PathBuf, SupportError> {
    start_with(state, crd_files, false)
}

/// As [`start_or_reuse`]; with `audit_log`, a control plane started here writes the API
/// server's audit log (every request, metadata level) to `<state>/audit.log`.
pub fn start_with(
    state: &str,
    crd_files: &[PathBuf],
    audit_log: bool,
) -> Result<PathBuf, SupportError> {
    if let Ok(p) = std::env::var("PACTO_E2E_KUBECONFIG") {
        return Ok(PathBuf::from(p));
    }
    let state = state_dir(state);
    let script = repo_root().join("e2e/controlplane/cluster.sh");
    let mut cmd = Command::new("bash");
    cmd.arg(&script)
        .args(["start", "--watch-pid", &std::process::id().to_string()])
        .env("PACTO_E2E_STATE_DIR", &state);
    if audit_log {
        cmd.env("PACTO_E2E_AUDIT", "1");
    }
    if !crd_files.is_empty() {
        let list: Vec<String> = crd_files.iter().map(|f| f.display().to_string()).collect();
        cmd.env("PACTO_E2E_CRDS", list.join(" "));
    }
    let out = cmd.output().map_err(|source| SupportError::Spawn {
        script: script.clone(),
        source,
    })?;
    if !out.status.success() {
        return Err(SupportError::StartFailed {
            script,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        });
    }
    Ok(state.join("kubeconfig"))
}

/// How a test binary wants its control plane.
pub struct Setup {
    /// State dir name under `target/e2e-tests/`, distinct per test binary or crate.
    pub state: String,
    /// YAML files passed as `PACTO_E2E_CRDS` when the control plane is started here.
    pub crd_files: Vec<PathBuf>,
    /// Server-side apply field manager for the CRDs.
    pub field_manager: String,
    /// The CRDs applied (and awaited Established) once the control plane is up.
    pub crds: Vec<CustomResourceDefinition>,
    /// Write the API server's audit log (benchmarks count requests at the server with it).
    pub audit_log: bool,
}

/// The control plane of one test binary: set up by the first test that asks, shared by the
/// rest. Hold it in a `static`.
pub struct SharedControlPlane {
    cell: OnceLock<Result<PathBuf, String>>,
}

impl Default for SharedControlPlane {
    fn default() -> Self {
        Self::new()
    }
}

impl SharedControlPlane {
    pub const fn new() -> Self {
        Self {
            cell: OnceLock::new(),
        }
    }

    /// Kubeconfig of the control plane, started (or reused) with the CRDs installed and
    /// Established. `setup` runs only on the first call; a failed setup fails every call.
    pub fn kubeconfig(&self, setup: impl FnOnce() -> Setup) -> Result<PathBuf, SupportError> {
        let result = self.cell.get_or_init(|| {
            let setup = setup();
            // Its own thread and runtime: callers are usually inside a tokio runtime already,
            // where blocking on another runtime would panic.
            std::thread::spawn(move || prepare(setup).map_err(|e| e.to_string()))
                .join()
                .unwrap_or_else(|_| Err("control plane setup panicked".to_string()))
        });
        result.clone().map_err(SupportError::Setup)
    }
}

fn prepare(setup: Setup) -> Result<PathBuf, SupportError> {
    let path = start_with(&setup.state, &setup.crd_files, setup.audit_log)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(SupportError::Runtime)?;
    rt.block_on(async {
        let client = client_for(&path).await?;
        install_crds(&client, &setup.field_manager, &setup.crds).await
    })?;
    Ok(path)
}
