//! Endpoint probes in their own bounded task pool, never inside a reconcile: the reconcile
//! hands over a plan (what to probe), a per-Pacto task probes every replica each interval
//! under a global concurrency limit, folds the round into [`EndpointProbe`] counters and
//! enqueues the Pacto when the round differs from the last one or is still converging
//! towards the flip threshold. Reconciles read the latest results.

pub mod http;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use tokio::sync::Semaphore;
use tokio::task::JoinHandle;

use crate::eval::probes::{ProbePlan, Unprobeable};
use crate::eval::{EndpointProbe, ProbeKind, ProbeResults, ReplicaResult};
use crate::metrics::Metrics;
use crate::pacto_key::PactoKey;
use crate::triggers::Triggers;
pub use http::Prober;

/// What to probe for one endpoint kind, or why it cannot be probed (from the evaluator's
/// pure planner, [`crate::eval::probes::plan_probes`]).
pub type Planned = Result<ProbePlan, Unprobeable>;

fn kind_of(p: &Planned) -> ProbeKind {
    match p {
        Ok(p) => p.kind,
        Err(u) => u.kind,
    }
}

struct Entry {
    plans: Vec<Planned>,
    task: JoinHandle<()>,
}

/// The probe pool.
pub struct ProbeManager {
    prober: Prober,
    permits: Arc<Semaphore>,
    interval: Duration,
    threshold: u32,
    entries: Mutex<HashMap<PactoKey, Entry>>,
    results: Arc<Mutex<HashMap<PactoKey, ProbeResults>>>,
    triggers: Arc<Triggers>,
    metrics: Arc<Metrics>,
}

impl ProbeManager {
    pub fn new(
        prober: Prober,
        concurrency: usize,
        interval: Duration,
        threshold: u32,
        triggers: Arc<Triggers>,
        metrics: Arc<Metrics>,
    ) -> Self {
        Self {
            prober,
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            interval,
            threshold,
            entries: Mutex::new(HashMap::new()),
            results: Arc::new(Mutex::new(HashMap::new())),
            triggers,
            metrics,
        }
    }

    /// Latest results for a Pacto (empty before the first round).
    pub fn results(&self, key: &PactoKey) -> ProbeResults {
        self.results
            .lock()
            .ok()
            .and_then(|m| m.get(key).cloned())
            .unwrap_or_default()
    }

