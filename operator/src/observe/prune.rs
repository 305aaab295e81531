//! What the stores drop from watched objects: fields no check reads. managedFields and
//! annotations (often a whole `last-applied-configuration` copy) are most of an object's size.

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::PodTemplateSpec;
use kube::Resource;

/// Drops managedFields and annotations.
pub fn object<K: Resource>(o: &mut K) {
    let m = o.meta_mut();
    m.managed_fields = None;
    m.annotations = None;
}

/// What the Pacto store keeps of a Pacto: everything a reconcile reads (spec, status, labels,
/// uid, generation), without managedFields and annotations (`kubectl apply` stores a whole copy
/// of the spec in one; no check reads annotations).
pub fn pacto(o: &mut pacto_crds::Pacto) {
    object(o);
}

/// Drops the pod template's annotations (checks read its labels and spec).
fn template(t: Option<&mut PodTemplateSpec>) {
    if let Some(m) = t.and_then(|t| t.metadata.as_mut()) {
        m.annotations = None;
        m.managed_fields = None;
    }
}

// A workload's status is read for its ready replicas only: its conditions (a sentence each)
// are dropped.

pub fn deployment(o: &mut Deployment) {
    object(o);
    template(Some(&mut o.spec.template));
    if let Some(s) = o.status.as_mut() {
        s.conditions = None;
    }
}

pub fn stateful_set(o: &mut StatefulSet) {
    object(o);
    template(Some(&mut o.spec.template));
    if let Some(s) = o.status.as_mut() {
        s.conditions = None;
    }
}

pub fn replica_set(o: &mut ReplicaSet) {
    object(o);
    template(o.spec.template.as_mut());
    if let Some(s) = o.status.as_mut() {
        s.conditions = None;
    }
}

pub fn job(o: &mut Job) {
    object(o);
    template(o.spec.as_mut().map(|s| &mut s.template));
}

pub fn cron_job(o: &mut CronJob) {
    object(o);
    template(o.spec.job_template.spec.as_mut().map(|s| &mut s.template));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_annotations_and_managed_fields_keeps_what_checks_read() {
        let mut d: Deployment = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "api", "labels": {"app": "api"},
                "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{...}"},
                "managedFields": [{"manager": "kubectl"}]},
            "spec": {"selector": {"matchLabels": {"app": "api"}},
                "template": {"metadata": {"labels": {"app": "api"}, "annotations": {"a": "b"}},
                    "spec": {"containers": [{"name": "c", "image": "x:1",
                        "ports": [{"containerPort": 8080}]}]}}},
            "status": {"readyReplicas": 1,
                "conditions": [{"type": "Available", "status": "True", "message": "..."}]}
        }))
        .expect("deployment");
        deployment(&mut d);
        assert!(d.metadata.annotations.is_none() && d.metadata.managed_fields.is_none());
        let t = &d.spec.template;
        let tm = t.metadata.as_ref().expect("template metadata");
        assert!(tm.annotations.is_none());
        assert_eq!(
            tm.labels
                .as_ref()
                .and_then(|l| l.get("app"))
                .map(String::as_str),
            Some("api")
        );
        assert_eq!(
            t.spec.as_ref().expect("pod spec").containers[0]
                .image
                .as_deref(),
            Some("x:1")
        );
        assert_eq!(d.metadata.labels.as_ref().map(|l| l.len()), Some(1));
        let st = d.status.as_ref().expect("status");
        assert_eq!((st.ready_replicas, st.conditions.as_ref()), (Some(1), None));
    }
}
