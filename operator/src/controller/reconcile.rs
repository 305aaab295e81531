//! One reconcile: dereference -> observe -> (probe plan) -> evaluate (pure) -> write status
//! when its meaning changed -> events and metrics -> requeue.

use std::sync::Arc;
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::Secret;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;
use kube::runtime::controller::Action;
use kube::{Api, ResourceExt};
use pacto_core::validate::ValidationReport;
use pacto_crds::{ContractStatus, Pacto};

use super::context::Context;
use crate::contract::{self, ContractError, Dereferenced, SecretCreds};
use crate::eval::{self, EvalInput, Observed, ObservedSnapshot, Outcome, SourceInfo, Unavailable};
use crate::observe;
use crate::triggers::PactoKey;

/// Failures that make kube-runtime retry the reconcile (outages of the registry or of API
/// reads are not errors: they become status Unknown with a requeue).
#[derive(Debug, thiserror::Error)]
pub enum ReconcileError {
    #[error("cannot write the status of {key}: {source}")]
    StatusWrite {
        key: String,
        #[source]
        source: kube::Error,
    },
    #[error("the reconcile pool is closed")]
    Closed,
}

impl ReconcileError {
    pub fn category(&self) -> &'static str {
        match self {
            Self::StatusWrite { .. } => "status_write",
            Self::Closed => "shutdown",
        }
    }
}

/// Reads the pull Secret by name (never a watch or cache of Secrets).
async fn pull_secret(ctx: &Context, ns: &str, name: &str) -> Result<SecretCreds, Unavailable> {
    let api: Api<Secret> = Api::namespaced(ctx.client.clone(), ns);
    match api.get_opt(name).await {
        Ok(Some(s)) => {
            let data = s
                .data
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k, v.0))
                .collect();
            contract::creds::parse_secret(name, s.type_.as_deref(), &data).map_err(|e| {
                Unavailable {
                    reason: "PullSecretInvalid".into(),
                    message: e.to_string(),
                }
            })
        }
        Ok(None) => Err(Unavailable {
            reason: "PullSecretNotFound".into(),
            message: format!(
                "pull secret {ns}/{name} (spec.contractRef.pullSecretRef) does not exist"
            ),
        }),
        Err(e) => Err(Unavailable {
            reason: "PullSecretUnreadable".into(),
            message: format!(
                "cannot read pull secret {ns}/{name}: {}",
                observe::short(&e)
            ),
        }),
    }
}

/// The contract outcome of this pass.
struct ContractState {
    current: Option<Arc<Dereferenced>>,
    invalid: Option<ValidationReport>,
    unavailable: Option<Unavailable>,
    category: Option<&'static str>,
}

async fn contract_state(ctx: &Context, pacto: &Pacto, key: &PactoKey) -> ContractState {
    let creds = match &pacto.spec.contract_ref.pull_secret_ref {
        Some(name) if pacto.spec.contract_ref.inline.is_none() => {
            match pull_secret(ctx, &key.namespace, name).await {
                Ok(c) => Some(c),
                Err(u) => return unavailable(ctx, pacto, key, u, "secret"),
            }
        }
        _ => None,
    };
    match contract::dereference(&pacto.spec, creds.as_ref(), &ctx.cache, &ctx.metrics).await {
        Ok(d) => {
            let d = Arc::new(d);
            if d.is_valid()
                && let Ok(mut m) = ctx.last_good.lock()
            {
                m.insert(key.clone(), (pacto.metadata.generation, d.clone()));
            }
            ContractState {
                current: Some(d),
                invalid: None,
                unavailable: None,
                category: None,
            }
        }
        Err(ContractError::Invalid { findings, .. }) => {
            let report = ValidationReport {
                errors: findings,
                ..ValidationReport::default()
            };
            ContractState {
                current: None,
                invalid: Some(report),
                unavailable: None,
                category: None,
            }
        }
        Err(ContractError::Unavailable {
            reason,
            message,
            category,
        }) => unavailable(
            ctx,
            pacto,
            key,
            Unavailable {
                reason: reason.into(),
                message,
            },
            category,
        ),
    }
}

fn unavailable(
    ctx: &Context,
    pacto: &Pacto,
    key: &PactoKey,
    u: Unavailable,
    category: &'static str,
) -> ContractState {
    // Keep checking against the last contract that worked: an outage is not a contradiction.
    let last = ctx
        .last_good
        .lock()
        .ok()
        .and_then(|m| m.get(key).cloned())
        .filter(|(generation, _)| *generation == pacto.metadata.generation)
        .map(|(_, d)| d);
    ContractState {
        current: last,
        invalid: None,
        unavailable: Some(u),
        category: Some(category),
    }
}

