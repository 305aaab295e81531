//! PactoRevisions: one per distinct contract content (by sha256 of `pacto.yaml`), owned by
//! the Pacto (garbage-collected with it), named DNS-safe from version and content hash, with
//! a retention limit. Known revisions are cached per Pacto so a steady reconcile makes no
//! revision API call at all; the cache is filled by one paginated list per namespace (not
//! one list per Pacto: a label-selected list costs the API server a scan of the whole
//! namespace, so per-Pacto lists grow as N² with the Pactos of a namespace).
//!
//! A reconcile only plans (`plan.rs`); the writes (`write.rs`) trail the status write in
//! `crate::trailing`, so a Pacto's first status does not wait behind its revision.

pub mod plan;
mod write;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;
use kube::api::ListParams;
use kube::{Api, Client, ResourceExt};
use pacto_crds::revision::LABEL_PACTO;
use pacto_crds::status::RevisionSummary;
use pacto_crds::{Pacto, PactoRevision, PactoRevisionSpec, RevisionSource};

use crate::contract::{Dereferenced, Origin};
use crate::eval::revision_name::{revision_name, version_label_value as label_value};
use crate::fence::Fence;
use crate::pacto_key::PactoKey;
use plan::{Candidate, newest_first};
pub use plan::{NewRevision, Planned};

/// Errors of revision bookkeeping (retried; they never change the contract status).
#[derive(Debug, thiserror::Error)]
pub enum RevisionError {
    #[error("cannot list PactoRevisions of {0}: {1}")]
    List(String, kube::Error),
    #[error("cannot list the PactoRevisions of namespace {0}: {1}")]
    ListNamespace(String, kube::Error),
    #[error("cannot create PactoRevision {0}: {1}")]
    Create(String, kube::Error),
    #[error("Pacto {0} has no uid yet")]
    NoUid(String),
    #[error("not writing PactoRevisions of {0}: this replica's leader term may have ended")]
    Fenced(String),
}

pub struct Revisions {
    fence: Fence,
    client: Client,
    limit: usize,
    field_manager: String,
    known: Mutex<HashMap<PactoKey, Vec<RevisionSummary>>>,
    /// Namespaces whose revisions were listed into `known` (a failed list leaves the cell
    /// empty, so the next reconcile retries).
    namespaces: Mutex<HashMap<String, Arc<OnceCell<()>>>>,
    /// Pactos that went to another shard after their namespace was listed: their revisions
    /// are listed on their own if they come back.
    stale: Mutex<HashSet<PactoKey>>,
}

/// Page size of the namespace list.
const LIST_PAGE: u32 = 500;

fn summary(r: &PactoRevision) -> RevisionSummary {
    RevisionSummary {
        name: r.name_any(),
        version: r.spec.version.clone(),
        digest: r.spec.source.digest.clone(),
        created_at: r
            .status
            .as_ref()
            .and_then(|s| s.created_at.clone())
            .or_else(|| r.creation_timestamp()),
    }
}

impl Revisions {
    pub fn new(client: Client, limit: usize, field_manager: &str, fence: Fence) -> Self {
        Self {
            fence,
            client,
            limit: limit.max(1),
            field_manager: field_manager.to_string(),
            known: Mutex::new(HashMap::new()),
            namespaces: Mutex::new(HashMap::new()),
            stale: Mutex::new(HashSet::new()),
        }
    }

    /// Forgets a deleted Pacto (its revisions go with it, garbage-collected by owner).
    pub fn forget(&self, key: &PactoKey) {
        if let Ok(mut k) = self.known.lock() {
            k.remove(key);
        }
        if let Ok(mut s) = self.stale.lock() {
            s.remove(key);
        }
    }

    /// Marks a forgotten Pacto this replica stopped reconciling (another shard's now): should
    /// it come back, its revisions, written meanwhile by the other replica, are listed on
    /// their own. Deleted Pactos are not marked: their keys would stay in `stale` forever.
    pub fn mark_moved(&self, key: &PactoKey) {
        if let Ok(mut s) = self.stale.lock() {
            s.insert(key.clone());
        }
    }

    /// Cached revisions of a Pacto, without API calls (empty when never loaded).
    pub fn cached(&self, key: &PactoKey) -> Option<Vec<RevisionSummary>> {
        self.known.lock().ok().and_then(|k| k.get(key).cloned())
    }

    /// Records what a status now lists (its new revision queued for writing), so the next
    /// pass does not plan it again.
    pub fn record(&self, key: &PactoKey, known: Vec<RevisionSummary>) {
        if let Ok(mut k) = self.known.lock() {
            k.insert(key.clone(), known);
        }
    }

