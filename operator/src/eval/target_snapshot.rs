//! What the runtime observed in the cluster for one Pacto, handed to the pure evaluator.

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{PodSpec, PodTemplateSpec, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use std::fmt;
use std::sync::Arc;

use pacto_core::validate::config_value::ConfigSchemas;
use pacto_crds::{Target, WorkloadKind};

/// The workload the target names and the kind it is looked up as: `workloadRef` (a
/// Deployment when its kind is not asserted), else a Deployment named like the Service.
pub fn workload_of(target: &Target) -> Option<(WorkloadKind, String)> {
    match (&target.workload_ref, &target.service_name) {
        (Some(w), _) => Some((w.effective_kind(), w.name.clone())),
        (None, Some(s)) => Some((WorkloadKind::Deployment, s.clone())),
        (None, None) => None,
    }
}

/// The kind the target asserts: `workloadRef.kind` when written, else none (a check compares
/// the observed kind only with an asserted one).
pub fn asserted_kind(target: &Target) -> Option<WorkloadKind> {
    target.workload_ref.as_ref().and_then(|w| w.kind)
}

/// Result of reading one object (or list) from the API.
///
/// `Missing` is a fact (404, or an empty answer) and makes checks fail; `Unobservable` means the
/// read itself failed (timeout, 5xx, RBAC) and makes the Pacto `Unknown`, never `NonCompliant`.
#[derive(Clone, Debug, PartialEq)]
pub enum Observed<T> {
    /// The object was read.
    Found(T),
    /// The object does not exist.
    Missing,
    /// The read failed; the string says why (shown in the condition message).
    Unobservable(String),
}

impl<T> Observed<T> {
    /// The object, when found.
    pub fn found(&self) -> Option<&T> {
        match self {
            Self::Found(t) => Some(t),
            _ => None,
        }
    }
}

/// The target workload, whatever its kind.
// One short-lived value per reconcile: unboxed variants keep construction and matching plain.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Workload {
    /// apps/v1 Deployment.
    Deployment(Deployment),
    /// apps/v1 StatefulSet.
    StatefulSet(StatefulSet),
    /// apps/v1 ReplicaSet.
    ReplicaSet(ReplicaSet),
    /// batch/v1 Job.
    Job(Job),
    /// batch/v1 CronJob.
    CronJob(CronJob),
}

impl Workload {
    /// The Kubernetes kind.
    pub fn kind(&self) -> WorkloadKind {
        match self {
            Self::Deployment(_) => WorkloadKind::Deployment,
            Self::StatefulSet(_) => WorkloadKind::StatefulSet,
            Self::ReplicaSet(_) => WorkloadKind::ReplicaSet,
            Self::Job(_) => WorkloadKind::Job,
            Self::CronJob(_) => WorkloadKind::CronJob,
        }
    }

    /// `metadata.name` (empty when absent).
    pub fn name(&self) -> &str {
        let name = match self {
            Self::Deployment(o) => &o.metadata.name,
            Self::StatefulSet(o) => &o.metadata.name,
            Self::ReplicaSet(o) => &o.metadata.name,
            Self::Job(o) => &o.metadata.name,
            Self::CronJob(o) => &o.metadata.name,
        };
        name.as_deref().unwrap_or_default()
    }

    /// The pod template (for a CronJob, the one inside its job template).
    pub fn pod_template(&self) -> Option<&PodTemplateSpec> {
        match self {
            Self::Deployment(o) => Some(&o.spec.template),
            Self::StatefulSet(o) => Some(&o.spec.template),
            Self::ReplicaSet(o) => o.spec.template.as_ref(),
            Self::Job(o) => o.spec.as_ref().map(|s| &s.template),
            Self::CronJob(o) => o.spec.job_template.spec.as_ref().map(|s| &s.template),
        }
    }

    /// The pod spec of the template.
    pub fn pod_spec(&self) -> Option<&PodSpec> {
        self.pod_template().and_then(|t| t.spec.as_ref())
    }

    /// Desired replicas for replicated kinds (the API default 1 when unset); `None` for jobs.
    pub fn replicas(&self) -> Option<i32> {
        match self {
            Self::Deployment(o) => Some(o.spec.replicas.unwrap_or(1)),
            Self::StatefulSet(o) => Some(o.spec.replicas.unwrap_or(1)),
            Self::ReplicaSet(o) => Some(o.spec.replicas.unwrap_or(1)),
            Self::Job(_) | Self::CronJob(_) => None,
        }
    }

