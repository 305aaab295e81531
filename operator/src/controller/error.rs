//! Why a reconcile failed (kube-runtime retries it).

/// Failures that make kube-runtime retry the reconcile (outages of the registry or of API
/// reads are not errors: they become status Unknown with a requeue).
#[derive(Debug, thiserror::Error)]
pub enum ReconcileError {
    #[error("cannot write the status of {key}: {source}")]
    StatusWrite {
        key: String,
        #[source]
        source: kube::Error,
    },
    #[error("the reconcile pool is closed")]
    Closed,
}

impl ReconcileError {
    pub fn category(&self) -> &'static str {
        match self {
            Self::StatusWrite { .. } => "status_write",
            Self::Closed => "shutdown",
        }
    }
}
