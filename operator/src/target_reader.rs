//! Reads a Pacto's target from the API: the Service, the workload, the Service's
//! EndpointSlices and an HPA scaling the workload. A 404 is a fact (`Missing`); any other
//! failure is `Unobservable` (the Pacto becomes Unknown, never NonCompliant).

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::api::ListParams;
use kube::{Api, Client, Resource, ResourceExt};
use pacto_crds::{Target, WorkloadKind};
use serde::de::DeserializeOwned;

pub use crate::eval::workload_of;
use crate::eval::{Observed, ObservedSnapshot, Workload};

/// Label EndpointSlices carry to name their Service.
pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";

fn strip<K: Resource>(mut obj: K) -> K {
    obj.meta_mut().managed_fields = None;
    obj
}

async fn get<K>(client: &Client, ns: &str, name: &str) -> Observed<K>
where
    K: Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()>
        + Clone
        + DeserializeOwned
        + std::fmt::Debug,
{
    let api: Api<K> = Api::namespaced(client.clone(), ns);
    match api.get_opt(name).await {
        Ok(Some(o)) => Observed::Found(strip(o)),
        Ok(None) => Observed::Missing,
        Err(e) => Observed::Unobservable(format!(
            "cannot read {} {ns}/{name}: {}",
            K::kind(&()),
            short(&e)
        )),
    }
}

/// A short, stable description of an API error (no request ids or timings).
pub fn short(e: &kube::Error) -> String {
    match e {
        kube::Error::Api(s) => format!("{} ({})", s.reason, s.code),
        other => {
            let t = other.to_string();
            t.chars().take(200).collect()
        }
    }
}

async fn workload(client: &Client, ns: &str, kind: WorkloadKind, name: &str) -> Observed<Workload> {
    fn map<T>(o: Observed<T>, f: impl FnOnce(T) -> Workload) -> Observed<Workload> {
        match o {
            Observed::Found(t) => Observed::Found(f(t)),
            Observed::Missing => Observed::Missing,
            Observed::Unobservable(e) => Observed::Unobservable(e),
        }
    }
    match kind {
        WorkloadKind::Deployment => map(
            get::<Deployment>(client, ns, name).await,
            Workload::Deployment,
        ),
        WorkloadKind::StatefulSet => map(
            get::<StatefulSet>(client, ns, name).await,
            Workload::StatefulSet,
        ),
        WorkloadKind::ReplicaSet => map(
            get::<ReplicaSet>(client, ns, name).await,
            Workload::ReplicaSet,
        ),
        WorkloadKind::Job => map(get::<Job>(client, ns, name).await, Workload::Job),
        WorkloadKind::CronJob => map(get::<CronJob>(client, ns, name).await, Workload::CronJob),
    }
}

async fn endpoint_slices(client: &Client, ns: &str, service: &str) -> Observed<Vec<EndpointSlice>> {
    let api: Api<EndpointSlice> = Api::namespaced(client.clone(), ns);
    let lp = ListParams::default().labels(&format!("{SERVICE_NAME_LABEL}={service}"));
    match api.list(&lp).await {
        Ok(list) => {
            let mut items: Vec<EndpointSlice> = list.items.into_iter().map(strip).collect();
            items.sort_by_key(|a| a.name_any());
            Observed::Found(items)
        }
        Err(e) => Observed::Unobservable(format!(
            "cannot list EndpointSlices of {ns}/{service}: {}",
            short(&e)
        )),
    }
}

/// The HPA among `hpas` whose `scaleTargetRef` names the workload.
pub fn hpa_for<'a>(
    hpas: impl IntoIterator<Item = &'a HorizontalPodAutoscaler>,
    kind: WorkloadKind,
    name: &str,
) -> Option<&'a HorizontalPodAutoscaler> {
    hpas.into_iter().find(|h| {
        h.spec.scale_target_ref.kind == kind.as_str() && h.spec.scale_target_ref.name == name
    })
}

async fn hpa(
    client: &Client,
    ns: &str,
    kind: WorkloadKind,
    name: &str,
) -> Observed<Option<HorizontalPodAutoscaler>> {
    let api: Api<HorizontalPodAutoscaler> = Api::namespaced(client.clone(), ns);
    match api.list(&ListParams::default()).await {
        Ok(list) => Observed::Found(hpa_for(list.items.iter(), kind, name).cloned().map(strip)),
        Err(e) => Observed::Unobservable(format!(
            "cannot list HorizontalPodAutoscalers in {ns}: {}",
            short(&e)
        )),
    }
}

/// Reads everything the target names; reads run concurrently.
pub async fn read_target(client: &Client, ns: &str, target: Option<&Target>) -> ObservedSnapshot {
    let mut snap = ObservedSnapshot::default();
    let Some(t) = target else { return snap };
    let wl = workload_of(t);
    let svc_fut = async {
        match &t.service_name {
            Some(s) => (
                get::<Service>(client, ns, s).await,
                endpoint_slices(client, ns, s).await,
            ),
            None => (Observed::Missing, Observed::Found(Vec::new())),
        }
    };
    let wl_fut = async {
        match &wl {
            Some((kind, name)) => (
                workload(client, ns, *kind, name).await,
                hpa(client, ns, *kind, name).await,
            ),
            None => (Observed::Missing, Observed::Found(None)),
        }
    };
    let ((service, slices), (workload, hpa)) = futures_util::join!(svc_fut, wl_fut);
    snap.service = service;
    snap.endpoint_slices = slices;
    snap.workload = workload;
    snap.hpa = hpa;
    snap
}

#[cfg(test)]
mod tests {
    use super::*;
    use pacto_crds::WorkloadRef;

    fn hpa(kind: &str, name: &str) -> HorizontalPodAutoscaler {
        serde_json::from_value(serde_json::json!({
            "metadata": {"name": format!("{kind}-{name}")},
            "spec": {"scaleTargetRef": {"kind": kind, "name": name, "apiVersion": "apps/v1"}, "maxReplicas": 3}
        }))
        .expect("hpa")
    }

    #[test]
    fn hpa_is_matched_by_kind_and_name() {
        let list = [
            hpa("StatefulSet", "api"),
            hpa("Deployment", "api"),
            hpa("Deployment", "web"),
        ];
        let got = hpa_for(list.iter(), WorkloadKind::Deployment, "api").map(|h| h.name_any());
        assert_eq!(got.as_deref(), Some("Deployment-api"));
        assert!(hpa_for(list.iter(), WorkloadKind::Job, "api").is_none());
    }

    #[test]
    fn workload_defaults_to_a_deployment_named_like_the_service() {
        let t = Target {
            service_name: Some("svc".into()),
            workload_ref: None,
        };
        assert_eq!(
            workload_of(&t),
            Some((WorkloadKind::Deployment, "svc".into()))
        );
        let t = Target {
            service_name: Some("svc".into()),
            workload_ref: Some(WorkloadRef {
                kind: WorkloadKind::StatefulSet,
                name: "db".into(),
            }),
        };
        assert_eq!(
            workload_of(&t),
            Some((WorkloadKind::StatefulSet, "db".into()))
        );
        assert_eq!(workload_of(&Target::default()), None);
    }
}