    /// Ready replicas reported by the workload's status.
    pub fn ready_replicas(&self) -> Option<i32> {
        match self {
            Self::Deployment(o) => o.status.as_ref().and_then(|s| s.ready_replicas),
            Self::StatefulSet(o) => o.status.as_ref().and_then(|s| s.ready_replicas),
            Self::ReplicaSet(o) => o.status.as_ref().and_then(|s| s.ready_replicas),
            Self::Job(o) => o.status.as_ref().and_then(|s| s.ready),
            Self::CronJob(_) => None,
        }
    }
}

/// What the cluster says about one declared dependency.
///
/// Built by [`super::dependencies::observe_dependencies`] from the Pactos the runtime knows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ObservedDependency {
    /// Dependency key (`dependencies[].name`, else derived from its ref).
    pub name: String,
    /// `namespace/name` of the Pacto that provides it, when one was found.
    pub pacto: Option<String>,
    /// That Pacto's contract version (`status.contractVersion`); `None` when it has none yet.
    pub found_version: Option<String>,
    /// Set when the lookup itself failed (the Pacto list could not be read).
    pub unobservable: Option<String>,
}

/// Everything observed about a Pacto's target. Fields that do not apply (no `serviceName`)
/// are `Missing` and the checks that need them are skipped by the evaluator, which knows the
/// target.
#[derive(Clone, Debug, PartialEq)]
pub struct ObservedSnapshot {
    /// `target.serviceName`.
    pub service: Observed<Service>,
    /// `target.workloadRef` (default: a Deployment named like the Service).
    pub workload: Observed<Workload>,
    /// EndpointSlices labelled `kubernetes.io/service-name=<service>`.
    pub endpoint_slices: Observed<Vec<EndpointSlice>>,
    /// The HPA whose `scaleTargetRef` is the workload (`Found(None)`: there is none).
    pub hpa: Observed<Option<HorizontalPodAutoscaler>>,
    /// One entry per contract dependency.
    pub dependencies: Vec<ObservedDependency>,
    /// The objects `target.configBindings` name, and the schemas to check them against.
    pub configuration: ObservedConfig,
}

impl Default for ObservedSnapshot {
    fn default() -> Self {
        Self {
            service: Observed::Missing,
            workload: Observed::Missing,
            endpoint_slices: Observed::Found(Vec::new()),
            hpa: Observed::Found(None),
            dependencies: Vec::new(),
            configuration: Default::default(),
        }
    }
}

/// What the runtime read for `spec.target.configBindings`: one entry per binding (same
/// index), plus the contract's compiled configuration schemas. Secret bytes live here only for
/// the one evaluation that reads them, and are never printed (`Debug` shows their length).
/// One bound ConfigMap or Secret.
#[derive(Clone, Default, PartialEq)]
pub struct ConfigObject {
    /// Every key the object holds (ConfigMap `data` and `binaryData`, Secret `data`).
    pub keys: Vec<String>,
    /// The bytes at the binding's `key`, when it names one and the object holds it.
    pub value: Option<Vec<u8>>,
}

impl fmt::Debug for ConfigObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigObject")
            .field("keys", &self.keys)
            .field("value_bytes", &self.value.as_ref().map(Vec::len))
            .finish()
    }
}

/// The bound objects and the schemas to check their values against.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ObservedConfig {
    /// `objects[i]` is what `target.configBindings[i]` names (empty: nothing was read, e.g.
    /// no bindings; a missing entry counts as not observed).
    pub objects: Vec<Observed<ConfigObject>>,
    /// The contract's compiled bundled configuration schemas (`None`: none to check against).
    pub schemas: Option<Arc<ConfigSchemas>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use pacto_crds::WorkloadRef;

    #[test]
    fn workload_defaults_to_a_deployment_named_like_the_service() {
        let t = Target {
            service_name: Some("svc".into()),
            ..Target::default()
        };
        assert_eq!(
            workload_of(&t),
            Some((WorkloadKind::Deployment, "svc".into()))
        );
        assert_eq!(asserted_kind(&t), None);
        let mut t = Target {
            service_name: Some("svc".into()),
            workload_ref: Some(WorkloadRef {
                kind: Some(WorkloadKind::StatefulSet),
                name: "db".into(),
            }),
            ..Target::default()
        };
        assert_eq!(
            workload_of(&t),
            Some((WorkloadKind::StatefulSet, "db".into()))
        );
        assert_eq!(asserted_kind(&t), Some(WorkloadKind::StatefulSet));
        // A kind that is not asserted is looked up as a Deployment.
        t.workload_ref = Some(WorkloadRef {
            kind: None,
            name: "db".into(),
        });
        assert_eq!(
            workload_of(&t),
            Some((WorkloadKind::Deployment, "db".into()))
        );
        assert_eq!(asserted_kind(&t), None);
        assert_eq!(workload_of(&Target::default()), None);
    }
}
