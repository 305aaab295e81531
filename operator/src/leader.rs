//! Leader election through a `coordination.k8s.io/v1` Lease, written with kube directly: the
//! write fence ([`Fence`]) needs the start time of each successful renewal, which a crate's
//! "leading yes/no" channel does not give. Optimistic concurrency: every write carries the
//! resourceVersion it read, so two replicas can never both win the same term.

use std::time::{Duration, Instant};

use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, ObjectMeta};
use k8s_openapi::jiff::{SignedDuration, Timestamp};
use kube::api::PostParams;
use kube::{Api, Client};
use tokio::sync::watch;

use crate::fence::Fence;

/// Lease settings.
#[derive(Clone, Debug)]
pub struct LeaseConfig {
    pub namespace: String,
    /// One Lease per shard (one name when unsharded, see [`crate::shard::lease_names`]).
    pub names: Vec<String>,
    pub identity: String,
    pub lease_duration: Duration,
    pub renew_every: Duration,
}

/// What one attempt decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Create the Lease holding it.
    Create,
    /// We hold it: renew.
    Renew,
    /// The holder let it expire (or released it): take it over.
    TakeOver,
    /// Someone else holds a live lease.
    Follow { holder: String },
}

/// Pure decision from the Lease as read and the current time.
pub fn decide(lease: Option<&Lease>, me: &str, now: Timestamp) -> Decision {
    let Some(l) = lease else {
        return Decision::Create;
    };
    let spec = l.spec.clone().unwrap_or_default();
    let holder = spec.holder_identity.clone().unwrap_or_default();
    if holder == me {
        return Decision::Renew;
    }
    if holder.is_empty() {
        return Decision::TakeOver;
    }
    let secs = i64::from(spec.lease_duration_seconds.unwrap_or(15).max(1));
    let renewed = spec
        .renew_time
        .map(|t| t.0)
        .or(spec.acquire_time.map(|t| t.0));
    match renewed {
        Some(t) if t + SignedDuration::from_secs(secs) > now => Decision::Follow { holder },
        _ => Decision::TakeOver,
    }
}

fn secs(d: Duration) -> i32 {
    i32::try_from(d.as_secs().max(1)).unwrap_or(i32::MAX)
}

/// How long one Lease attempt (GET + write) may take: well inside the term, so a hung call
/// can never keep a replica believing it leads past the Lease others see.
pub fn call_timeout(cfg: &LeaseConfig) -> Duration {
    (cfg.lease_duration / 2).max(Duration::from_millis(500))
}

/// Margin between the end of our write term and the Lease's expiry as others compute it.
fn fence_margin(cfg: &LeaseConfig) -> Duration {
    cfg.renew_every.min(cfg.lease_duration / 4)
}

/// What one round of Lease calls decided.
enum Round {
    /// Holds shard `k` (a Lease index) for the term that began at `started`.
    Holds { k: usize, started: Instant },
    /// Every Lease tried is held by someone else.
    Follows,
    /// No Lease won and at least one call failed or timed out.
    Failed(String),
}

/// One round: renew the Lease held, or, standing by, try each Lease once (starting at a
/// per-identity offset so replicas starting together spread over the shards).
async fn round(api: &Api<Lease>, cfg: &LeaseConfig, held: Option<u32>) -> Round {
    let n = cfg.names.len().max(1);
    let candidates: Vec<usize> = match held {
        Some(k) => vec![k as usize],
        None => {
            let first = crate::shard::start_offset(&cfg.identity, n);
            (0..n).map(|i| (first + i) % n).collect()
        }
    };
    let mut failure = None;
    for k in candidates {
        let started = Instant::now();
        match tokio::time::timeout(call_timeout(cfg), attempt(api, cfg, k)).await {
            Ok(Ok(true)) => return Round::Holds { k, started },
            Ok(Ok(false)) => {}
            Ok(Err(e)) => failure = Some(format!("{}: {e}", cfg.names[k])),
            Err(_) => {
                failure = Some(format!(
                    "{}: no answer within {:?}",
                    cfg.names[k],
                    call_timeout(cfg)
                ))
            }
        }
    }
    failure.map_or(Round::Follows, Round::Failed)
}

/// Runs forever: publishes the shard (Lease index) this replica holds on `tx` (`None`:
/// standing by) and keeps `fence` at the end of the term the last renewal bought. Losing the
/// Lease, or a term running out while the Lease calls fail or time out, publishes `None` (the
/// caller stops its controllers) and closes the fence at once. A replica holds one Lease at
/// most.
pub async fn run(client: Client, cfg: LeaseConfig, tx: watch::Sender<Option<u32>>, fence: Fence) {
    let api: Api<Lease> = Api::namespaced(client, &cfg.namespace);
    loop {
        let held = *tx.borrow();
        match round(&api, &cfg, held).await {
            Round::Holds { k, started } => {
                fence.renewed(started, cfg.lease_duration, fence_margin(&cfg));
                let k = u32::try_from(k).unwrap_or(0);
                if held != Some(k) {
                    tracing::info!(identity = %cfg.identity, leading = true, lease = %cfg.names[k as usize], "leadership changed");
                    let _ = tx.send(Some(k));
                }
            }
            Round::Follows => {
                fence.revoke();
                if let Some(k) = held {
                    tracing::info!(identity = %cfg.identity, leading = false, lease = %cfg.names[k as usize], "leadership changed");
                    let _ = tx.send(None);
                }
            }
            Round::Failed(e) => {
                tracing::warn!(error = %e, "lease request failed");
                // The fence closes by itself when the term runs out; step down then.
                if held.is_some() && !fence.may_write() {
                    tracing::error!("could not renew the lease within its term; stepping down");
                    fence.revoke();
                    let _ = tx.send(None);
                }
            }
        }
        let wait = if tx.borrow().is_some() {
            cfg.renew_every
        } else {
            cfg.renew_every.min(Duration::from_secs(2))
        };
        tokio::time::sleep(wait).await;
    }
}

