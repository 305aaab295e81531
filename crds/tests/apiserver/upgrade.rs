//! CRD upgrade: Pactos stored under the CRD from before issue 14 (`workloadRef.kind` defaulted
//! to Deployment, `summary` without severity counts) stay readable and writable once the
//! current CRD replaces it.
//!
//! Both CRDs are installed under a renamed group (`upgrade.pacto.test`), so replacing one by
//! the other never disturbs the real CRD the other tests of this binary use; the schemas are
//! otherwise byte for byte the old fixture and the generated CRD.

use std::time::Duration;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{
    ApiResource, DeleteParams, DynamicObject, GroupVersionKind, Patch, PatchParams, PostParams,
};
use kube::runtime::wait::{await_condition, conditions::is_deleted};
use kube::{Api, Client, CustomResourceExt};
use pacto_crds::status::{CheckSummary, PactoStatus};
use pacto_crds::{Pacto, PactoSpec, WorkloadKind};
use serde_json::{Value, json};

use super::support::{FIELD_MANAGER, TestNamespace, client, repo_root};

const GROUP: &str = "upgrade.pacto.test";

fn renamed(mut crd: CustomResourceDefinition) -> CustomResourceDefinition {
    crd.metadata.name = Some(format!("{}.{GROUP}", crd.spec.names.plural));
    crd.spec.group = GROUP.into();
    crd
}

fn old_crd() -> CustomResourceDefinition {
    let path = repo_root().join("crds/tests/fixtures/pactos-before-issue-14.yaml");
    let text = std::fs::read_to_string(&path).expect("fixture");
    renamed(serde_saphyr::from_str(&text).expect("old CRD parses"))
}

fn api(client: &Client, ns: &str) -> Api<DynamicObject> {
    let gvk = GroupVersionKind::gvk(GROUP, pacto_crds::VERSION, "Pacto");
    Api::namespaced_with(
        client.clone(),
        ns,
        &ApiResource::from_gvk_with_plural(&gvk, "pactos"),
    )
}

fn object(name: &str, spec: Value) -> DynamicObject {
    serde_json::from_value(json!({
        "apiVersion": format!("{GROUP}/{}", pacto_crds::VERSION), "kind": "Pacto",
        "metadata": { "name": name }, "spec": spec
    }))
    .expect("object")
}

fn spec_of(o: &DynamicObject) -> PactoSpec {
    serde_json::from_value(o.data["spec"].clone()).expect("typed spec")
}

/// Deletes the renamed CRD (left by an earlier, interrupted run) and waits until it is gone.
async fn remove_crd(client: &Client, name: &str) {
    let crds: Api<CustomResourceDefinition> = Api::all(client.clone());
    let Ok(Some(existing)) = crds.get_opt(name).await else {
        return;
    };
    let uid = existing.metadata.uid.unwrap_or_default();
    let _ = crds.delete(name, &DeleteParams::default()).await;
    tokio::time::timeout(
        Duration::from_secs(60),
        await_condition(crds, name, is_deleted(&uid)),
    )
    .await
    .expect("the renamed CRD is deleted within 60 s")
    .expect("watch");
}