    /// Installs the plan; an unchanged plan keeps its running task (and schedule).
    pub fn set_plan(&self, key: &PactoKey, plans: Vec<Planned>) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.get(key).is_some_and(|e| e.plans == plans) {
            return;
        }
        if let Some(old) = entries.remove(key) {
            old.task.abort();
        }
        if plans.is_empty() {
            if let Ok(mut r) = self.results.lock() {
                r.remove(key);
            }
            return;
        }
        // Drop results of kinds no longer planned.
        if let Ok(mut r) = self.results.lock()
            && let Some(res) = r.get_mut(key)
        {
            if !plans.iter().any(|p| kind_of(p) == ProbeKind::Health) {
                res.health = None;
            }
            if !plans.iter().any(|p| kind_of(p) == ProbeKind::Metrics) {
                res.metrics = None;
            }
        }
        let task = tokio::spawn(probe_loop(
            key.clone(),
            plans.clone(),
            self.prober.clone(),
            self.permits.clone(),
            self.interval,
            self.threshold,
            self.results.clone(),
            self.triggers.clone(),
            self.metrics.clone(),
        ));
        entries.insert(key.clone(), Entry { plans, task });
    }

    /// Stops probing a Pacto and forgets its results (Pacto deleted).
    pub fn remove(&self, key: &PactoKey) {
        self.set_plan(key, Vec::new());
    }

    /// Pactos being probed.
    pub fn keys(&self) -> Vec<PactoKey> {
        self.entries
            .lock()
            .map(|e| e.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Number of Pactos being probed.
    pub fn len(&self) -> usize {
        self.entries.lock().map(|e| e.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Drop for ProbeManager {
    fn drop(&mut self) {
        if let Ok(entries) = self.entries.lock() {
            for e in entries.values() {
                e.task.abort();
            }
        }
    }
}

/// What a round looked like, without volatile latencies: a change enqueues the Pacto.
fn fingerprint(p: &EndpointProbe) -> Vec<(String, bool, Option<u16>, Option<String>)> {
    let mut v: Vec<_> = p
        .replicas
        .iter()
        .map(|r| (r.address.clone(), r.ok, r.status_code, r.error.clone()))
        .collect();
    v.push((
        p.url.clone(),
        p.unobservable.is_some(),
        None,
        p.unobservable.clone(),
    ));
    v.push((String::new(), false, None, p.skipped.clone()));
    v
}

/// Whether the new round should wake the reconcile: the outcome changed, or the counters are
/// still climbing to the threshold (the evaluator flips a condition only once they reach it).
pub fn should_trigger(prev: Option<&EndpointProbe>, next: &EndpointProbe, threshold: u32) -> bool {
    match prev {
        None => true,
        Some(p) => {
            fingerprint(p) != fingerprint(next)
                || next.consecutive_failures.max(next.consecutive_successes) <= threshold
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn probe_loop(
    key: PactoKey,
    plans: Vec<Planned>,
    prober: Prober,
    permits: Arc<Semaphore>,
    interval: Duration,
    threshold: u32,
    results: Arc<Mutex<HashMap<PactoKey, ProbeResults>>>,
    triggers: Arc<Triggers>,
    metrics: Arc<Metrics>,
) {
    loop {
        let mut wake = false;
        for p in &plans {
            let (kind, url, replicas, unobservable, skipped) = match p {
                Ok(e) => (
                    e.kind,
                    e.url.clone(),
                    round(e, &prober, &permits, &metrics).await,
                    None,
                    e.skipped.clone(),
                ),
                Err(u) => (
                    u.kind,
                    u.url.clone(),
                    Vec::new(),
                    Some(u.reason.clone()),
                    None,
                ),
            };
            let Ok(mut all) = results.lock() else { return };
            let entry = all.entry(key.clone()).or_default();
            let slot = match kind {
                ProbeKind::Health => &mut entry.health,
                ProbeKind::Metrics => &mut entry.metrics,
            };
            let prev = slot.take().filter(|p| p.url == url);
            let mut next = EndpointProbe::record(prev.as_ref(), url, replicas, unobservable);
            next.skipped = skipped;
            wake |= should_trigger(prev.as_ref(), &next, threshold);
            *slot = Some(next);
        }
        if wake {
            triggers.send(&key);
        }
        tokio::time::sleep(interval).await;
    }
}

async fn round(
    e: &ProbePlan,
    prober: &Prober,
    permits: &Semaphore,
    metrics: &Metrics,
) -> Vec<ReplicaResult> {
    let kind = match e.kind {
        ProbeKind::Health => "health",
        ProbeKind::Metrics => "metrics",
    };
    let Ok(port) = u16::try_from(e.port) else {
        return e
            .addresses
            .iter()
            .map(|(a, pod)| ReplicaResult {
                address: a.clone(),
                pod_name: pod.clone(),
                error: Some(format!("invalid port {}", e.port)),
                ..ReplicaResult::default()
            })
            .collect();
    };
    join_all(e.addresses.iter().map(|(addr, pod)| async move {
        let Ok(_permit) = permits.acquire().await else {
            return ReplicaResult {
                address: addr.clone(),
                pod_name: pod.clone(),
                error: Some("probe pool closed".into()),
                ..ReplicaResult::default()
            };
        };
        let t0 = Instant::now();
        let r = prober.probe(e.kind, addr, port, &e.path, pod.clone()).await;
        metrics.observe_probe(kind, t0.elapsed(), r.ok);
        r
    }))
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(ok: bool, fails: u32, oks: u32) -> EndpointProbe {
        EndpointProbe {
            url: "u".into(),
            replicas: vec![ReplicaResult {
                address: "a".into(),
                ok,
                latency_ms: 5,
                ..ReplicaResult::default()
            }],
            consecutive_failures: fails,
            consecutive_successes: oks,
            unobservable: None,
            skipped: None,
        }
    }

    #[test]
    fn triggers_on_change_and_while_converging_only() {
        assert!(should_trigger(None, &probe(true, 0, 1), 3));
        assert!(
            should_trigger(Some(&probe(true, 0, 5)), &probe(false, 1, 0), 3),
            "outcome changed"
        );
        assert!(
            should_trigger(Some(&probe(false, 2, 0)), &probe(false, 3, 0), 3),
            "reaching threshold"
        );
        assert!(
            !should_trigger(Some(&probe(false, 4, 0)), &probe(false, 5, 0), 3),
            "steady failure"
        );
        let mut slower = probe(true, 0, 9);
        slower.replicas[0].latency_ms = 999;
        assert!(
            !should_trigger(Some(&probe(true, 0, 8)), &slower, 3),
            "latency alone is not a change"
        );
    }
}
