//! End to end, live configuration checks (`target.configBindings`): a 2.0 contract from a real
//! registry whose bundle holds the configuration schemas, bound to a ConfigMap and a Secret.
//! Compliant; a ConfigMap edited to break its schema is NonCompliant with a
//! CONFIGURATION_MISMATCH naming the JSON path, and back, each within one reconcile (the
//! ConfigMap metadata watch triggers it: the check interval is an hour); a deleted ConfigMap is
//! CONFIGURATION_ABSENT; a Deployment that does not mount the Secret is a Warning. Assertions
//! poll for the eventual status, so a stabilization window configured to 0 keeps them valid.

mod cluster;

use std::time::{Duration, Instant};

use cluster::*;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::Api;
use kube::api::DeleteParams;
use pacto_crds::status::FindingSeverity;
use pacto_crds::{ContractStatus, Pacto};

const CONTRACT: &str = r#"pactoVersion: "2.0"
service:
  name: cfg
  version: 1.0.0
  owner:
    team: e2e
workload: service
state:
  type: stateless
  persistence:
    scope: local
    durability: ephemeral
  dataCriticality: low
configurations:
  - name: app
    required: true
    schema: configuration/app.json
  - name: creds
    required: true
    schema: configuration/creds.json
  - name: extras
    required: false
    schema: configuration/app.json
"#;
const APP_SCHEMA: &str = r#"{"type":"object","required":["port"],"properties":{"port":{"type":"integer","minimum":1,"maximum":65535},"mode":{"enum":["fast","safe"]}}}"#;
const CREDS_SCHEMA: &str =
    r#"{"type":"object","required":["token"],"properties":{"token":{"type":"string"}}}"#;

/// How long a change may take to show: one reconcile (watch event, debounce, GETs, write).
const ONE_RECONCILE_SECS: u64 = 20;

fn config_map(port: &str) -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "app"},
        "data": {"app.yaml": format!("port: {port}\nmode: fast\n")}
    })
}

fn deployment(mount_secret: bool) -> serde_json::Value {
    let mut container = serde_json::json!({
        "name": "cfg", "image": "ghcr.io/acme/cfg:1.0.0",
        "volumeMounts": [{"name": "app", "mountPath": "/etc/app"}]
    });
    if mount_secret {
        container["envFrom"] = serde_json::json!([{"secretRef": {"name": "creds"}}]);
    }
    serde_json::json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "cfg", "labels": {"app": "cfg"}},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "cfg"}},
            "template": {
                "metadata": {"labels": {"app": "cfg"}},
                "spec": {
                    "containers": [container],
                    "volumes": [{"name": "app", "configMap": {"name": "app"}}]
                }
            }
        }
    })
}

