//! Apply: act on an evaluation — write the status when its meaning changed, queue the new
//! revision and the transition events behind it (`crate::trailing`), export the metrics — and
//! choose when to reconcile again.

use std::time::Duration;

use k8s_openapi::jiff::Timestamp;
use kube::Resource;
use kube::runtime::controller::Action;
use pacto_crds::status::RevisionSummary;
use pacto_crds::{ContractStatus, Pacto, PactoStatus};

use super::context::Context;
use super::error::ReconcileError;
use crate::contract;
use crate::eval::{Evaluation, Outcome};
use crate::pacto_key::PactoKey;
use crate::revisions::NewRevision;
use crate::trailing::Job;

/// Writes, queues and exports what `evaluation` decided; `known` is what the status lists of
/// the Pacto's revisions, `new_revision` among them.
pub(super) async fn apply(
    ctx: &Context,
    pacto: &Pacto,
    key: &PactoKey,
    evaluation: &Evaluation,
    new_revision: Option<NewRevision>,
    known: &[RevisionSummary],
) -> Result<(), ReconcileError> {
    let status = metric_status(evaluation.status.contract_status);
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
            status,
            fields = %changed_fields(pacto.status.as_deref(), &evaluation.status).join(","),
            "status changed"
        );
        tracing::debug!(
            before = %serde_json::to_string(&pacto.status.as_ref().and_then(|s| s.endpoints.clone())).unwrap_or_default(),
            after = %serde_json::to_string(&evaluation.status.endpoints).unwrap_or_default(),
            "endpoints"
        );
    }
    // After the status (a failed write returns above: the revision is planned again).
    if new_revision.is_some() {
        ctx.revisions.record(key, known.to_vec());
    }
    ctx.trailing.push(Job {
        revision: new_revision,
        events: evaluation.events.clone(),
        regarding: pacto.object_ref(&()),
        at: Timestamp::now(),
    });
    let checks: Vec<(&'static str, bool)> = evaluation
        .checks
        .iter()
        .map(|c| (c.check.as_str(), c.outcome == Outcome::Pass))
        .collect();
    ctx.metrics.set_pacto(
        &key.namespace,
        &key.name,
        status,
        &checks,
        evaluation.status.readiness.as_ref(),
    );
    Ok(())
}

/// Writes the trailing part of a reconcile (run by `crate::trailing`): the revision first,
/// then the events (which may name it).
pub async fn write_trailing(ctx: &Context, job: Job) {
    if let Some(new) = &job.revision
        && let Err(e) = ctx.revisions.write(new).await
    {
        tracing::warn!(pacto = %new.revision.key, error = %e, "revision bookkeeping failed");
        ctx.metrics.count_error("revision");
        // The next reconcile of this Pacto plans it again.
        ctx.revisions
            .unrecord(&new.revision.key, &new.revision.name);
    }
    ctx.writer
        .publish(&job.regarding, &job.events, job.at)
        .await;
}

/// After an outage: retry with the per-Pacto backoff; else: the check interval, or sooner when
/// a check held by the stabilization window would become a failure before it.
pub(super) fn requeue(
    ctx: &Context,
    pacto: &Pacto,
    key: &PactoKey,
    outage: Option<&'static str>,
    recheck_after: Option<std::time::Duration>,
) -> Action {
    match outage {
        Some(category) => {
            ctx.metrics.count_error(category);
            let d = ctx.failed(key);
            tracing::debug!(pacto = %key, category, retry_in = ?d, "outage; retrying with backoff");
            Action::requeue(d)
        }
        None => {
            ctx.succeeded(key);
            let interval = jittered(pacto.spec.check_interval_seconds, key);
            // One second past the window's end, so the next pass sees it lapsed.
            let held = recheck_after.map(|d| d + std::time::Duration::from_secs(1));
            Action::requeue(held.map_or(interval, |h| h.min(interval)))
        }
    }
}

/// The status label of logs and metrics (a Pacto without status yet counts as Unknown).
fn metric_status(s: Option<ContractStatus>) -> &'static str {
    s.unwrap_or(ContractStatus::Unknown).as_str()
}

/// Top-level status fields that differ (for the log line of a write).
fn changed_fields(prev: Option<&PactoStatus>, next: &PactoStatus) -> Vec<String> {
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
