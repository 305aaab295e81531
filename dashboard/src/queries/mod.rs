//! Answers shared by the JSON API and the pages, each computed from one immutable snapshot
//! (and the loader, for bundles): a service or version by name, the service detail with its
//! versions, the dependency graph, the diff of two versions and the impact of a version
//! change. `api` serialises them and
//! `html` renders them; the records they return are the wire shapes of both.

pub mod detail;
pub mod diff;
pub mod graph;
pub mod impact;
pub mod service;
pub mod versions;

use crate::snapshot::{MergedVersion, ServiceEntry, Snapshot};

/// Why a query has no answer. The messages are shown as they are (API bodies, pages).
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("no service named {0:?}")]
    NoService(String),
    #[error("{name} has no version {version:?}")]
    NoVersion { name: String, version: String },
    #[error("{0} has no contract")]
    NoContract(String),
    /// A bundle could not be read (directory, cache or registry); the loader's reason.
    #[error("{0}")]
    Unavailable(String),
    #[error("one side fails validation, so it cannot be diffed")]
    NotDiffable,
}

/// The service called `name`.
pub fn find<'a>(snap: &'a Snapshot, name: &str) -> Result<&'a ServiceEntry, QueryError> {
    snap.services
        .get(name)
        .ok_or_else(|| QueryError::NoService(name.to_string()))
}

/// A version written `name@version`; a bare name means the service's current version.
pub fn find_version<'a>(snap: &'a Snapshot, spec: &str) -> Result<&'a MergedVersion, QueryError> {
    let (name, ver) = match spec.rsplit_once('@') {
        Some((n, v)) => (n, Some(v)),
        None => (spec, None),
    };
    let svc = find(snap, name)?;
    match ver {
        Some(v) => svc.version(v).ok_or_else(|| QueryError::NoVersion {
            name: name.to_string(),
            version: v.to_string(),
        }),
        None => svc
            .current()
            .ok_or_else(|| QueryError::NoContract(name.to_string())),
    }
}
