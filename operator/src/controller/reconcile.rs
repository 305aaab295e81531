//! One reconcile, in the shape of the model operators: gather (all I/O) -> [`EvalInput`] ->
//! evaluate (pure) -> apply (status write when its meaning changed, events, metrics) ->
//! requeue.
//!
//! [`EvalInput`]: crate::eval::EvalInput

use std::sync::Arc;
use std::time::Instant;

use kube::ResourceExt;
use kube::runtime::controller::Action;
use pacto_crds::Pacto;

use super::apply::{apply, requeue};
use super::context::Context;
pub use super::error::ReconcileError;
use super::gather::gather;
use crate::eval;
use crate::pacto_key::PactoKey;

/// kube-runtime's reconcile hook: bounded by the shared permits, timed and counted.
pub async fn reconcile(pacto: Arc<Pacto>, ctx: Arc<Context>) -> Result<Action, ReconcileError> {
    // Another replica's shard: not ours to check or write (see `shard`).
    let key = key_of(&pacto);
    if !ctx.shard.owns(&key) {
        return Ok(Action::await_change());
    }
    let _permit = ctx
        .permits
        .acquire()
        .await
        .map_err(|_| ReconcileError::Closed)?;
    let t0 = Instant::now();
    // The store holds a projection of the status (see `statuses`).
    let pacto = ctx.statuses.restore(&pacto);
    let result = run(&pacto, &ctx, &key).await;
    ctx.metrics.observe_reconcile(t0.elapsed(), result.is_ok());
    ctx.record_store_sizes();
    if let Err(e) = &result {
        ctx.metrics.count_error(e.category());
    }
    result
}

async fn run(pacto: &Pacto, ctx: &Context, key: &PactoKey) -> Result<Action, ReconcileError> {
    ctx.index.upsert(key, pacto.spec.target.as_ref());
    let mut gathered = gather(ctx, pacto, key).await;
    let evaluation = eval::evaluate(&gathered.eval_input(pacto, ctx));
    let new_revision = gathered.new_revision.take();
    apply(
        ctx,
        pacto,
        key,
        &evaluation,
        new_revision,
        &gathered.source.revisions,
    )
    .await?;
    Ok(requeue(
        ctx,
        pacto,
        key,
        gathered.outage,
        evaluation.recheck_after,
    ))
}

/// kube-runtime's error hook: count and retry with the per-Pacto backoff.
pub fn error_policy(pacto: Arc<Pacto>, err: &ReconcileError, ctx: Arc<Context>) -> Action {
    let key = key_of(&pacto);
    tracing::warn!(pacto = %key, error = %err, "reconcile failed");
    Action::requeue(ctx.failed(&key))
}

fn key_of(pacto: &Pacto) -> PactoKey {
    PactoKey::new(&pacto.namespace().unwrap_or_default(), &pacto.name_any())
}
