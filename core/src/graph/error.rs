//! Why one dependency edge could not be resolved. The graph records the message on the
//! edge; fetching goes on for the rest of the graph.

use std::sync::Arc;

use crate::bundle::BundleError;
use crate::model::Contract;
use crate::validate::ValidationReport;

/// A failure to resolve one dependency request. Cheap to clone: one failed setup (e.g.
/// no registry client) is reported on every edge that needed it.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FetchError {
    #[error("{reference}: OCI dependencies are not resolved from a local graph")]
    OciInLocalGraph { reference: String },
    #[error("{reference}: a local dependency inside a registry bundle cannot be resolved")]
    LocalInsideRegistryBundle { reference: String },
    #[error("{reference}: no such directory (relative to the declaring bundle)")]
    NoSuchDirectory { reference: String },
    #[error("{reference}: cannot open: {source}")]
    CannotOpen {
        reference: String,
        source: Arc<std::io::Error>,
    },
    #[error("{reference}: {source}")]
    Bundle {
        reference: String,
        source: Arc<BundleError>,
    },
    /// `shown` names the contract as the user knows it (the ref as written or resolved).
    #[error("{shown}: invalid contract ({count} error(s), first: [{code}] {path}: {message})")]
    InvalidContract {
        shown: String,
        count: usize,
        code: String,
        path: String,
        message: String,
    },
    #[error("{shown}: contract could not be read")]
    Unreadable { shown: String },
    /// The fetcher could not be set up (e.g. no registry client); the message says why.
    #[error("{0}")]
    Unavailable(String),
    /// A remote source (registry, reference syntax) failed; its own error says how.
    #[error(transparent)]
    Remote(Arc<dyn std::error::Error + Send + Sync>),
}

impl FetchError {
    pub fn remote(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        FetchError::Remote(Arc::new(e))
    }
}

/// The contract of a validated bundle, or why there is none (the first error and the
/// count). `shown` names the bundle in the message.
pub fn valid_contract(report: ValidationReport, shown: &str) -> Result<Contract, FetchError> {
    match (report.contract, report.errors.first()) {
        (Some(c), None) => Ok(c),
        (_, Some(first)) => Err(FetchError::InvalidContract {
            shown: shown.to_string(),
            count: report.errors.len(),
            code: first.code.clone(),
            path: first.path.clone(),
            message: first.message.clone(),
        }),
        (None, None) => Err(FetchError::Unreadable {
            shown: shown.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Finding;

    fn report(errors: Vec<Finding>) -> ValidationReport {
        ValidationReport {
            contract: None,
            errors,
            warnings: Vec::new(),
            references: Vec::new(),
        }
    }

    #[test]
    fn messages_name_the_ref_and_the_first_error() {
        let e = valid_contract(
            report(vec![
                Finding::error("SCHEMA_VIOLATION", "service.name", "is required"),
                Finding::error("OTHER", "x", "y"),
            ]),
            "oci://r.io/a:1",
        );
        assert_eq!(
            e.err().map(|e| e.to_string()).as_deref(),
            Some(
                "oci://r.io/a:1: invalid contract (2 error(s), first: [SCHEMA_VIOLATION] \
                 service.name: is required)"
            )
        );
        let e = valid_contract(report(Vec::new()), "../b");
        assert_eq!(
            e.err().map(|e| e.to_string()).as_deref(),
            Some("../b: contract could not be read")
        );
    }

    #[test]
    fn remote_errors_keep_their_own_message() {
        let io = std::io::Error::other("connection refused");
        assert_eq!(FetchError::remote(io).to_string(), "connection refused");
        assert_eq!(
            FetchError::Unavailable("no registry".into()).to_string(),
            "no registry"
        );
    }
}
