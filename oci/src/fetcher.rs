//! Dependency graphs over registries: [`OciFetcher`] resolves `oci://` dependencies
//! (a batch at a time, with bounded parallelism, each ref once) and [`CompositeFetcher`]
//! routes each edge to it or to the local-directory fetcher, so local roots with OCI
//! dependencies and OCI roots both work. Failures become edge errors, never aborts.

use std::sync::{Arc, OnceLock};

use futures_util::StreamExt;
use pacto_core::Bundle;
use pacto_core::graph::local::LocalFetcher;
use pacto_core::graph::{DepRequest, FetchError, Fetched, Fetcher, Location, valid_contract};
use pacto_core::model::Contract;
use pacto_core::oci_ref::{OciRef, parse};
use pacto_core::validate::{ValidateOptions, validate_bundle};

use crate::blocking::BlockingRegistry;

pub const ENV_CONCURRENCY: &str = "PACTO_OCI_CONCURRENCY";
pub const DEFAULT_CONCURRENCY: usize = 8;

/// Whether a dependency ref names a registry artifact (else: a local directory).
pub fn is_oci_ref(reference: &str) -> bool {
    let r = reference.trim();
    if r.starts_with("oci://") {
        return true;
    }
    !r.starts_with("file://") && !r.starts_with('.') && !r.starts_with('/') && parse(r).is_ok()
}

pub struct OciFetcher {
    reg: Arc<BlockingRegistry>,
    concurrency: usize,
}

impl OciFetcher {
    pub fn new(reg: Arc<BlockingRegistry>, concurrency: usize) -> Self {
        Self {
            reg,
            concurrency: concurrency.max(1),
        }
    }

    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    fn parse(req: &DepRequest) -> Result<OciRef, FetchError> {
        parse(&req.reference).map_err(FetchError::remote)
    }

    async fn fetch_one(&self, req: DepRequest) -> Result<Fetched, FetchError> {
        let r = Self::parse(&req)?;
        let reg = self.reg.registry();
        let target = reg
            .resolve_version(&r, Some(&req.compatibility))
            .await
            .map_err(FetchError::remote)?;
        let pulled = reg.pull(&target).await.map_err(FetchError::remote)?;
        let shown = pulled.reference.to_oci_string();
        let contract = contract_of(&pulled.bundle, &shown)?;
        Ok(Fetched {
            contract,
            bundle: pulled.bundle.clone(),
            location: Location::Oci(pulled.reference.to_string()),
            resolved_ref: shown,
        })
    }
}

/// The validated contract of a pulled bundle, or a one-line reason.
pub fn contract_of(bundle: &Bundle, shown: &str) -> Result<Contract, FetchError> {
    valid_contract(validate_bundle(bundle, &ValidateOptions::default()), shown)
}

impl Fetcher for OciFetcher {
    /// The normalised ref; an untagged ref also carries its range, since two ranges on
    /// the same repository may pick different versions.
    fn key(&self, req: &DepRequest) -> Result<String, FetchError> {
        let r = Self::parse(req)?;
        let range = req.compatibility.trim();
        if r.has_explicit_tag() || range.is_empty() {
            Ok(Location::Oci(r.to_string()).key())
        } else {
            Ok(format!("{}#{range}", Location::Oci(r.to_string()).key()))
        }
    }

    fn fetch_all(
        &self,
        batch: Vec<(String, DepRequest)>,
    ) -> Vec<(String, Result<Fetched, FetchError>)> {
        let work = futures_util::stream::iter(batch)
            .map(|(key, req)| async move { (key, self.fetch_one(req).await) })
            .buffer_unordered(self.concurrency)
            .collect::<Vec<_>>();
        self.reg.block_on(work)
    }
}

type Factory = Box<dyn Fn() -> Result<OciFetcher, FetchError> + Send + Sync>;

/// Local directories through [`LocalFetcher`], registry refs through an [`OciFetcher`]
/// created on first need (so a purely local graph never builds a registry client).
pub struct CompositeFetcher {
    local: LocalFetcher,
    factory: Factory,
    oci: OnceLock<Result<OciFetcher, FetchError>>,
}

impl CompositeFetcher {
    pub fn new(
        local: LocalFetcher,
        factory: impl Fn() -> Result<OciFetcher, FetchError> + Send + Sync + 'static,
    ) -> Self {
        Self {
            local,
            factory: Box::new(factory),
            oci: OnceLock::new(),
        }
    }

    fn oci(&self) -> Result<&OciFetcher, FetchError> {
        self.oci
            .get_or_init(|| (self.factory)())
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl Fetcher for CompositeFetcher {
    fn key(&self, req: &DepRequest) -> Result<String, FetchError> {
        if is_oci_ref(&req.reference) {
            self.oci()?.key(req)
        } else {
            self.local.key(req)
        }
    }

    fn fetch_all(
        &self,
        batch: Vec<(String, DepRequest)>,
    ) -> Vec<(String, Result<Fetched, FetchError>)> {
        let (oci, local): (Vec<_>, Vec<_>) = batch
            .into_iter()
            .partition(|(_, r)| is_oci_ref(&r.reference));
        let mut out = self.local.fetch_all(local);
        if !oci.is_empty() {
            match self.oci() {
                Ok(f) => out.extend(f.fetch_all(oci)),
                Err(e) => out.extend(oci.into_iter().map(|(k, _)| (k, Err(e.clone())))),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::is_oci_ref;

    #[test]
    fn routes_refs_by_shape() {
        assert!(is_oci_ref("oci://ghcr.io/acme/a:1"));
        assert!(is_oci_ref("ghcr.io/acme/a:1"));
        assert!(!is_oci_ref("../a"));
        assert!(!is_oci_ref("file://../a"));
        assert!(!is_oci_ref("./a"));
        assert!(!is_oci_ref("a"));
        assert!(!is_oci_ref("/abs/a"));
    }
}
