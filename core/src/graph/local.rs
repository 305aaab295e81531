//! Resolving `file://` and relative-path dependencies from disk.

use super::{DepRequest, FetchError, Fetched, Fetcher, Location, valid_contract};
use crate::bundle::{Bundle, Limits};
use crate::validate::{ValidateOptions, validate_bundle};
use std::path::PathBuf;
use std::sync::Arc;

/// Loads local dependencies relative to the declaring bundle's directory.
#[derive(Debug, Clone, Default)]
pub struct LocalFetcher {
    pub limits: Limits,
}

impl LocalFetcher {
    fn path_of(&self, req: &DepRequest) -> Result<PathBuf, FetchError> {
        let reference = || req.reference.clone();
        if req.reference.starts_with("oci://") {
            return Err(FetchError::OciInLocalGraph {
                reference: reference(),
            });
        }
        let Location::Dir(base) = &req.base else {
            return Err(FetchError::LocalInsideRegistryBundle {
                reference: reference(),
            });
        };
        let rel = req
            .reference
            .strip_prefix("file://")
            .unwrap_or(&req.reference);
        let path = base.join(rel);
        // The message names the ref as written, not the absolute path: it is shown to
        // users and must not depend on where the checkout lives.
        std::fs::canonicalize(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => FetchError::NoSuchDirectory {
                reference: reference(),
            },
            _ => FetchError::CannotOpen {
                reference: reference(),
                source: Arc::new(e),
            },
        })
    }
}

impl Fetcher for LocalFetcher {
    fn key(&self, req: &DepRequest) -> Result<String, FetchError> {
        self.path_of(req).map(|p| Location::Dir(p).key())
    }

    fn fetch_all(
        &self,
        batch: Vec<(String, DepRequest)>,
    ) -> Vec<(String, Result<Fetched, FetchError>)> {
        batch
            .into_iter()
            .map(|(key, req)| (key, self.fetch_one(&req)))
            .collect()
    }
}

impl LocalFetcher {
    fn fetch_one(&self, req: &DepRequest) -> Result<Fetched, FetchError> {
        let dir = self.path_of(req)?;
        let bundle = Bundle::from_dir(&dir, &self.limits).map_err(|e| FetchError::Bundle {
            reference: req.reference.clone(),
            source: Arc::new(e),
        })?;
        let report = validate_bundle(&bundle, &ValidateOptions::default());
        let contract = valid_contract(report, &req.reference)?;
        Ok(Fetched {
            contract,
            bundle,
            location: Location::Dir(dir),
            resolved_ref: req.reference.clone(),
        })
    }
}