fn findings(p: &Pacto, code: &str) -> Vec<pacto_crds::status::Finding> {
    p.status
        .as_ref()
        .map(|s| {
            s.findings
                .iter()
                .filter(|f| f.code == code)
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn config_bindings_follow_the_configmap_and_the_mounts() {
    let Some(w) = World::new("op-config").await else {
        return;
    };
    let reg = Registry::new(false);
    let mut bundle = pacto_core::Bundle::new();
    bundle.insert("pacto.yaml", CONTRACT.as_bytes().to_vec());
    bundle.insert("configuration/app.json", APP_SCHEMA.as_bytes().to_vec());
    bundle.insert("configuration/creds.json", CREDS_SCHEMA.as_bytes().to_vec());
    reg.push_bundle("acme/cfg", "1.0.0", &bundle).await;

    w.apply(serde_json::json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "cfg"},
        "spec": {"selector": {"app": "cfg"}, "ports": [{"port": 8080}]}
    }))
    .await;
    w.apply(deployment(true)).await;
    w.apply(config_map("8080")).await;
    w.apply(serde_json::json!({
        "apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": "creds"},
        "stringData": {"creds.json": r#"{"token": "s3cr3t-value"}"#}
    }))
    .await;
    let op = Operator::start(&w, &[]);
    let mut manifest = pacto(
        "cfg",
        serde_json::json!({"oci": format!("{}/acme/cfg:1.0.0", reg.host())}),
        Some(serde_json::json!({
            "serviceName": "cfg",
            "configBindings": [
                {"configuration": "app", "kind": "ConfigMap", "name": "app",
                 "key": "app.yaml", "format": "yaml"},
                {"configuration": "creds", "kind": "Secret", "name": "creds",
                 "key": "creds.json", "format": "json"},
                {"configuration": "extras", "kind": "ConfigMap", "name": "extras"}
            ]
        })),
    );
    // Only the ConfigMap watch can bring a change within the test's deadlines.
    manifest["spec"]["checkIntervalSeconds"] = serde_json::json!(3600);
    w.apply(manifest).await;

    let p = w.wait_status("cfg", ContractStatus::Compliant, 90).await;
    assert_eq!(
        condition(&p, "ConfigurationValid"),
        Some(("True".to_string(), "Match".to_string()))
    );
    assert_eq!(
        condition(&p, "ConfigurationMounted"),
        Some(("True".to_string(), "Mounted".to_string()))
    );

    // The ConfigMap edited to break the schema: NonCompliant within one reconcile.
    let t0 = Instant::now();
    w.apply(config_map("eighty")).await;
    let p = w
        .wait_pacto("cfg", ONE_RECONCILE_SECS, "NonCompliant on /port", |p| {
            status_of(p) == Some(ContractStatus::NonCompliant)
                && findings(p, "CONFIGURATION_MISMATCH")
                    .iter()
                    .any(|f| f.message.contains("/port"))
        })
        .await;
    eprintln!("schema violation seen after {:?}", t0.elapsed());
    let f = &findings(&p, "CONFIGURATION_MISMATCH")[0];
    assert_eq!(f.subject.as_deref(), Some("ConfigMap/app"));
    assert_eq!(f.contract_path.as_deref(), Some("configurations[0].schema"));
    assert_eq!(f.severity, FindingSeverity::Error);
    assert_eq!(
        condition(&p, "ConfigurationValid"),
        Some(("False".to_string(), "ConfigurationInvalid".to_string()))
    );

    // Fixed: Compliant again within one reconcile.
    w.apply(config_map("8081")).await;
    w.wait_status("cfg", ContractStatus::Compliant, ONE_RECONCILE_SECS)
        .await;

    // Deleted: the required configuration is absent.
    let cms: Api<ConfigMap> = Api::namespaced(w.client.clone(), &w.ns);
    cms.delete("app", &DeleteParams::default())
        .await
        .expect("delete ConfigMap");
    let p = w
        .wait_pacto("cfg", ONE_RECONCILE_SECS, "CONFIGURATION_ABSENT", |p| {
            status_of(p) == Some(ContractStatus::NonCompliant)
                && !findings(p, "CONFIGURATION_ABSENT").is_empty()
        })
        .await;
    let f = &findings(&p, "CONFIGURATION_ABSENT")[0];
    assert_eq!(f.subject.as_deref(), Some("ConfigMap/app"));
    assert_eq!(f.contract_path.as_deref(), Some("configurations[0]"));
    w.apply(config_map("8080")).await;
    w.wait_status("cfg", ContractStatus::Compliant, ONE_RECONCILE_SECS)
        .await;

    // The workload stops envFrom-ing the Secret: a Warning naming the Secret and the workload.
    w.apply(deployment(false)).await;
    let p = w
        .wait_status("cfg", ContractStatus::Warning, ONE_RECONCILE_SECS)
        .await;
    assert_eq!(
        condition(&p, "ConfigurationMounted"),
        Some(("False".to_string(), "NotMounted".to_string()))
    );
    let f = &findings(&p, "CONFIGURATION_ABSENT")[0];
    assert_eq!(f.severity, FindingSeverity::Warning);
    assert_eq!(f.subject.as_deref(), Some("Secret/creds"));
    assert!(f.message.contains("Deployment/cfg"), "{}", f.message);

    // No Secret value ever reaches the status or the log.
    let status = serde_json::to_string(&p.status).expect("json");
    assert!(!status.contains("s3cr3t-value"));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!op.logs().contains("s3cr3t-value"));
    drop(op);
    w.cleanup().await;
}
