//! A Pacto's target read from the stores: the Service, the workload, the Service's
//! EndpointSlices and an HPA scaling the workload. Absent from a synced store is a fact
//! (`Missing`); a store whose watch has not listed yet is `Unobservable` (the Pacto becomes
//! Unknown, never NonCompliant).

use std::sync::Arc;
use std::time::Duration;

use pacto_crds::{Target, WorkloadKind};

use super::store::IndexedStore;
use super::{TargetStores, hpa_key};
use crate::eval::{Observed, ObservedSnapshot, Workload, workload_of};

/// How long after start a reconcile waits for a store's first list before reporting it.
const SYNC_GRACE: Duration = Duration::from_secs(30);

async fn one<K: kube::Resource + Clone + serde::Serialize + serde::de::DeserializeOwned>(
    store: &IndexedStore<K>,
    ns: &str,
    name: &str,
) -> Observed<K> {
    if let Err(e) = store.synced(SYNC_GRACE).await {
        return Observed::Unobservable(e.0);
    }
    match store.get(ns, name).first() {
        Some(o) => Observed::Found(Arc::unwrap_or_clone(o.clone())),
        None => Observed::Missing,
    }
}

fn map<T>(o: Observed<T>, f: impl FnOnce(T) -> Workload) -> Observed<Workload> {
    match o {
        Observed::Found(t) => Observed::Found(f(t)),
        Observed::Missing => Observed::Missing,
        Observed::Unobservable(e) => Observed::Unobservable(e),
    }
}

async fn workload(
    s: &TargetStores,
    ns: &str,
    kind: WorkloadKind,
    name: &str,
) -> Observed<Workload> {
    match kind {
        WorkloadKind::Deployment => map(one(&s.deployments, ns, name).await, Workload::Deployment),
        WorkloadKind::StatefulSet => {
            map(one(&s.stateful_sets, ns, name).await, Workload::StatefulSet)
        }
        WorkloadKind::ReplicaSet => map(one(&s.replica_sets, ns, name).await, Workload::ReplicaSet),
        WorkloadKind::Job => map(one(&s.jobs, ns, name).await, Workload::Job),
        WorkloadKind::CronJob => map(one(&s.cron_jobs, ns, name).await, Workload::CronJob),
    }
}

async fn slices(
    s: &TargetStores,
    ns: &str,
    service: &str,
) -> Observed<Vec<k8s_openapi::api::discovery::v1::EndpointSlice>> {
    if let Err(e) = s.slices.synced(SYNC_GRACE).await {
        return Observed::Unobservable(e.0);
    }
    // By name: the store's order, so a reconcile sees them in a stable order.
    Observed::Found(
        s.slices
            .get(ns, service)
            .into_iter()
            .map(Arc::unwrap_or_clone)
            .collect(),
    )
}

async fn hpa(
    s: &TargetStores,
    ns: &str,
    kind: WorkloadKind,
    name: &str,
) -> Observed<Option<k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler>> {
    if let Err(e) = s.hpas.synced(SYNC_GRACE).await {
        return Observed::Unobservable(e.0);
    }
    Observed::Found(
        s.hpas
            .get(ns, &hpa_key(kind.as_str(), name))
            .into_iter()
            .next()
            .map(Arc::unwrap_or_clone),
    )
}

/// Reads everything the target names.
pub async fn read_target(
    stores: &TargetStores,
    ns: &str,
    target: Option<&Target>,
) -> ObservedSnapshot {
    let mut snap = ObservedSnapshot::default();
    let Some(t) = target else { return snap };
    if let Some(svc) = &t.service_name {
        snap.service = one(&stores.services, ns, svc).await;
        snap.endpoint_slices = slices(stores, ns, svc).await;
    }
    if let Some((kind, name)) = workload_of(t) {
        snap.workload = workload(stores, ns, kind, &name).await;
        snap.hpa = hpa(stores, ns, kind, &name).await;
    }
    snap
}

#[cfg(test)]
mod tests {
    use super::*;
    use kube::runtime::watcher::Event;

    fn synced(s: &TargetStores) {
        macro_rules! sync {
            ($($f:ident),*) => {$(s.$f.apply(&Event::Init); s.$f.apply(&Event::InitDone);)*};
        }
        sync!(
            services,
            slices,
            hpas,
            deployments,
            stateful_sets,
            replica_sets,
            jobs,
            cron_jobs
        );
    }

    fn obj<K: serde::de::DeserializeOwned>(v: serde_json::Value) -> K {
        serde_json::from_value(v).expect("object")
    }

    fn target(svc: &str) -> Target {
        Target {
            service_name: Some(svc.into()),
            ..Target::default()
        }
    }

    #[tokio::test]
    async fn reads_the_service_its_slices_workload_and_hpa() {
        let s = TargetStores::default();
        synced(&s);
        s.services.apply(&Event::Apply(obj(serde_json::json!({
            "metadata": {"name": "api", "namespace": "a"}}))));
        s.slices.apply(&Event::Apply(obj(serde_json::json!({
            "metadata": {"name": "api-x", "namespace": "a",
                "labels": {"kubernetes.io/service-name": "api"}},
            "addressType": "IPv4", "endpoints": []}))));
        s.deployments.apply(&Event::Apply(obj(serde_json::json!({
            "metadata": {"name": "api", "namespace": "a"},
            "spec": {"selector": {}, "template": {}}}))));
        s.hpas.apply(&Event::Apply(obj(serde_json::json!({
            "metadata": {"name": "h", "namespace": "a"},
            "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "api"}, "maxReplicas": 3}}))));
        let snap = read_target(&s, "a", Some(&target("api"))).await;
        assert!(snap.service.found().is_some());
        assert_eq!(snap.endpoint_slices.found().map(Vec::len), Some(1));
        assert!(matches!(
            snap.workload,
            Observed::Found(Workload::Deployment(_))
        ));
        assert!(matches!(snap.hpa, Observed::Found(Some(_))));
        // Another namespace holds none of it.
        let other = read_target(&s, "b", Some(&target("api"))).await;
        assert!(matches!(other.service, Observed::Missing));
        assert!(matches!(other.workload, Observed::Missing));
        assert!(matches!(other.hpa, Observed::Found(None)));
    }

    #[tokio::test]
    async fn an_unsynced_store_is_unobservable_not_missing() {
        let s = TargetStores::default();
        s.services.failed("services is forbidden");
        // Only the Service store lists: the others stay unsynced past the grace below.
        tokio::time::pause();
        let snap = read_target(&s, "a", Some(&target("api"))).await;
        match snap.service {
            Observed::Unobservable(why) => assert!(why.contains("forbidden"), "{why}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(snap.workload, Observed::Unobservable(_)));
    }
}