fn any_unobservable(s: &ObservedSnapshot) -> bool {
    matches!(s.service, Observed::Unobservable(_))
        || matches!(s.workload, Observed::Unobservable(_))
        || matches!(s.endpoint_slices, Observed::Unobservable(_))
        || matches!(s.hpa, Observed::Unobservable(_))
}

fn status_label(s: Option<ContractStatus>) -> &'static str {
    match s {
        Some(ContractStatus::Compliant) => "Compliant",
        Some(ContractStatus::Warning) => "Warning",
        Some(ContractStatus::Unknown) | None => "Unknown",
        Some(ContractStatus::NonCompliant) => "NonCompliant",
        Some(ContractStatus::Invalid) => "Invalid",
        Some(ContractStatus::Reference) => "Reference",
    }
}

/// Top-level status fields that differ (for the log line of a write).
fn changed_fields(
    prev: Option<&pacto_crds::PactoStatus>,
    next: &pacto_crds::PactoStatus,
) -> Vec<String> {
    let a = prev
        .and_then(|p| serde_json::to_value(p).ok())
        .unwrap_or_default();
    let b = serde_json::to_value(next).unwrap_or_default();
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
        return vec!["*".into()];
    };
    let mut keys: Vec<String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Requeue after the check interval, spread by up to +10% so many Pactos do not align.
fn jittered(secs: i32, key: &PactoKey) -> Duration {
    let base = u64::try_from(secs.max(30)).unwrap_or(300);
    let h = contract::sha256_hex(key.to_string().as_bytes());
    let spread = u64::from_str_radix(&h[..4], 16).unwrap_or(0) % (base / 10 + 1);
    Duration::from_secs(base + spread)
}

pub async fn reconcile(pacto: Arc<Pacto>, ctx: Arc<Context>) -> Result<Action, ReconcileError> {
    let _permit = ctx
        .permits
        .acquire()
        .await
        .map_err(|_| ReconcileError::Closed)?;
    let t0 = Instant::now();
    let key = PactoKey::new(&pacto.namespace().unwrap_or_default(), &pacto.name_any());
    let result = run(&pacto, &ctx, &key).await;
    ctx.metrics.observe_reconcile(t0.elapsed(), result.is_ok());
    if let Err(e) = &result {
        ctx.metrics.count_error(e.category());
    }
    result
}