/// Until the API server serves the new schema, a dry-run create prunes `interfaceBindings`.
async fn await_new_schema(api: &Api<DynamicObject>) {
    let probe = object(
        "schema-probe",
        json!({ "contractRef": { "oci": "r/x" },
                "target": { "interfaceBindings": [{ "interface": "api", "servicePort": 8080 }] } }),
    );
    let dry = PostParams {
        dry_run: true,
        ..PostParams::default()
    };
    for _ in 0..150 {
        if let Ok(o) = api.create(&dry, &probe).await
            && o.data["spec"]["target"].get("interfaceBindings").is_some()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("the new CRD schema was not served within 30 s");
}

#[tokio::test]
async fn pactos_stored_under_the_old_crd_survive_the_upgrade() {
    let client = client().await;
    let new = renamed(Pacto::crd());
    let name = new.metadata.name.clone().expect("name");
    remove_crd(&client, &name).await;
    pacto_e2e_support::install_crds(&client, FIELD_MANAGER, &[old_crd()])
        .await
        .expect("old CRD installed");
    let ns = TestNamespace::new(&client, "crds-upgrade").await;
    let api = api(&client, &ns.name);
    let pp = PostParams::default();

    // Under the old CRD: one explicit kind, one defaulted by the old schema, an old status.
    let target =
        |wl: Value| json!({ "contractRef": { "oci": "r/x" }, "target": { "workloadRef": wl } });
    api.create(
        &pp,
        &object(
            "explicit",
            target(json!({ "kind": "Deployment", "name": "x" })),
        ),
    )
    .await
    .expect("explicit kind accepted by the old CRD");
    let defaulted = api
        .create(&pp, &object("defaulted", target(json!({ "name": "y" }))))
        .await
        .expect("no kind accepted by the old CRD");
    assert_eq!(
        defaulted.data["spec"]["target"]["workloadRef"]["kind"], "Deployment",
        "the old CRD defaulted the kind"
    );
    let old_status = json!({ "status": { "contractStatus": "Compliant",
                                         "summary": { "total": 3, "passed": 3, "failed": 0 } } });
    api.patch_status(
        "explicit",
        &PatchParams::default(),
        &Patch::Merge(&old_status),
    )
    .await
    .expect("old status written");

    pacto_e2e_support::install_crds(&client, FIELD_MANAGER, &[new])
        .await
        .expect("new CRD installed over the old one");
    await_new_schema(&api).await;

    // Both read back through the current types, their stored kind intact.
    for n in ["explicit", "defaulted"] {
        let o = api.get(n).await.expect("readable after the upgrade");
        let w = spec_of(&o)
            .target
            .and_then(|t| t.workload_ref)
            .expect("workloadRef");
        assert_eq!(w.kind, Some(WorkloadKind::Deployment), "{n}");
    }
    let o = api.get_status("explicit").await.expect("status readable");
    let status: PactoStatus =
        serde_json::from_value(o.data["status"].clone()).expect("old status reads as the new type");
    let summary = status.summary.expect("summary");
    assert_eq!(
        (summary.total, summary.passed, summary.error_count),
        (3, 3, 0)
    );

    // Both stay writable: new fields on one, the kind dropped from the other (now not asserted).
    let bindings = json!({ "spec": { "target": {
        "interfaceBindings": [{ "interface": "api", "servicePort": "http" }],
        "configBindings": [{ "configuration": "default", "kind": "Secret", "name": "s" }] } } });
    let o = api
        .patch(
            "explicit",
            &PatchParams::default(),
            &Patch::Merge(&bindings),
        )
        .await
        .expect("bindings added after the upgrade");
    let t = spec_of(&o).target.expect("target");
    assert_eq!(
        (t.interface_bindings.len(), t.config_bindings.len()),
        (1, 1)
    );
    let unasserted = json!({ "spec": { "target": { "workloadRef": { "kind": null } } } });
    let o = api
        .patch(
            "defaulted",
            &PatchParams::default(),
            &Patch::Merge(&unasserted),
        )
        .await
        .expect("kind removed after the upgrade");
    let w = spec_of(&o)
        .target
        .and_then(|t| t.workload_ref)
        .expect("workloadRef");
    assert_eq!(
        (w.kind, w.name.as_str()),
        (None, "y"),
        "no default brings the kind back"
    );
    let new_status = PactoStatus {
        summary: Some(CheckSummary {
            total: 3,
            passed: 2,
            failed: 1,
            error_count: 1,
            ..CheckSummary::default()
        }),
        ..status
    };
    let o = api
        .patch_status(
            "explicit",
            &PatchParams::default(),
            &Patch::Merge(&json!({ "status": new_status })),
        )
        .await
        .expect("new status fields written");
    assert_eq!(o.data["status"]["summary"]["errorCount"], 1);

    // A new Pacto without kind is stored without one.
    let fresh = api
        .create(&pp, &object("fresh", target(json!({ "name": "z" }))))
        .await
        .expect("created under the new CRD");
    assert_eq!(
        fresh.data["spec"]["target"]["workloadRef"].get("kind"),
        None
    );

    ns.cleanup().await;
    remove_crd(&client, &name).await;
}
