//! On-demand access to full bundles, through a byte-bounded LRU: only the versions
//! being viewed stay resident.

use crate::contract_view::{self, ContractView};
use crate::lru::ByteLru;
use crate::model::{InlineContract, Locator, Summary};
use crate::sources::k8s::inline;
use crate::sources::{cache, lock, oci};
use crate::summarize::{self, summarize};
use pacto_core::bundle::{Bundle, Limits};
use pacto_core::model::Contract;
use pacto_oci::CachedRegistry;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Why a version's bundle could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("inline contract analysis was cancelled")]
    AnalysisCancelled,
    #[error("bundle read was cancelled")]
    ReadCancelled,
    #[error(transparent)]
    Bundle(#[from] pacto_core::bundle::BundleError),
    /// The cache entry could not be read; the message names it.
    #[error(transparent)]
    CacheEntry(#[from] crate::sources::cache::CacheReadError),
    /// The registry pull failed; the message is the error code shown to clients.
    #[error("{0}")]
    Pull(String),
    #[error("oci source is not active")]
    OciInactive,
    #[error("inline contracts have no bundle")]
    InlineHasNoBundle,
}

/// A version with its bundle read and analysed.
#[derive(Debug)]
pub struct Loaded {
    pub contract: Option<Contract>,
    pub bundle: Bundle,
    pub summary: Arc<Summary>,
    pub view: ContractView,
}

pub struct Loader {
    lru: Mutex<ByteLru<Locator, Arc<Loaded>>>,
    oci: Option<Arc<CachedRegistry>>,
    /// (older hash, newer hash) → classification; tiny, so bounded by count.
    classifications: Mutex<HashMap<(String, String), String>>,
}

const MAX_CLASSIFICATIONS: usize = 100_000;

impl Loader {
    pub fn new(capacity_bytes: u64, oci: Option<Arc<CachedRegistry>>) -> Self {
        Loader {
            lru: Mutex::new(ByteLru::new(capacity_bytes)),
            oci,
            classifications: Mutex::new(HashMap::new()),
        }
    }

    pub fn resident_bytes(&self) -> u64 {
        lock(&self.lru).used_bytes()
    }

    pub fn resident_entries(&self) -> usize {
        lock(&self.lru).len()
    }

    pub fn clear(&self) {
        lock(&self.lru).clear();
    }

    pub async fn load(&self, loc: &Locator) -> Result<Arc<Loaded>, LoadError> {
        if let Some(hit) = lock(&self.lru).get(loc) {
            return Ok(hit);
        }
        if let Locator::Inline(c) = loc {
            let c = c.clone();
            let loaded = tokio::task::spawn_blocking(move || analyse_inline(&c))
                .await
                .map_err(|_| LoadError::AnalysisCancelled)?;
            let loaded = Arc::new(loaded);
            let bytes = loaded.bundle.total_size() + loaded.view.bytes;
            lock(&self.lru).insert(loc.clone(), loaded.clone(), bytes);
            return Ok(loaded);
        }
        let bundle = match loc {
            Locator::Dir(d) => {
                let d = d.clone();
                tokio::task::spawn_blocking(move || Bundle::from_dir(&d, &Limits::default()))
                    .await
                    .map_err(|_| LoadError::ReadCancelled)??
            }
            Locator::CacheFile(f) => {
                let f = f.clone();
                tokio::task::spawn_blocking(move || cache::read_bundle(&f))
                    .await
                    .map_err(|_| LoadError::ReadCancelled)?
                    .map_err(LoadError::CacheEntry)?
            }
            Locator::Oci(r) => match &self.oci {
                Some(c) => oci::pull(c, r).await.map_err(LoadError::Pull)?,
                None => return Err(LoadError::OciInactive),
            },
            Locator::Inline(_) => return Err(LoadError::InlineHasNoBundle),
        };
        let loaded = Arc::new(analyse(bundle));
        let bytes = loaded.bundle.total_size() + loaded.view.bytes;
        lock(&self.lru).insert(loc.clone(), loaded.clone(), bytes);
        Ok(loaded)
    }

    pub fn classification(&self, old_hash: &str, new_hash: &str) -> Option<String> {
        lock(&self.classifications)
            .get(&(old_hash.to_string(), new_hash.to_string()))
            .cloned()
    }

    pub fn remember_classification(&self, old_hash: &str, new_hash: &str, c: &str) {
        let mut m = lock(&self.classifications);
        if m.len() >= MAX_CLASSIFICATIONS {
            m.clear();
        }
        m.insert((old_hash.to_string(), new_hash.to_string()), c.to_string());
    }
}

pub fn analyse(bundle: Bundle) -> Loaded {
    let report = pacto_core::validate::validate_bundle(&bundle, &Default::default());
    let summary = Arc::new(summarize(&bundle));
    let view = contract_view::build(report.contract.as_ref(), &bundle);
    Loaded {
        contract: report.contract,
        bundle,
        summary,
        view,
    }
}

/// An inline contract: the effective (overridden) contract is what the sections show.
pub fn analyse_inline(c: &InlineContract) -> Loaded {
    let eff = inline::effective(c);
    let summary = Arc::new(summarize::from_report(
        &eff.report,
        c.text.as_bytes(),
        eff.bundle.total_size() + 64,
    ));
    let view = contract_view::build(eff.report.contract.as_ref(), &eff.bundle);
    Loaded {
        contract: eff.report.contract,
        bundle: eff.bundle,
        summary,
        view,
    }
}
