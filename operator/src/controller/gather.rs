//! Gather: every fact one evaluation needs, read from the registry, the API, the revision
//! store and the probe pool. All the I/O of a reconcile before the pure evaluation.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;
use pacto_core::Contract;
use pacto_crds::{Pacto, Target};

use super::context::Context;
use super::contract_state::{ContractState, contract_state};
use crate::contract;
use crate::eval::{
    self, EvalInput, Observed, ObservedConfig, ObservedSnapshot, ProbeResults, ResolutionIssue,
    SourceInfo,
};
use crate::observe;
use crate::pacto_key::PactoKey;
use crate::revisions::NewRevision;

/// The facts of one pass, owned so [`Gathered::eval_input`] can lend them to the evaluator.
pub(super) struct Gathered {
    pub contract: ContractState,
    /// A pull Secret refused or used with a caveat (ContractResolved False).
    pub resolution_issue: Option<ResolutionIssue>,
    pub source: SourceInfo,
    pub snapshot: ObservedSnapshot,
    pub probes: ProbeResults,
    /// A revision the status names for the first time, written after it (`crate::trailing`).
    pub new_revision: Option<NewRevision>,
    /// Evaluation time.
    pub now: Time,
    /// Category of the first outage met (contract, revision bookkeeping, API reads); the
    /// reconcile then retries with backoff instead of the check interval.
    pub outage: Option<&'static str>,
}

/// Reads everything about `pacto`; an outage is recorded in [`Gathered::outage`], never an
/// error.
pub(super) async fn gather(ctx: &Context, pacto: &Pacto, key: &PactoKey) -> Gathered {
    let (state, resolution_issue) = contract_state(ctx, pacto, key).await;
    let (source, new_revision, revision_outage) = source_info(ctx, pacto, key, &state).await;
    let valid = state.valid().and_then(|d| d.report.contract.as_ref());
    let target = pacto.spec.target.as_ref();
    let mut snapshot = observe_target(ctx, key, valid, target).await;
    snapshot.configuration = observe_config(ctx, key, &state, target).await;
    let api_outage = any_unobservable(&snapshot).then_some("api_read");
    plan_probes(ctx, key, &state, valid, target, &snapshot);
    let probes = ctx.probes.results(key);
    let outage = state.outage().or(revision_outage).or(api_outage);
    Gathered {
        contract: state,
        resolution_issue,
        source,
        snapshot,
        probes,
        new_revision,
        now: now(),
        outage,
    }
}

impl Gathered {
    /// The evaluator's view of this pass.
    pub(super) fn eval_input<'a>(&'a self, pacto: &'a Pacto, ctx: &'a Context) -> EvalInput<'a> {
        EvalInput {
            contract: self
                .contract
                .current()
                .and_then(|d| d.report.contract.as_ref()),
            validation: self.contract.validation(),
            unavailable: self.contract.unavailable(),
            resolution_issue: self.resolution_issue.as_ref(),
            overrides: pacto.spec.overrides.as_ref(),
            target: pacto.spec.target.as_ref(),
            snapshot: &self.snapshot,
            probes: &self.probes,
            previous: pacto.status.as_deref(),
            source: &self.source,
            generation: pacto.metadata.generation,
            now: &self.now,
            settings: &ctx.settings,
        }
    }
}

