//! End to end with a 2.0 contract (no ports): the Pacto's `interfaceBindings` place its
//! interfaces on the Service, its `configBindings` its configuration in a mounted ConfigMap,
//! the health and metrics capabilities are probed on the bound ports, and a binding the Service
//! does not serve is an `INTERFACE_ABSENT` finding. Configuration failures: `e2e_config.rs`.

mod cluster;

use cluster::*;
use pacto_crds::ContractStatus;
use serde_json::json;

const IMAGE: &str = "ghcr.io/acme/inventory:2.0.0";
const STUB: &[u8] = b"openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n";

const CONTRACT: &str = r#"pactoVersion: "2.0"
service:
  name: inventory
  version: 2.0.0
  owner:
    team: e2e
interfaces:
  - name: api
    type: openapi
    ref: api.yaml
  - name: admin
    type: openapi
    ref: admin.yaml
workload: service
state:
  type: stateless
  persistence:
    scope: local
    durability: ephemeral
  dataCriticality: low
capabilities:
  - type: health
    binding: {type: http, interface: api, path: /health}
  - type: metrics
    binding: {type: http, interface: admin, path: /metrics}
"#;

fn target(admin_port: serde_json::Value) -> serde_json::Value {
    json!({
        "serviceName": "inventory",
        "interfaceBindings": [
            {"interface": "api", "servicePort": 8080},
            {"interface": "admin", "servicePort": admin_port}
        ]
    })
}

/// `contract` with the interface files it references.
fn bundle(contract: &str) -> pacto_core::Bundle {
    let mut b = pacto_core::Bundle::new();
    b.insert("pacto.yaml", contract.as_bytes().to_vec());
    b.insert("api.yaml", STUB.to_vec());
    b.insert("admin.yaml", STUB.to_vec());
    b
}

/// The contract with a required `app` configuration, and the target binding it to a ConfigMap.
fn with_config(admin_port: serde_json::Value) -> (String, serde_json::Value) {
    let contract = format!(
        "{CONTRACT}configurations:\n  - name: app\n    schema: app.schema.json\n    required: true\n"
    );
    let mut t = target(admin_port);
    t["configBindings"] = json!([{
        "configuration": "app", "kind": "ConfigMap", "name": "inventory-config",
        "key": "app.json", "format": "json"
    }]);
    (contract, t)
}

#[tokio::test(flavor = "multi_thread")]
async fn bound_interfaces_and_capabilities_of_a_2_0_contract() {
    let Some(w) = World::new("op-v2").await else {
        return;
    };
    let reg = Registry::new(false);
    let (contract, bound) = with_config(json!("metrics"));
    let mut bundle = bundle(&contract);
    bundle.insert(
        "app.schema.json",
        br#"{"type": "object", "required": ["port"], "properties": {"port": {"type": "integer"}}}"#
            .to_vec(),
    );
    reg.push_bundle("acme/inventory", "2.0.0", &bundle).await;
    let r1 = Replica::start(&[8080, 9090]);
    let r2 = Replica::start(&[8080, 9090]);
    // The Service names its ports `api` and `metrics`.
    workload(&w, "inventory", 8080, IMAGE, &[&r1, &r2]).await;
    // The configuration: a ConfigMap the Deployment mounts.
    w.apply(json!({
        "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "inventory-config"},
        "data": {"app.json": "{\"port\": 8080}"}
    }))
    .await;
    let deployments: kube::Api<k8s_openapi::api::apps::v1::Deployment> =
        kube::Api::namespaced(w.client.clone(), &w.ns);
    deployments
        .patch(
            "inventory",
            &kube::api::PatchParams::default(),
            &kube::api::Patch::Strategic(json!({"spec": {"template": {"spec": {"volumes": [
                {"name": "config", "configMap": {"name": "inventory-config"}}
            ]}}}})),
        )
        .await
        .expect("mount the ConfigMap");
    let op = Operator::start(&w, &[]);
    let contract_ref = json!({"oci": format!("{}/acme/inventory:2.0.0", reg.host())});
    w.apply(pacto("inventory", contract_ref.clone(), Some(bound)))
        .await;

    // Interfaces bound by number and by Service port name, the configuration bound to a
    // mounted ConfigMap whose value fits the schema: Compliant, both capabilities probed.
    let p = w
        .wait_pacto(
            "inventory",
            90,
            "Compliant with both endpoints probed",
            |p| {
                status_of(p) == Some(ContractStatus::Compliant)
                    && condition(p, "MetricsEndpointValid").is_some_and(|c| c.0 == "True")
            },
        )
        .await;
    let st = p.status.clone().expect("status");
    assert_eq!(
        condition(&p, "HealthEndpointValid").map(|c| c.0).as_deref(),
        Some("True")
    );
    for c in [
        "HealthProbeMatch",
        "ConfigurationValid",
        "ConfigurationMounted",
    ] {
        assert_eq!(
            condition(&p, c).map(|c| c.0).as_deref(),
            Some("True"),
            "{c}"
        );
    }
    let ports = st.ports.clone().expect("ports");
    assert_eq!(ports.expected, vec![8080, 9090]);
    let endpoints = st.endpoints.clone().expect("endpoints");
    let metrics = endpoints.metrics.expect("metrics probed");
    assert_eq!(
        metrics.url.as_deref(),
        Some("http://inventory:9090/metrics")
    );
    assert_eq!(metrics.replicas_passing, Some(2));
    println!("kubectl-style: {:?}", st.summary);

    // Bound to a port the Service does not serve: NonCompliant, one finding at the binding.
    w.apply(pacto(
        "inventory",
        contract_ref.clone(),
        Some(with_config(json!(9999)).1),
    ))
    .await;
    let p = w
        .wait_status("inventory", ContractStatus::NonCompliant, 60)
        .await;
    let st = p.status.clone().expect("status");
    let absent: Vec<_> = st
        .findings
        .iter()
        .filter(|f| f.code == "INTERFACE_ABSENT")
        .collect();
    assert_eq!(absent.len(), 1, "{:#?}", st.findings);
    assert_eq!(absent[0].subject.as_deref(), Some("admin"));
    assert_eq!(
        absent[0].contract_path.as_deref(),
        Some("spec.target.interfaceBindings[1].servicePort")
    );
    assert_eq!(
        condition(&p, "PortsValid"),
        Some(("False".to_string(), "MissingPorts".to_string()))
    );

    // Fixed: back to Compliant. Then one replica's health fails: Warning, then recovers.
    w.apply(pacto(
        "inventory",
        contract_ref,
        Some(with_config(json!("metrics")).1),
    ))
    .await;
    w.wait_status("inventory", ContractStatus::Compliant, 60)
        .await;
    r2.set(8080, "/health", 503, "down");
    let p = w
        .wait_status("inventory", ContractStatus::Warning, 90)
        .await;
    assert_eq!(
        condition(&p, "HealthEndpointValid").map(|c| c.0).as_deref(),
        Some("False")
    );
    r2.set(8080, "/health", 200, "ok");
    w.wait_status("inventory", ContractStatus::Compliant, 90)
        .await;
    drop(op);
    w.cleanup().await;
}

