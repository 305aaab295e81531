//! The process's registry access, created on first need: one cached registry client,
//! the policy/configuration ref resolver and the graph fetcher all share it.

use crate::error::CliError;
use pacto_core::graph::FetchError;
use pacto_core::graph::local::LocalFetcher;
use pacto_core::oci_ref::{OciRef, parse};
use pacto_core::validate::{PolicyResolver, RefError};
use pacto_oci::caching_registry::truthy;
use pacto_oci::creds::ProcessEnv;
use pacto_oci::fetcher::{DEFAULT_CONCURRENCY, ENV_CONCURRENCY, is_oci_ref};
use pacto_oci::{
    BlockingRegistry, CacheOptions, CachedRegistry, CompositeFetcher, Keychain, OciError,
    OciFetcher, OciPolicyResolver, RegistryClient, RegistryOptions,
};
use serde_json::Value;
use std::sync::{Arc, OnceLock};

/// Global flags that shape registry access.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub no_cache: bool,
    pub concurrency: Option<usize>,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();
static REGISTRY: OnceLock<Result<Arc<BlockingRegistry>, String>> = OnceLock::new();

pub fn configure(s: Settings) {
    let _ = SETTINGS.set(s);
}

fn settings() -> Settings {
    SETTINGS.get().copied().unwrap_or(Settings {
        no_cache: false,
        concurrency: None,
    })
}

/// `--concurrency`, else `PACTO_OCI_CONCURRENCY`, else 8.
pub fn concurrency() -> usize {
    settings()
        .concurrency
        .or_else(|| {
            std::env::var(ENV_CONCURRENCY)
                .ok()
                .and_then(|v| v.trim().parse().ok())
        })
        .filter(|n| *n > 0)
        .unwrap_or(DEFAULT_CONCURRENCY)
}

impl From<OciError> for CliError {
    fn from(e: OciError) -> Self {
        CliError::Failed(e.to_string())
    }
}

/// The shared registry. `primary` is the registry the command targets: environment
/// credentials go only there (unless `PACTO_REGISTRY_HOST` says otherwise).
pub fn registry(primary: Option<&str>) -> Result<Arc<BlockingRegistry>, CliError> {
    REGISTRY
        .get_or_init(|| build(primary).map(Arc::new).map_err(|e| e.to_string()))
        .clone()
        .map_err(CliError::Failed)
}

fn build(primary: Option<&str>) -> Result<BlockingRegistry, OciError> {
    let mut keychain = Keychain::load(Box::new(ProcessEnv))?;
    if let Some(p) = primary {
        keychain = keychain.with_primary_registry(p);
    }
    let client = RegistryClient::new(keychain, RegistryOptions::from_env(&ProcessEnv))?;
    let mut cache = CacheOptions::from_env(&ProcessEnv);
    if settings().no_cache || std::env::var("PACTO_NO_CACHE").is_ok_and(|v| truthy(&v)) {
        cache.read = false;
    }
    BlockingRegistry::new(CachedRegistry::new(client, cache))
}

/// Parses a registry reference given on the command line.
pub fn parse_ref(s: &str) -> Result<OciRef, CliError> {
    parse(s).map_err(|e| CliError::Usage(e.to_string()))
}

/// Local directories plus registry refs, the registry created only if an edge needs it.
pub fn fetcher() -> CompositeFetcher {
    CompositeFetcher::new(LocalFetcher::default(), || {
        let reg = registry(None).map_err(|e| FetchError::Unavailable(e.to_string()))?;
        Ok(OciFetcher::new(reg, concurrency()))
    })
}

/// Resolves policy and configuration refs through the registry, created on first use.
pub struct LazyResolver {
    /// The validated contract's own ref, when it came from a registry.
    pub root: Option<String>,
}

impl LazyResolver {
    fn inner(&self, reference: &str) -> Result<OciPolicyResolver, String> {
        if !is_oci_ref(reference) {
            return Err(format!(
                "\"{reference}\" is a local path; only registry refs are resolved: publish that contract and refer to it as oci://registry/repository:tag"
            ));
        }
        let primary = parse(reference).ok().map(|r| r.registry);
        let reg = registry(primary.as_deref()).map_err(|e| e.to_string())?;
        Ok(OciPolicyResolver::new(reg, self.root.clone()))
    }
}

impl PolicyResolver for LazyResolver {
    fn resolve(&self, reference: &str) -> Result<Value, RefError> {
        self.inner(reference)
            .map_err(RefError::Unresolved)?
            .resolve(reference)
    }

    fn resolve_policy(&self, reference: &str) -> Result<Value, RefError> {
        self.inner(reference)
            .map_err(RefError::Unresolved)?
            .resolve_policy(reference)
    }

    fn resolve_config(&self, reference: &str) -> Option<Result<Value, RefError>> {
        match self.inner(reference) {
            Ok(r) => r.resolve_config(reference),
            Err(e) => Some(Err(RefError::Unresolved(e))),
        }
    }
}
