//! Drop-in: a Pacto written for the reference operator's newest CRD is accepted unchanged, and
//! the binding rules are reported with their own messages.

use kube::api::{DynamicObject, Patch, PatchParams, PostParams};
use pacto_crds::bindings::MSG_FORMAT_WITH_KEY;
use pacto_crds::{ConfigFormat, Pacto, WorkloadKind};
use serde_json::{Value, json};

use super::support::{FIELD_MANAGER, TestNamespace, api_error, client, repo_root};
use super::{dynamic_api, is_subset};

fn upstream_manifest() -> Value {
    let path = repo_root().join("crds/tests/fixtures/upstream-newest-pacto.yaml");
    let text = std::fs::read_to_string(&path).expect("fixture");
    serde_saphyr::from_str(&text).expect("fixture is YAML")
}

#[tokio::test]
async fn a_pacto_for_the_reference_operators_newest_crd_is_accepted_unchanged() {
    let client = client().await;
    let ns = TestNamespace::new(&client, "crds-upstream").await;
    let api = dynamic_api(client.clone(), &ns.name, "Pacto");
    let manifest = upstream_manifest();
    let pp = PatchParams::apply(FIELD_MANAGER);
    let applied = api
        .patch("checkout", &pp, &Patch::Apply(&manifest))
        .await
        .expect("accepted");
    let served = serde_json::to_value(&applied).expect("json");
    // Stored exactly as sent, both ways: nothing pruned, nothing defaulted in (no kind).
    assert!(
        is_subset(&manifest["spec"], &served["spec"])
            && is_subset(&served["spec"], &manifest["spec"]),
        "the server changed the spec:\nsent   {}\nstored {}",
        manifest["spec"],
        served["spec"]
    );
    assert_eq!(served["spec"]["target"]["workloadRef"].get("kind"), None);

    let typed: Pacto = serde_json::from_value(served).expect("typed Pacto");
    let target = typed.spec.target.expect("target");
    let w = target.workload_ref.as_ref().expect("workloadRef");
    assert_eq!(
        (w.kind, w.effective_kind()),
        (None, WorkloadKind::Deployment)
    );
    assert_eq!(target.interface_bindings.len(), 2);
    assert_eq!(target.config_bindings.len(), 4);
    assert_eq!(target.config_bindings[2].format, Some(ConfigFormat::Json));
    // The typed struct writes back what it read.
    let back = serde_json::to_value(&target).expect("json");
    assert_eq!(back, manifest["spec"]["target"]);
    ns.cleanup().await;
}

#[tokio::test]
async fn binding_rules_are_enforced_with_their_messages() {
    let client = client().await;
    let ns = TestNamespace::new(&client, "crds-bindings").await;
    let api = dynamic_api(client.clone(), &ns.name, "Pacto");
    let with_target = |target: Value| json!({ "contractRef": { "oci": "r/x" }, "target": target });
    let long = "a".repeat(254);
    let cases = [
        (
            "key-without-format",
            with_target(json!({ "configBindings": [
                { "configuration": "default", "kind": "ConfigMap", "name": "c", "key": "k" }
            ] })),
            MSG_FORMAT_WITH_KEY.to_string(),
        ),
        (
            "duplicate-interface",
            with_target(json!({ "interfaceBindings": [
                { "interface": "api", "servicePort": 8080 },
                { "interface": "api", "servicePort": "http" }
            ] })),
            "spec.target.interfaceBindings[1]: Duplicate value".to_string(),
        ),
        (
            "duplicate-configuration",
            with_target(json!({ "configBindings": [
                { "configuration": "default", "kind": "Secret", "name": "a" },
                { "configuration": "default", "kind": "ConfigMap", "name": "b" }
            ] })),
            "spec.target.configBindings[1]: Duplicate value".to_string(),
        ),
        (
            "bad-binding-kind",
            with_target(json!({ "configBindings": [
                { "configuration": "default", "kind": "Pod", "name": "a" }
            ] })),
            r#"Unsupported value: "Pod": supported values: "ConfigMap", "Secret""#.to_string(),
        ),
        (
            "bad-format",
            with_target(json!({ "configBindings": [
                { "configuration": "default", "kind": "Secret", "name": "a", "key": "k", "format": "toml" }
            ] })),
            r#"Unsupported value: "toml": supported values: "yaml", "json""#.to_string(),
        ),
        (
            "long-interface",
            with_target(json!({ "interfaceBindings": [
                { "interface": long, "servicePort": 8080 }
            ] })),
            "spec.target.interfaceBindings[0].interface: Too long".to_string(),
        ),
        (
            "no-port",
            with_target(json!({ "interfaceBindings": [ { "interface": "api" } ] })),
            "spec.target.interfaceBindings[0].servicePort: Required value".to_string(),
        ),
    ];
    for (name, spec, message) in cases {
        let obj: DynamicObject = serde_json::from_value(json!({
            "apiVersion": "pacto.trianalab.io/v1alpha1", "kind": "Pacto",
            "metadata": { "name": name }, "spec": spec
        }))
        .expect("object");
        let (code, text) = api_error(api.create(&PostParams::default(), &obj).await);
        assert_eq!(code, 422, "{name}: {text}");
        assert!(
            text.contains(&message),
            "{name}: message {text:?} lacks {message:?}"
        );
    }
    // What the rule allows: a Secret key without format, an empty key, a ConfigMap with both.
    let ok = with_target(json!({ "configBindings": [
        { "configuration": "a", "kind": "Secret", "name": "s", "key": "k" },
        { "configuration": "b", "kind": "ConfigMap", "name": "c", "key": "" },
        { "configuration": "c", "kind": "ConfigMap", "name": "c", "key": "k", "format": "json" }
    ] }));
    let obj: DynamicObject = serde_json::from_value(json!({
        "apiVersion": "pacto.trianalab.io/v1alpha1", "kind": "Pacto",
        "metadata": { "name": "allowed" }, "spec": ok
    }))
    .expect("object");
    api.create(&PostParams::default(), &obj)
        .await
        .expect("allowed bindings");
    ns.cleanup().await;
}