    /// Drops a revision whose write failed from the cache: the next reconcile plans it again.
    pub fn unrecord(&self, key: &PactoKey, name: &str) {
        if let Ok(mut k) = self.known.lock()
            && let Some(v) = k.get_mut(key)
        {
            v.retain(|r| r.name != name);
        }
    }

    async fn load(
        &self,
        api: &Api<PactoRevision>,
        key: &PactoKey,
    ) -> Result<Vec<RevisionSummary>, RevisionError> {
        if let Some(v) = self.cached(key) {
            return Ok(v);
        }
        let stale = self.stale.lock().map(|s| s.contains(key)).unwrap_or(true);
        if stale {
            return self.load_one(api, key).await;
        }
        let cell = self.namespace_cell(&key.namespace);
        cell.get_or_try_init(|| self.load_namespace(api, &key.namespace))
            .await?;
        Ok(self.cached(key).unwrap_or_default())
    }

    fn namespace_cell(&self, ns: &str) -> Arc<OnceCell<()>> {
        match self.namespaces.lock() {
            Ok(mut m) => m.entry(ns.to_string()).or_default().clone(),
            Err(_) => Arc::new(OnceCell::new()),
        }
    }

    /// Lists every revision of `ns` (paginated) into the cache, grouped by Pacto; entries
    /// already cached are newer than the list and kept.
    async fn load_namespace(
        &self,
        api: &Api<PactoRevision>,
        ns: &str,
    ) -> Result<(), RevisionError> {
        let mut by_pacto: HashMap<String, Vec<RevisionSummary>> = HashMap::new();
        let mut lp = ListParams::default().labels(LABEL_PACTO).limit(LIST_PAGE);
        loop {
            let page = api
                .list(&lp)
                .await
                .map_err(|e| RevisionError::ListNamespace(ns.to_string(), e))?;
            for r in &page.items {
                by_pacto
                    .entry(r.spec.pacto_ref.clone())
                    .or_default()
                    .push(summary(r));
            }
            match page.metadata.continue_ {
                Some(c) if !c.is_empty() => lp = lp.continue_token(&c),
                _ => break,
            }
        }
        if let Ok(mut k) = self.known.lock() {
            for (pacto, mut v) in by_pacto {
                newest_first(&mut v);
                k.entry(PactoKey::new(ns, &pacto)).or_insert(v);
            }
        }
        Ok(())
    }

    /// Lists one Pacto's revisions (a Pacto back from another shard).
    async fn load_one(
        &self,
        api: &Api<PactoRevision>,
        key: &PactoKey,
    ) -> Result<Vec<RevisionSummary>, RevisionError> {
        let lp = ListParams::default().labels(&format!("{LABEL_PACTO}={}", label_value(&key.name)));
        let list = api
            .list(&lp)
            .await
            .map_err(|e| RevisionError::List(key.to_string(), e))?;
        let mut v: Vec<RevisionSummary> = list
            .items
            .iter()
            .filter(|r| r.spec.pacto_ref == key.name)
            .map(summary)
            .collect();
        newest_first(&mut v);
        if let Ok(mut k) = self.known.lock() {
            k.insert(key.clone(), v.clone());
        }
        if let Ok(mut s) = self.stale.lock() {
            s.remove(key);
        }
        Ok(v)
    }

    /// The revision of `d`'s content and what the status lists; a new one is returned to be
    /// written after the status (reads the namespace's revisions once, writes nothing).
    pub async fn plan(&self, pacto: &Pacto, d: &Dereferenced) -> Result<Planned, RevisionError> {
        let ns = pacto.namespace().unwrap_or_default();
        let key = PactoKey::new(&ns, &pacto.name_any());
        let api: Api<PactoRevision> = Api::namespaced(self.client.clone(), &ns);
        let known = self.load(&api, &key).await?;
        let version = d
            .report
            .contract
            .as_ref()
            .map(|c| c.service.version.to_string())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "unknown".to_string());
        let name = revision_name(&key.name, &version, &d.content_hash);
        let spec = PactoRevisionSpec {
            version,
            source: RevisionSource {
                oci: d.resolved_ref().map(str::to_string),
                digest: Some(
                    d.digest()
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("sha256:{}", d.content_hash)),
                ),
                inline: matches!(d.origin, Origin::Inline),
            },
            pacto_ref: key.name.clone(),
            service_name: d.report.contract.as_ref().map(|c| c.service.name.clone()),
        };
        let candidate = Candidate {
            uid: pacto.uid(),
            key,
            name,
            spec,
            contract_hash: d.content_hash.clone(),
            created_at: now(),
        };
        Ok(plan::plan(known, candidate, self.limit))
    }
}

/// Whole seconds: what the API stores, so the cached value equals the one read back.
fn now() -> Time {
    Time(Timestamp::from_second(Timestamp::now().as_second()).unwrap_or_else(|_| Timestamp::now()))
}
