use std::path::PathBuf;

/// What went wrong while preparing the control plane for a test.
#[derive(Debug, thiserror::Error)]
pub enum SupportError {
    #[error("cannot run {script}: {source}")]
    Spawn {
        script: PathBuf,
        source: std::io::Error,
    },
    #[error("{script} start failed:\n{stderr}")]
    StartFailed { script: PathBuf, stderr: String },
    #[error("kubeconfig {path}: {message}")]
    Kubeconfig { path: PathBuf, message: String },
    #[error("apply CRD {name}: {source}")]
    ApplyCrd { name: String, source: kube::Error },
    #[error("CRD {name} not Established after {secs} s")]
    CrdNotEstablished { name: String, secs: u64 },
    #[error("watch CRD {name}: {message}")]
    WatchCrd { name: String, message: String },
    #[error("tokio runtime for the control plane setup: {0}")]
    Runtime(std::io::Error),
    #[error("cluster.sh {action} {component} failed:\n{stderr}")]
    ComponentFault {
        action: String,
        component: &'static str,
        stderr: String,
    },
    /// The one-time setup failed earlier in this test binary (its message, kept for every caller).
    #[error("no control plane: {0}")]
    Setup(String),
}
