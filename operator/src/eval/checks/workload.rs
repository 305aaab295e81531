//! WorkloadTypeMatch, StateModelMatch, UpgradeStrategyMatch and GracefulShutdownMatch.
//!
//! Rules:
//! - type: `service` ⇒ Deployment, StatefulSet or ReplicaSet (all run pods continuously);
//!   `job` ⇒ Job; `scheduled` ⇒ CronJob.
//! - state: "persistent storage" is a StatefulSet `volumeClaimTemplates` entry or a pod volume
//!   backed by a `persistentVolumeClaim`. `stateless` ⇒ none. `stateful` or `hybrid` with
//!   `persistent` durability ⇒ some; with `local` scope it must be per replica, i.e. a
//!   StatefulSet with `volumeClaimTemplates` (a plain PVC volume is shared by all replicas).
//!   `ephemeral` durability asks nothing of the volumes.
//! - upgrade: Deployment `rolling` ⇒ RollingUpdate, `recreate` ⇒ Recreate, `ordered` never
//!   (a Deployment cannot order its pods). StatefulSet `rolling` ⇒ RollingUpdate,
//!   `ordered` ⇒ RollingUpdate with podManagementPolicy OrderedReady, `recreate` ⇒ OnDelete.
//!   ReplicaSet, Job and CronJob have no update strategy: the check passes as NotApplicable.
//! - grace: terminationGracePeriodSeconds (default 30) >= gracefulShutdownSeconds.

use pacto_core::model::{
    Durability, PersistenceScope, State, StateType, UpgradeStrategy, Workload as WorkloadType,
};
use pacto_crds::WorkloadKind;
use pacto_crds::reasons;

use super::super::check::{Check, CheckResult};
use super::super::target_snapshot::Workload;

/// Kubernetes default of `terminationGracePeriodSeconds`.
const DEFAULT_GRACE_SECONDS: i64 = 30;

pub(super) fn type_match(declared: WorkloadType, w: &Workload) -> CheckResult {
    let kind = w.kind();
    let ok = match declared {
        WorkloadType::Service => matches!(
            kind,
            WorkloadKind::Deployment | WorkloadKind::StatefulSet | WorkloadKind::ReplicaSet
        ),
        WorkloadType::Job => kind == WorkloadKind::Job,
        WorkloadType::Scheduled => kind == WorkloadKind::CronJob,
    };
    let expected = match declared {
        WorkloadType::Service => "a Deployment, StatefulSet or ReplicaSet",
        WorkloadType::Job => "a Job",
        WorkloadType::Scheduled => "a CronJob",
    };
    if ok {
        CheckResult::pass(
            Check::WorkloadTypeMatch,
            reasons::MATCH,
            format!("{} workload runs as a {}", declared, kind.as_str()),
        )
    } else {
        CheckResult::fail(
            Check::WorkloadTypeMatch,
            reasons::MISMATCH,
            format!(
                "{} workload must run as {expected}, found a {}",
                declared,
                kind.as_str()
            ),
        )
    }
}

/// Names of claim templates and PVC-backed volumes.
pub(crate) fn persistent_storage(w: &Workload) -> (Vec<String>, Vec<String>) {
    let templates = match w {
        Workload::StatefulSet(s) => s
            .spec
            .volume_claim_templates
            .iter()
            .flatten()
            .map(|t| t.metadata.name.clone().unwrap_or_default())
            .collect(),
        _ => Vec::new(),
    };
    let volumes = w
        .pod_spec()
        .into_iter()
        .flat_map(|p| p.volumes.iter().flatten())
        .filter(|v| v.persistent_volume_claim.is_some())
        .map(|v| v.name.clone())
        .collect();
    (templates, volumes)
}

