//! Shared state of all reconciles.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kube::Client;
use tokio::sync::Semaphore;

use super::statuses::Statuses;
use crate::contract::{ContractCache, Dereferenced};
use crate::eval::EvalSettings;
use crate::index::TargetIndex;
use crate::metrics::Metrics;
use crate::observe::TargetStores;
use crate::pacto_key::PactoKey;
use crate::probe::ProbeManager;
use crate::revisions::Revisions;
use crate::shard::Ownership;
use crate::status_writer::StatusWriter;
use crate::trailing::Trailing;
use crate::triggers::Triggers;

/// Retry delays after an outage: `min * 2^(n-1)`, capped at `max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    pub min: Duration,
    pub max: Duration,
}

impl Backoff {
    pub fn delay(&self, failures: u32) -> Duration {
        let exp = failures.saturating_sub(1).min(20);
        self.min.saturating_mul(1u32 << exp).min(self.max)
    }
}

/// A contract that dereferenced, with the Pacto generation it was for.
#[derive(Clone)]
pub struct LastGood {
    /// `metadata.generation` of the Pacto the contract was dereferenced for.
    pub generation: Option<i64>,
    pub contract: Arc<Dereferenced>,
}

pub struct Context {
    pub client: Client,
    pub cache: Arc<ContractCache>,
    pub metrics: Arc<Metrics>,
    pub probes: Arc<ProbeManager>,
    pub index: Arc<TargetIndex>,
    pub revisions: Revisions,
    pub writer: StatusWriter,
    /// Whole Pacto statuses and what dependency checks read (the Pacto store holds neither).
    pub statuses: Statuses,
    /// Revision and event writes queued behind the status writes.
    pub trailing: Trailing,
    pub triggers: Arc<Triggers>,
    /// Bounds reconciles across every namespace controller.
    pub permits: Arc<Semaphore>,
    pub settings: EvalSettings,
    /// Refuse pull Secrets without a `registry` key (`--require-bound-pull-secrets`).
    pub require_bound_pull_secrets: bool,
    /// Watch ConfigMap metadata to re-check the Pactos that bind a changed ConfigMap
    /// (`--no-config-map-watch` turns it off).
    pub watch_config_maps: bool,
    pub backoff: Backoff,
    /// Consecutive outage count per Pacto (drives the retry delay).
    pub failures: Mutex<HashMap<PactoKey, u32>>,
    /// Last contract that dereferenced for a Pacto generation, reused while the registry is
    /// unreachable (never for a changed spec).
    pub last_good: Mutex<HashMap<PactoKey, LastGood>>,
    /// Target stores (Services, workloads, EndpointSlices, HPAs) of every running controller.
    pub targets: Mutex<HashMap<Option<String>, Arc<TargetStores>>>,
    /// The shard this replica reconciles (every Pacto when unsharded).
    pub shard: Ownership,
}

impl Context {
    /// Records an outage and returns the delay before the next attempt.
    pub fn failed(&self, key: &PactoKey) -> Duration {
        let n = self
            .failures
            .lock()
            .map(|mut m| {
                let n = m.entry(key.clone()).or_insert(0);
                *n = n.saturating_add(1);
                *n
            })
            .unwrap_or(1);
        self.backoff.delay(n)
    }

    pub fn succeeded(&self, key: &PactoKey) {
        if let Ok(mut m) = self.failures.lock() {
            m.remove(key);
        }
    }

    /// The target stores of the controller that owns namespace `ns`.
    pub fn target_stores(&self, ns: &str) -> Option<Arc<TargetStores>> {
        let t = self.targets.lock().ok()?;
        t.get(&Some(ns.to_string()))
            .or_else(|| t.get(&None))
            .cloned()
    }

    /// Publishes how many objects the target stores of every scope hold.
    pub fn record_store_sizes(&self) {
        let Ok(t) = self.targets.lock() else {
            return;
        };
        let mut totals = std::collections::BTreeMap::new();
        for stores in t.values() {
            for (kind, n) in stores.sizes() {
                *totals.entry(kind).or_insert(0) += n;
            }
        }
        for (kind, n) in totals {
            self.metrics.set_watched(kind, n);
        }
    }

    /// Forgets the Pactos this replica no longer reconciles (its shard went to another
    /// replica): their probes stop and their metric series go, so only the shard's holder
    /// exports them.
    pub fn forget_unowned(&self) {
        let mut keys = self.probes.keys();
        keys.extend(
            self.metrics
                .pactos()
                .into_iter()
                .map(|(ns, name)| PactoKey::new(&ns, &name)),
        );
        for key in keys {
            if !self.shard.owns(&key) {
                self.forget(&key);
                self.revisions.mark_moved(&key);
            }
        }
    }

    /// Forgets everything about a deleted Pacto: metric series, probes, caches.
    pub fn forget(&self, key: &PactoKey) {
        self.metrics.remove_pacto(&key.namespace, &key.name);
        self.probes.remove(key);
        self.revisions.forget(key);
        self.index.remove(key);
        self.succeeded(key);
        if let Ok(mut m) = self.last_good.lock() {
            m.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        let b = Backoff {
            min: Duration::from_secs(2),
            max: Duration::from_secs(60),
        };
        assert_eq!(b.delay(1), Duration::from_secs(2));
        assert_eq!(b.delay(2), Duration::from_secs(4));
        assert_eq!(b.delay(5), Duration::from_secs(32));
        assert_eq!(b.delay(6), Duration::from_secs(60));
        assert_eq!(b.delay(u32::MAX), Duration::from_secs(60));
    }
}