async fn attempt(api: &Api<Lease>, cfg: &LeaseConfig, k: usize) -> Result<bool, kube::Error> {
    let name = &cfg.names[k];
    let current = api.get_opt(name).await?;
    let now = Timestamp::now();
    let decision = decide(current.as_ref(), &cfg.identity, now);
    let mut spec = current
        .as_ref()
        .and_then(|l| l.spec.clone())
        .unwrap_or_default();
    match decision {
        Decision::Follow { .. } => return Ok(false),
        Decision::Renew => {
            spec.renew_time = Some(MicroTime(now));
        }
        Decision::Create | Decision::TakeOver => {
            spec = LeaseSpec {
                holder_identity: Some(cfg.identity.clone()),
                lease_duration_seconds: Some(secs(cfg.lease_duration)),
                acquire_time: Some(MicroTime(now)),
                renew_time: Some(MicroTime(now)),
                lease_transitions: Some(
                    spec.lease_transitions.unwrap_or(0) + i32::from(current.is_some()),
                ),
                ..LeaseSpec::default()
            };
        }
    }
    spec.lease_duration_seconds = Some(secs(cfg.lease_duration));
    let result = match current {
        None => {
            let lease = Lease {
                metadata: ObjectMeta {
                    name: Some(name.clone()),
                    namespace: Some(cfg.namespace.clone()),
                    ..ObjectMeta::default()
                },
                spec: Some(spec),
            };
            api.create(&PostParams::default(), &lease).await
        }
        Some(mut lease) => {
            lease.spec = Some(spec);
            lease.metadata.managed_fields = None;
            // replace carries metadata.resourceVersion: a concurrent writer gets 409.
            api.replace(name, &PostParams::default(), &lease).await
        }
    };
    match result {
        Ok(_) => Ok(true),
        Err(kube::Error::Api(s)) if s.code == 409 => Ok(false),
        Err(e) => Err(e),
    }
}

/// Gives the Lease this replica holds up on shutdown so a standby takes over at once.
pub async fn release(client: Client, cfg: &LeaseConfig) {
    let api: Api<Lease> = Api::namespaced(client, &cfg.namespace);
    for name in &cfg.names {
        release_one(&api, name, &cfg.identity).await;
    }
}

async fn release_one(api: &Api<Lease>, name: &str, identity: &str) {
    let mut lease = match api.get_opt(name).await {
        Ok(Some(lease)) => lease,
        Ok(None) => return,
        // E.g. `helm uninstall` removed the RoleBinding first: the Lease stays held until it
        // expires, and the log says so.
        Err(e) => {
            tracing::warn!(error = %e, lease = %name, "cannot read the lease to release it; it is released when it expires");
            return;
        }
    };
    let holder = lease
        .spec
        .as_ref()
        .and_then(|s| s.holder_identity.clone())
        .unwrap_or_default();
    if holder != identity {
        return;
    }
    if let Some(s) = lease.spec.as_mut() {
        s.holder_identity = None;
        s.renew_time = None;
        s.acquire_time = None;
    }
    lease.metadata.managed_fields = None;
    if let Err(e) = api.replace(name, &PostParams::default(), &lease).await {
        tracing::warn!(error = %e, lease = %name, "cannot release the lease");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lease(holder: &str, renewed_secs_ago: i64, duration: i32) -> Lease {
        let now = Timestamp::now();
        Lease {
            metadata: ObjectMeta::default(),
            spec: Some(LeaseSpec {
                holder_identity: (!holder.is_empty()).then(|| holder.to_string()),
                lease_duration_seconds: Some(duration),
                renew_time: Some(MicroTime(now - SignedDuration::from_secs(renewed_secs_ago))),
                ..LeaseSpec::default()
            }),
        }
    }

    #[test]
    fn lease_calls_and_write_terms_end_inside_the_lease() {
        for (duration, renew) in [(4, 1), (15, 5), (2, 1), (60, 60)] {
            let cfg = LeaseConfig {
                namespace: "n".into(),
                names: vec!["l".into()],
                identity: "a".into(),
                lease_duration: Duration::from_secs(duration),
                renew_every: Duration::from_secs(renew),
            };
            assert!(call_timeout(&cfg) < cfg.lease_duration, "{cfg:?}");
            assert!(fence_margin(&cfg) > Duration::ZERO, "{cfg:?}");
            assert!(fence_margin(&cfg) < cfg.lease_duration, "{cfg:?}");
        }
    }

    #[test]
    fn decisions() {
        let now = Timestamp::now();
        assert_eq!(decide(None, "a", now), Decision::Create);
        assert_eq!(
            decide(Some(&lease("a", 100, 15)), "a", now),
            Decision::Renew
        );
        assert_eq!(
            decide(Some(&lease("b", 3, 15)), "a", now),
            Decision::Follow { holder: "b".into() }
        );
        assert_eq!(
            decide(Some(&lease("b", 16, 15)), "a", now),
            Decision::TakeOver
        );
        assert_eq!(
            decide(Some(&lease("", 0, 15)), "a", now),
            Decision::TakeOver
        );
    }
}