async fn run(pacto: &Pacto, ctx: &Context, key: &PactoKey) -> Result<Action, ReconcileError> {
    ctx.index.upsert(key, pacto.spec.target.as_ref());
    let state = contract_state(ctx, pacto, key).await;
    let mut outage = state.category;

    let valid = state.current.as_ref().filter(|d| d.is_valid()).cloned();
    let mut source = SourceInfo::default();
    if let Some(d) = &state.current {
        source.resolution_policy = d.policy;
        source.resolved_ref = d.resolved_ref().map(str::to_string);
        source.digest = Some(
            d.digest()
                .map(str::to_string)
                .unwrap_or_else(|| format!("sha256:{}", d.content_hash)),
        );
    } else if let Some(oci) = &pacto.spec.contract_ref.oci {
        source.resolution_policy = contract::parse_ref(oci)
            .ok()
            .map(|r| contract::resolution_policy(&r));
    }
    if let Some(d) = &valid {
        match ctx.revisions.ensure(pacto, d).await {
            Ok(e) => {
                source.current_revision = Some(e.current);
                source.revisions = e.known;
            }
            Err(e) => {
                tracing::warn!(pacto = %key, error = %e, "revision bookkeeping failed");
                ctx.metrics.count_error("revision");
                outage = outage.or(Some("revision"));
                if let Some(prev) = pacto.status.as_ref() {
                    source.current_revision = prev.current_revision.clone();
                }
            }
        }
    } else if let Some(prev) = pacto.status.as_ref() {
        source.current_revision = prev.current_revision.clone();
        source.revisions = ctx.revisions.cached(key).unwrap_or_default();
    }

    let contract = valid.as_ref().and_then(|d| d.report.contract.as_ref());
    let target = pacto.spec.target.as_ref();
    let mut snapshot = match (contract, target) {
        (Some(_), Some(t)) => observe::observe(&ctx.client, &key.namespace, Some(t)).await,
        _ => ObservedSnapshot::default(),
    };
    if let Some(c) = contract
        && !c.dependencies.is_empty()
    {
        let pactos = ctx.known_pactos();
        snapshot.dependencies =
            eval::dependencies::observe_dependencies(c, &key.namespace, &pactos, None);
    }
    if any_unobservable(&snapshot) {
        outage = outage.or(Some("api_read"));
    }
    match contract {
        Some(c) => {
            let plans = match (
                target.and_then(|t| t.service_name.as_deref()),
                &snapshot.service,
                &snapshot.endpoint_slices,
            ) {
                (Some(name), Observed::Found(svc), Observed::Found(slices)) => {
                    eval::probes::plan_probes(c, name, svc, slices)
                }
                _ => Vec::new(),
            };
            ctx.probes.set_plan(key, plans);
        }
        None if state.unavailable.is_none() => ctx.probes.set_plan(key, Vec::new()),
        None => {}
    }
    let probes = ctx.probes.results(key);

    let empty = ValidationReport::default();
    let validation = match (&state.invalid, &state.current) {
        (Some(r), _) => r,
        (None, Some(d)) => d.report.as_ref(),
        (None, None) => &empty,
    };
    // Whole seconds, as the API serialises times: a value read back compares equal.
    let now = Time(
        Timestamp::from_second(Timestamp::now().as_second()).unwrap_or_else(|_| Timestamp::now()),
    );
    let input = EvalInput {
        contract: state
            .current
            .as_ref()
            .and_then(|d| d.report.contract.as_ref()),
        validation,
        unavailable: state.unavailable.as_ref(),
        overrides: pacto.spec.overrides.as_ref(),
        target,
        snapshot: &snapshot,
        probes: &probes,
        previous: pacto.status.as_ref(),
        source: &source,
        generation: pacto.metadata.generation,
        now: &now,
        settings: &ctx.settings,
    };
    let evaluation = eval::evaluate(&input);
    if evaluation.meaning_changed {
        ctx.writer
            .write(pacto, &evaluation.status, &ctx.metrics)
            .await
            .map_err(|source| ReconcileError::StatusWrite {
                key: key.to_string(),
                source,
            })?;
        tracing::info!(
            pacto = %key,
            status = status_label(evaluation.status.contract_status),
            fields = %changed_fields(pacto.status.as_ref(), &evaluation.status).join(","),
            "status changed"
        );
        tracing::debug!(
            before = %serde_json::to_string(&pacto.status.as_ref().and_then(|s| s.endpoints.clone())).unwrap_or_default(),
            after = %serde_json::to_string(&evaluation.status.endpoints).unwrap_or_default(),
            "endpoints"
        );
    }
    ctx.writer.publish(pacto, &evaluation.events).await;
    let checks: Vec<(String, bool)> = evaluation
        .checks
        .iter()
        .map(|c| (c.check.as_str().to_string(), c.outcome == Outcome::Pass))
        .collect();
    ctx.metrics.set_pacto(
        &key.namespace,
        &key.name,
        status_label(evaluation.status.contract_status),
        &checks,
    );

    Ok(match outage {
        Some(category) => {
            ctx.metrics.count_error(category);
            let d = ctx.failed(key);
            tracing::debug!(pacto = %key, category, retry_in = ?d, "outage; retrying with backoff");
            Action::requeue(d)
        }
        None => {
            ctx.succeeded(key);
            Action::requeue(jittered(pacto.spec.check_interval_seconds, key))
        }
    })
}

/// kube-runtime's error hook: count and retry with the per-Pacto backoff.
pub fn error_policy(pacto: Arc<Pacto>, err: &ReconcileError, ctx: Arc<Context>) -> Action {
    let key = PactoKey::new(&pacto.namespace().unwrap_or_default(), &pacto.name_any());
    tracing::warn!(pacto = %key, error = %err, "reconcile failed");
    Action::requeue(ctx.failed(&key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_stays_within_ten_percent() {
        for n in ["a", "b", "c", "d"] {
            let d = jittered(300, &PactoKey::new("ns", n)).as_secs();
            assert!((300..=330).contains(&d), "{d}");
        }
        assert!(jittered(1, &PactoKey::new("ns", "x")).as_secs() >= 30);
    }
}
