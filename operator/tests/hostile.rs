//! Odd but legal (or barely legal) objects never panic and give sensible verdicts.

mod fixtures;

use fixtures::*;
use pacto_crds::{ContractStatus, Target, WorkloadKind, WorkloadRef};
use pacto_operator::eval::Observed;
use serde_json::json;

#[test]
fn bare_objects_do_not_panic() {
    let mut w = World::base();
    w.service = Observed::Found(
        json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "orders"}}),
    );
    w.workload = Observed::Found(json!({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "orders"},
        "spec": {"selector": {}, "template": {}}
    }));
    w.slices = Observed::Found(vec![
        json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
        "metadata": {"name": "x"}, "addressType": "IPv4"}),
    ]);
    let e = w.eval();
    assert_eq!(e.status.contract_status, Some(ContractStatus::NonCompliant));
    assert_eq!(cond(&e, "PortsValid").reason, "MissingPorts");
    assert_eq!(cond(&e, "ServiceSelectsWorkload").reason, "NoSelector");
}

#[test]
fn job_and_cronjob_contracts() {
    let job = json!({
        "apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "report"},
        "spec": {"template": {"spec": {"restartPolicy": "Never",
            "containers": [{"name": "r", "image": "ghcr.io/acme/orders:1.2.0"}]}}}
    });
    let cron = json!({
        "apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "report"},
        "spec": {"schedule": "0 * * * *", "jobTemplate": {"spec": {"template": {"spec": {
            "restartPolicy": "Never",
            "containers": [{"name": "r", "image": "ghcr.io/acme/orders:1.2.0"}]}}}}}
    });
    for (kind, obj, workload) in [
        (WorkloadKind::Job, job, "job"),
        (WorkloadKind::CronJob, cron, "scheduled"),
    ] {
        let mut w = World::base();
        for ptr in [
            "/runtime/health",
            "/runtime/metrics",
            "/runtime/lifecycle/gracefulShutdownSeconds",
            "/scaling",
        ] {
            del(&mut w.contract, ptr);
        }
        set(&mut w.contract, "/runtime/workload", json!(workload));
        w.target = Some(Target {
            service_name: None,
            workload_ref: Some(WorkloadRef {
                kind: Some(kind),
                name: "report".into(),
            }),
            ..Target::default()
        });
        w.service = Observed::Missing;
        w.workload = Observed::Found(obj);
        let e = w.eval();
        assert_eq!(not_true(&e), Vec::<String>::new(), "{kind:?}");
        assert_eq!(cond(&e, "UpgradeStrategyMatch").reason, "NotApplicable");
        assert_eq!(e.status.contract_status, Some(ContractStatus::Compliant));
        // The same workload under a `service` contract is the wrong kind.
        set(&mut w.contract, "/runtime/workload", json!("service"));
        assert_eq!(cond(&w.eval(), "WorkloadTypeMatch").status, "False");
    }
}

#[test]
fn huge_and_odd_values() {
    let mut w = World::base();
    set(w.workload_mut(), "/spec/replicas", json!(i32::MAX));
    set(
        w.workload_mut(),
        "/spec/template/spec/terminationGracePeriodSeconds",
        json!(i64::MAX),
    );
    set(
        w.workload_mut(),
        "/spec/template/spec/containers/1/image",
        json!("::not an image::"),
    );
    let e = w.eval();
    assert_eq!(cond(&e, "ScalingMatch").reason, "ReplicasOutOfRange");
    assert_eq!(cond(&e, "GracefulShutdownMatch").status, "True");
    assert_eq!(cond(&e, "ImageMatch").status, "True");
}
