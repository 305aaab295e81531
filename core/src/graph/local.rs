//! Resolving `file://` and relative-path dependencies from disk.

use super::{DepRequest, Fetched, Fetcher, Location};
use crate::bundle::{Bundle, Limits};
use crate::validate::{ValidateOptions, validate_bundle};
use std::path::PathBuf;

/// Loads local dependencies relative to the declaring bundle's directory.
#[derive(Debug, Clone, Default)]
pub struct LocalFetcher {
    pub limits: Limits,
}

impl LocalFetcher {
    fn path_of(&self, req: &DepRequest) -> Result<PathBuf, String> {
        if req.reference.starts_with("oci://") {
            return Err(format!(
                "{}: OCI dependencies are not resolved from a local graph",
                req.reference
            ));
        }
        let Location::Dir(base) = &req.base else {
            return Err(format!(
                "{}: a local dependency inside a registry bundle cannot be resolved",
                req.reference
            ));
        };
        let rel = req
            .reference
            .strip_prefix("file://")
            .unwrap_or(&req.reference);
        let path = base.join(rel);
        // The message names the ref as written, not the absolute path: it is shown to
        // users and must not depend on where the checkout lives.
        std::fs::canonicalize(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => format!(
                "{}: no such directory (relative to the declaring bundle)",
                req.reference
            ),
            _ => format!("{}: cannot open: {e}", req.reference),
        })
    }
}

impl Fetcher for LocalFetcher {
    fn key(&self, req: &DepRequest) -> Result<String, String> {
        self.path_of(req).map(|p| Location::Dir(p).key())
    }

    fn fetch_all(
        &self,
        batch: Vec<(String, DepRequest)>,
    ) -> Vec<(String, Result<Fetched, String>)> {
        batch
            .into_iter()
            .map(|(key, req)| (key, self.fetch_one(&req)))
            .collect()
    }
}

impl LocalFetcher {
    fn fetch_one(&self, req: &DepRequest) -> Result<Fetched, String> {
        let dir = self.path_of(req)?;
        let bundle =
            Bundle::from_dir(&dir, &self.limits).map_err(|e| format!("{}: {e}", req.reference))?;
        let report = validate_bundle(&bundle, &ValidateOptions::default());
        let contract = match (report.contract, report.errors.first()) {
            (Some(c), None) => c,
            (_, Some(first)) => {
                return Err(format!(
                    "{}: invalid contract ({} error(s), first: [{}] {}: {})",
                    req.reference,
                    report.errors.len(),
                    first.code,
                    first.path,
                    first.message
                ));
            }
            (None, None) => {
                return Err(format!("{}: contract could not be read", req.reference));
            }
        };
        Ok(Fetched {
            contract,
            bundle,
            location: Location::Dir(dir),
            resolved_ref: req.reference.clone(),
        })
    }
}