pub(super) fn state_match(st: &State, w: &Workload) -> CheckResult {
    let (templates, volumes) = persistent_storage(w);
    let has_any = !templates.is_empty() || !volumes.is_empty();
    let persistent = st.persistence.durability == Durability::Persistent;
    let describe = || {
        let mut all: Vec<String> = templates
            .iter()
            .map(|t| format!("volumeClaimTemplate {t}"))
            .collect();
        all.extend(volumes.iter().map(|v| format!("PVC volume {v}")));
        all.join(", ")
    };
    match st.kind {
        StateType::Stateless if has_any => CheckResult::fail(
            Check::StateModelMatch,
            reasons::UNEXPECTED_PERSISTENT_STORAGE,
            format!("stateless contract, but the workload has {}", describe()),
        ),
        StateType::Stateless => CheckResult::pass(
            Check::StateModelMatch,
            reasons::MATCH,
            "stateless contract and no persistent volume",
        ),
        StateType::Stateful | StateType::Hybrid if !persistent => CheckResult::pass(
            Check::StateModelMatch,
            reasons::MATCH,
            format!("{} contract with ephemeral state", st.kind),
        ),
        StateType::Stateful | StateType::Hybrid
            if st.persistence.scope == PersistenceScope::Local =>
        {
            if templates.is_empty() {
                CheckResult::fail(
                    Check::StateModelMatch,
                    reasons::MISSING_PERSISTENT_STORAGE,
                    format!(
                        "{} contract with local persistent state needs a StatefulSet with volumeClaimTemplates, found a {}{}",
                        st.kind,
                        w.kind().as_str(),
                        if volumes.is_empty() {
                            String::new()
                        } else {
                            format!(" with {}", describe())
                        }
                    ),
                )
            } else {
                CheckResult::pass(
                    Check::StateModelMatch,
                    reasons::MATCH,
                    format!("per-replica storage from {}", describe()),
                )
            }
        }
        StateType::Stateful | StateType::Hybrid if has_any => CheckResult::pass(
            Check::StateModelMatch,
            reasons::MATCH,
            format!("shared persistent storage from {}", describe()),
        ),
        StateType::Stateful | StateType::Hybrid => CheckResult::fail(
            Check::StateModelMatch,
            reasons::MISSING_PERSISTENT_STORAGE,
            format!(
                "{} contract with shared persistent state, but the {} mounts no PersistentVolumeClaim",
                st.kind,
                w.kind().as_str()
            ),
        ),
    }
}

pub(super) fn strategy_match(want: UpgradeStrategy, w: &Workload) -> CheckResult {
    let (observed, ok) = match w {
        Workload::Deployment(d) => {
            let t = d
                .spec
                .strategy
                .as_ref()
                .and_then(|s| s.type_.clone())
                .unwrap_or_else(|| "RollingUpdate".to_string());
            let ok = match want {
                UpgradeStrategy::Rolling => t == "RollingUpdate",
                UpgradeStrategy::Recreate => t == "Recreate",
                UpgradeStrategy::Ordered => false,
            };
            (format!("Deployment strategy {t}"), ok)
        }
        Workload::StatefulSet(s) => {
            let spec = &s.spec;
            let t = spec
                .update_strategy
                .as_ref()
                .and_then(|u| u.type_.clone())
                .unwrap_or_else(|| "RollingUpdate".to_string());
            let pmp = spec
                .pod_management_policy
                .clone()
                .unwrap_or_else(|| "OrderedReady".to_string());
            let ok = match want {
                UpgradeStrategy::Rolling => t == "RollingUpdate",
                UpgradeStrategy::Ordered => t == "RollingUpdate" && pmp == "OrderedReady",
                UpgradeStrategy::Recreate => t == "OnDelete",
            };
            (
                format!("StatefulSet updateStrategy {t}, podManagementPolicy {pmp}"),
                ok,
            )
        }
        other => {
            return CheckResult::pass(
                Check::UpgradeStrategyMatch,
                reasons::NOT_APPLICABLE,
                format!("a {} has no update strategy", other.kind().as_str()),
            );
        }
    };
    if ok {
        CheckResult::pass(
            Check::UpgradeStrategyMatch,
            reasons::MATCH,
            format!("{want} upgrades: {observed}"),
        )
    } else {
        CheckResult::fail(
            Check::UpgradeStrategyMatch,
            reasons::MISMATCH,
            format!("contract wants {want} upgrades, found {observed}"),
        )
    }
}

pub(super) fn grace_match(want: u64, w: &Workload) -> CheckResult {
    let observed = w
        .pod_spec()
        .and_then(|p| p.termination_grace_period_seconds)
        .unwrap_or(DEFAULT_GRACE_SECONDS);
    let want_i = i64::try_from(want).unwrap_or(i64::MAX);
    if observed >= want_i {
        CheckResult::pass(
            Check::GracefulShutdownMatch,
            reasons::MATCH,
            format!("terminationGracePeriodSeconds {observed} >= {want}"),
        )
    } else {
        CheckResult::fail(
            Check::GracefulShutdownMatch,
            reasons::MISMATCH,
            format!(
                "terminationGracePeriodSeconds {observed} is shorter than the contract's {want}"
            ),
        )
    }
}