/// `--stabilization-window`: a negative observation shorter than the window opens an
/// `observationWindows` entry but does not flip the status; one that lasts it does; the
/// recovery is immediate.
#[tokio::test(flavor = "multi_thread")]
async fn a_short_negative_observation_does_not_flip_the_status() {
    let Some(w) = World::new("op-window").await else {
        return;
    };
    let reg = Registry::new(false);
    reg.push_bundle("acme/inventory", "2.0.0", &bundle(CONTRACT))
        .await;
    let r1 = Replica::start(&[8080, 9090]);
    workload(&w, "inventory", 8080, IMAGE, &[&r1]).await;
    let op = Operator::start(&w, &["--stabilization-window", "20s"]);
    let contract_ref = json!({"oci": format!("{}/acme/inventory:2.0.0", reg.host())});
    let apply = |port: serde_json::Value| {
        w.apply(pacto("inventory", contract_ref.clone(), Some(target(port))))
    };
    apply(json!("metrics")).await;
    w.wait_status("inventory", ContractStatus::Compliant, 90)
        .await;

    // The binding goes wrong: a window opens, the status holds.
    apply(json!(9999)).await;
    let p = w
        .wait_pacto("inventory", 30, "an observation window", |p| {
            p.status
                .as_ref()
                .is_some_and(|s| !s.observation_windows.is_empty())
        })
        .await;
    let st = p.status.clone().expect("status");
    assert_eq!(st.contract_status, Some(ContractStatus::Compliant));
    assert!(
        st.observation_windows
            .iter()
            .any(|w| format!("{:?}/{}", w.kind, w.subject) == "Interface/admin"),
        "{:?}",
        st.observation_windows
    );
    assert!(
        st.findings
            .iter()
            .any(|f| f.code == "OBSERVATION_STABILIZING" && f.subject.as_deref() == Some("admin")),
        "{:#?}",
        st.findings
    );
    // Fixed before the window ends: the window closes at once, the status never flipped.
    apply(json!("metrics")).await;
    let p = w
        .wait_pacto("inventory", 30, "the window closed", |p| {
            p.status
                .as_ref()
                .is_some_and(|s| s.observation_windows.is_empty())
        })
        .await;
    assert_eq!(status_of(&p), Some(ContractStatus::Compliant));

    // Wrong for longer than the window: NonCompliant once it has lasted 20 s, not before.
    apply(json!(9999)).await;
    let opened = std::time::Instant::now();
    w.wait_pacto("inventory", 30, "an observation window", |p| {
        p.status
            .as_ref()
            .is_some_and(|s| !s.observation_windows.is_empty())
    })
    .await;
    let p = w
        .wait_status("inventory", ContractStatus::NonCompliant, 60)
        .await;
    let waited = opened.elapsed();
    assert!(
        waited >= std::time::Duration::from_secs(18),
        "flipped after {waited:?}, before the 20 s window"
    );
    // The windows stay to say since when: the interface, and the metrics capability its
    // probe lost with it.
    let windows: Vec<String> = p
        .status
        .expect("status")
        .observation_windows
        .iter()
        .map(|w| format!("{:?}/{}", w.kind, w.subject))
        .collect();
    assert_eq!(windows, vec!["Interface/admin", "Capability/metrics"]);
    drop(op);
    w.cleanup().await;
}