/// Where the contract came from, and the PactoRevision of a valid one: a new one is returned
/// to be written after the status; a failed read of the known ones is an outage named
/// `revision`.
async fn source_info(
    ctx: &Context,
    pacto: &Pacto,
    key: &PactoKey,
    state: &ContractState,
) -> (SourceInfo, Option<NewRevision>, Option<&'static str>) {
    let mut source = SourceInfo::default();
    let mut outage = None;
    let mut new_revision = None;
    if let Some(d) = state.current() {
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
    let previous_revision = || pacto.status.as_ref().map(|p| p.current_revision.clone());
    if let Some(d) = state.valid() {
        match ctx.revisions.plan(pacto, d).await {
            Ok(p) => {
                source.current_revision = Some(p.current);
                source.revisions = p.known;
                new_revision = p.new;
            }
            Err(e) => {
                tracing::warn!(pacto = %key, error = %e, "revision bookkeeping failed");
                ctx.metrics.count_error("revision");
                outage = Some("revision");
                if let Some(prev) = previous_revision() {
                    source.current_revision = prev;
                }
            }
        }
    } else if let Some(prev) = previous_revision() {
        source.current_revision = prev;
        source.revisions = ctx.revisions.cached(key).unwrap_or_default();
    }
    (source, new_revision, outage)
}

/// Reads the target and the dependencies' Pactos; only a valid contract with a target is
/// checked against the cluster.
async fn observe_target(
    ctx: &Context,
    key: &PactoKey,
    valid: Option<&Contract>,
    target: Option<&Target>,
) -> ObservedSnapshot {
    let mut snapshot = match (valid, target) {
        (Some(_), Some(t)) => match ctx.target_stores(&key.namespace) {
            Some(stores) => observe::read::read_target(&stores, &key.namespace, Some(t)).await,
            None => unobservable("no controller watches this namespace"),
        },
        _ => ObservedSnapshot::default(),
    };
    if let Some(c) = valid
        && !c.dependencies.is_empty()
    {
        snapshot.dependencies = ctx.statuses.with_providers(|pactos| {
            eval::dependencies::observe_dependencies(c, &key.namespace, pactos, None)
        });
    }
    snapshot
}

/// The bound ConfigMaps and Secrets (read by name), for a valid contract with a runtime target.
async fn observe_config(
    ctx: &Context,
    key: &PactoKey,
    state: &ContractState,
    target: Option<&Target>,
) -> ObservedConfig {
    let (Some(d), Some(t)) = (state.valid(), target) else {
        return ObservedConfig::default();
    };
    let targeted = t.service_name.is_some() || t.workload_ref.is_some();
    if !targeted || t.config_bindings.is_empty() {
        return ObservedConfig::default();
    }
    ObservedConfig {
        objects: observe::config::read_bindings(&ctx.client, &key.namespace, &t.config_bindings)
            .await,
        schemas: Some(d.config_schemas.clone()),
    }
}

/// Every target read failed for the same reason.
fn unobservable(why: &str) -> ObservedSnapshot {
    ObservedSnapshot {
        service: Observed::Unobservable(why.into()),
        workload: Observed::Unobservable(why.into()),
        endpoint_slices: Observed::Unobservable(why.into()),
        hpa: Observed::Unobservable(why.into()),
        ..ObservedSnapshot::default()
    }
}

fn any_unobservable(s: &ObservedSnapshot) -> bool {
    matches!(s.service, Observed::Unobservable(_))
        || matches!(s.workload, Observed::Unobservable(_))
        || matches!(s.endpoint_slices, Observed::Unobservable(_))
        || matches!(s.hpa, Observed::Unobservable(_))
        || s.configuration
            .objects
            .iter()
            .any(|o| matches!(o, Observed::Unobservable(_)))
}

/// Hands the probe pool what to probe for this Pacto. While the contract is unavailable the
/// previous plan keeps running.
fn plan_probes(
    ctx: &Context,
    key: &PactoKey,
    state: &ContractState,
    valid: Option<&Contract>,
    target: Option<&Target>,
    snapshot: &ObservedSnapshot,
) {
    match valid {
        Some(c) => {
            let plans = match (
                target.and_then(|t| t.service_name.as_deref()),
                &snapshot.service,
                &snapshot.endpoint_slices,
            ) {
                (Some(name), Observed::Found(svc), Observed::Found(slices)) => {
                    let plans = eval::probes::plan_probes(
                        c,
                        target,
                        ctx.settings.interface_name_match,
                        &key.namespace,
                        name,
                        svc,
                        slices,
                    );
                    log_skipped(key, &plans);
                    plans
                }
                _ => Vec::new(),
            };
            ctx.probes.set_plan(key, plans);
        }
        None if state.unavailable().is_none() => ctx.probes.set_plan(key, Vec::new()),
        None => {}
    }
}

/// EndpointSlices left out of a plan are visible in the log as well as on the condition.
fn log_skipped(key: &PactoKey, plans: &[crate::probe::Planned]) {
    let notes = plans.iter().find_map(|p| match p {
        Ok(plan) => plan.skipped.clone(),
        Err(u) => u.reason.contains("not probed: ").then(|| u.reason.clone()),
    });
    if let Some(notes) = notes {
        tracing::debug!(pacto = %key, %notes, "endpoint addresses left out of probing");
    }
}

/// Whole seconds, as the API serialises times: a value read back compares equal.
fn now() -> Time {
    Time(Timestamp::from_second(Timestamp::now().as_second()).unwrap_or_else(|_| Timestamp::now()))
}
