//! The cluster as the operator's watches see it: Services, workloads, EndpointSlices and HPAs
//! of a controller's scope, held in indexed stores fed by watches (pruned of what no check
//! reads). A reconcile reads its target from here and never from the API, so a quiet cluster
//! costs the API server nothing but the watch streams.

pub mod config;
pub mod feed;
pub mod prune;
pub mod read;
pub mod store;

use std::sync::Arc;

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::ResourceExt;

pub use store::IndexedStore;

/// Label EndpointSlices carry to name their Service.
pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";

fn by_name<K: kube::Resource>(o: &K) -> Option<String> {
    Some(o.name_any())
}

fn by_service(s: &EndpointSlice) -> Option<String> {
    s.labels().get(SERVICE_NAME_LABEL).cloned()
}

/// HPAs are found by the workload they scale: `Kind/name`.
pub fn hpa_key(kind: &str, name: &str) -> String {
    format!("{kind}/{name}")
}

fn by_scale_target(h: &HorizontalPodAutoscaler) -> Option<String> {
    let t = &h.spec.scale_target_ref;
    Some(hpa_key(&t.kind, &t.name))
}

/// Every store of one controller scope.
pub struct TargetStores {
    pub services: Arc<IndexedStore<Service>>,
    pub slices: Arc<IndexedStore<EndpointSlice>>,
    pub hpas: Arc<IndexedStore<HorizontalPodAutoscaler>>,
    pub deployments: Arc<IndexedStore<Deployment>>,
    pub stateful_sets: Arc<IndexedStore<StatefulSet>>,
    pub replica_sets: Arc<IndexedStore<ReplicaSet>>,
    pub jobs: Arc<IndexedStore<Job>>,
    pub cron_jobs: Arc<IndexedStore<CronJob>>,
}

impl Default for TargetStores {
    fn default() -> Self {
        Self {
            services: Arc::new(IndexedStore::new("Service", by_name)),
            slices: Arc::new(IndexedStore::new("EndpointSlice", by_service)),
            hpas: Arc::new(IndexedStore::new(
                "HorizontalPodAutoscaler",
                by_scale_target,
            )),
            deployments: Arc::new(IndexedStore::new("Deployment", by_name)),
            stateful_sets: Arc::new(IndexedStore::new("StatefulSet", by_name)),
            replica_sets: Arc::new(IndexedStore::new("ReplicaSet", by_name)),
            jobs: Arc::new(IndexedStore::new("Job", by_name)),
            cron_jobs: Arc::new(IndexedStore::new("CronJob", by_name)),
        }
    }
}

impl TargetStores {
    /// Objects held, by kind (for the metrics and the benchmark).
    pub fn sizes(&self) -> [(&'static str, usize); 8] {
        [
            ("Service", self.services.len()),
            ("EndpointSlice", self.slices.len()),
            ("HorizontalPodAutoscaler", self.hpas.len()),
            ("Deployment", self.deployments.len()),
            ("StatefulSet", self.stateful_sets.len()),
            ("ReplicaSet", self.replica_sets.len()),
            ("Job", self.jobs.len()),
            ("CronJob", self.cron_jobs.len()),
        ]
    }
}
