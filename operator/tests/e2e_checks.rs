//! Each check failing on its own: one Pacto per check, each against its own workload that
//! differs from a compliant baseline in exactly one fact, all evaluated by one operator.

mod cluster;

use cluster::*;
use pacto_crds::ContractStatus;
use serde_json::{Value, json};

const IMAGE: &str = "ghcr.io/acme/shop:1.0.0";

/// Contract text with optional extra sections (runtime additions, top-level additions).
fn contract_with(
    name: &str,
    runtime_extra: &str,
    top_extra: &str,
    state: &str,
    workload: &str,
    image: &str,
) -> String {
    format!(
        r#"pactoVersion: "1.1"
service:
  name: {name}
  version: 1.0.0
  owner:
    team: e2e
  image:
    ref: {image}
interfaces:
  - name: api
    type: http
    port: 8080
  - name: metrics
    type: http
    port: 9090
{top_extra}runtime:
  workload: {workload}
  state:
{state}
    dataCriticality: low
  health:
    interface: api
    path: /health
  metrics:
    interface: metrics
    path: /metrics
{runtime_extra}"#
    )
}

const STATELESS: &str =
    "    type: stateless\n    persistence:\n      scope: local\n      durability: ephemeral";
const STATEFUL: &str =
    "    type: stateful\n    persistence:\n      scope: shared\n      durability: persistent";

struct Case {
    name: &'static str,
    contract: String,
    /// Edits the baseline Deployment / Service manifests; `None` removes the object.
    deployment: fn(Value) -> Option<Value>,
    service: fn(Value) -> Option<Value>,
    check: &'static str,
    want: ContractStatus,
    /// Route of the replica's servers to break: (port, path, status, body).
    replica_route: Option<(u16, &'static str, u16, &'static str)>,
}

fn same(v: Value) -> Option<Value> {
    Some(v)
}

fn gone(_: Value) -> Option<Value> {
    None
}

fn deployment(name: &str) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": name}},
            "strategy": {"type": "RollingUpdate"},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {
                    "terminationGracePeriodSeconds": 30,
                    "containers": [{
                        "name": "app", "image": IMAGE,
                        "ports": [{"containerPort": 8080}, {"containerPort": 9090}],
                        "readinessProbe": {"httpGet": {"path": "/health", "port": 8080}}
                    }]
                }
            }
        }
    })
}

fn service(name: &str) -> Value {
    json!({
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
        "spec": {"selector": {"app": name}, "ports": [
            {"name": "api", "port": 8080, "targetPort": 8080},
            {"name": "metrics", "port": 9090, "targetPort": 9090}
        ]}
    })
}

fn cases() -> Vec<Case> {
    let c =
        |name: &str, rt: &str, top: &str| contract_with(name, rt, top, STATELESS, "service", IMAGE);
    vec![
        Case {
            name: "baseline",
            contract: c("baseline", "", ""),
            deployment: same,
            service: same,
            check: "ImageMatch",
            want: ContractStatus::Compliant,
            replica_route: None,
        },
        Case {
            name: "no-svc",
            contract: c("no-svc", "", ""),
            deployment: same,
            service: gone,
            check: "ServiceExists",
            want: ContractStatus::NonCompliant,
            replica_route: None,
        },
        Case {
            name: "no-deploy",
            contract: c("no-deploy", "", ""),
            deployment: gone,
            service: same,
            check: "WorkloadExists",
            want: ContractStatus::NonCompliant,
            replica_route: None,
        },
        Case {
            name: "ports",
            contract: c("ports", "", "").replace(
                "interfaces:\n",
                "interfaces:\n  - name: admin\n    type: http\n    port: 7070\n",
            ),
            deployment: same,
            service: same,
            check: "PortsValid",
            want: ContractStatus::NonCompliant,
            replica_route: None,
        },
        Case {
            name: "selector",
            contract: c("selector", "", ""),
            deployment: same,
            service: |mut s| {
                s["spec"]["selector"] = json!({"app": "somebody-else"});
                Some(s)
            },
            check: "ServiceSelectsWorkload",
            want: ContractStatus::NonCompliant,
            replica_route: None,
        },
        Case {
            name: "kind",
            contract: contract_with("kind", "", "", STATELESS, "job", IMAGE),
            deployment: same,
            service: same,
            check: "WorkloadTypeMatch",
            want: ContractStatus::NonCompliant,
            replica_route: None,
        },
        Case {
            name: "state",
            contract: contract_with("state", "", "", STATEFUL, "service", IMAGE),
            deployment: same,
            service: same,
            check: "StateModelMatch",
            want: ContractStatus::NonCompliant,
            replica_route: None,
        },
        Case {
            name: "image",
            contract: contract_with(
                "image",
                "",
                "",
                STATELESS,
                "service",
                "ghcr.io/acme/other:2.0.0",
            ),
            deployment: same,
            service: same,
            check: "ImageMatch",
            want: ContractStatus::NonCompliant,
            replica_route: None,
        },
        Case {
            name: "deps",
            contract: c(
                "deps",
                "",
                "dependencies:\n  - name: billing\n    ref: oci://127.0.0.1:5999/acme/billing\n    required: true\n    compatibility: ^1.0.0\n",
            ),
            deployment: same,
            service: same,
            check: "DependenciesSatisfied",
            want: ContractStatus::NonCompliant,
            replica_route: None,
        },
        Case {
            name: "strategy",
            contract: c(
                "strategy",
                "  lifecycle:\n    upgradeStrategy: recreate\n",
                "",
            ),
            deployment: same,
            service: same,
            check: "UpgradeStrategyMatch",
            want: ContractStatus::Warning,
            replica_route: None,
        },
        Case {
            name: "grace",
            contract: c(
                "grace",
                "  lifecycle:\n    gracefulShutdownSeconds: 45\n",
                "",
            ),
            deployment: same,
            service: same,
            check: "GracefulShutdownMatch",
            want: ContractStatus::Warning,
            replica_route: None,
        },
        Case {
            name: "probe",
            contract: c("probe", "", ""),
            deployment: |mut d| {
                d["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["path"] =
                    json!("/elsewhere");
                Some(d)
            },
            service: same,
            check: "HealthProbeMatch",
            want: ContractStatus::Warning,
            replica_route: None,
        },
        Case {
            name: "timing",
            contract: c("timing", "", "").replace(
                "    path: /health\n",
                "    path: /health\n    initialDelaySeconds: 10\n",
            ),
            deployment: same,
            service: same,
            check: "HealthTimingMatch",
            want: ContractStatus::Warning,
            replica_route: None,
        },
        Case {
            name: "scaling",
            contract: c("scaling", "", "scaling:\n  replicas: 3\n"),
            deployment: same,
            service: same,
            check: "ScalingMatch",
            want: ContractStatus::Warning,
            replica_route: None,
        },
        Case {
            name: "health",
            contract: c("health", "", ""),
            deployment: same,
            service: same,
            check: "HealthEndpointValid",
            want: ContractStatus::Warning,
            replica_route: Some((8080, "/health", 500, "boom")),
        },
        Case {
            name: "metrics",
            contract: c("metrics", "", ""),
            deployment: same,
            service: same,
            check: "MetricsEndpointValid",
            want: ContractStatus::Warning,
            replica_route: Some((9090, "/metrics", 200, "<html>not metrics</html>")),
        },
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn each_check_fails_on_its_own() {
    let Some(w) = World::new("op-checks").await else {
        return;
    };
    let cases = cases();
    let mut replicas = Vec::new();
    for case in &cases {
        let r = Replica::start(&[8080, 9090]);
        if let Some((port, path, status, body)) = case.replica_route {
            r.set(port, path, status, body);
        }
        if let Some(d) = (case.deployment)(deployment(case.name)) {
            w.apply(d).await;
        }
        if let Some(s) = (case.service)(service(case.name)) {
            w.apply(s).await;
        }
        // The replica is a Pod the case's Service selects (even when the selector misses the
        // workload): Kubernetes' EndpointSlice controller writes the slice the operator probes.
        let selector = (case.service)(service(case.name))
            .map(|s| s["spec"]["selector"].clone())
            .unwrap_or_else(|| json!({"app": case.name}));
        w.pods_at(case.name, selector, &[8080, 9090], &[&r]).await;
        replicas.push(r);
    }
    let _op = Operator::start(&w, &[]);
    for case in &cases {
        w.apply(pacto(
            case.name,
            json!({"inline": case.contract}),
            Some(json!({"serviceName": case.name})),
        ))
        .await;
    }
    let mut failures = Vec::new();
    for case in &cases {
        let want_cond = if case.want == ContractStatus::Compliant {
            "True"
        } else {
            "False"
        };
        let p = w
            .wait_pacto(
                case.name,
                90,
                &format!("{:?} with {} {want_cond}", case.want, case.check),
                |p| {
                    status_of(p) == Some(case.want)
                        && condition(p, case.check).map(|c| c.0).as_deref() == Some(want_cond)
                },
            )
            .await;
        // No other check may fail: the case breaks exactly one fact.
        let others: Vec<String> = p
            .status
            .as_ref()
            .map(|s| {
                s.conditions
                    .iter()
                    .filter(|c| c.status == "False" && c.type_ != case.check && c.type_ != "Ready")
                    .map(|c| format!("{}={}", c.type_, c.reason))
                    .collect()
            })
            .unwrap_or_default();
        let skippable = [
            "PortsValid",
            "ServiceSelectsWorkload",
            "HealthEndpointValid",
            "MetricsEndpointValid",
            "HealthProbeMatch",
        ];
        let unexpected: Vec<&String> = others
            .iter()
            .filter(|o| {
                !(case.check == "ServiceExists" || case.check == "WorkloadExists")
                    || !skippable.iter().any(|s| o.starts_with(s))
            })
            .collect();
        if !unexpected.is_empty() {
            failures.push(format!(
                "{}: other failing checks {unexpected:?}",
                case.name
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    drop(replicas);
    w.cleanup().await;
}

fn message(p: &pacto_crds::Pacto, type_: &str) -> String {
    p.status
        .as_ref()
        .and_then(|s| s.conditions.iter().find(|c| c.type_ == type_))
        .map(|c| c.message.clone())
        .unwrap_or_default()
}

/// Whoever may write an EndpointSlice cannot make the operator GET a host of their choice:
/// hand-written and FQDN slices are never probed (the condition says so), while a
/// selector-less Service's `Endpoints`, mirrored by Kubernetes' mirroring controller, is.
#[tokio::test(flavor = "multi_thread")]
async fn only_slices_managed_by_kubernetes_are_probed() {
    let Some(w) = World::new("op-slices").await else {
        return;
    };
    let victim = Replica::start(&[8080, 9090]);
    w.apply(deployment("rogue")).await;
    w.apply(service("rogue")).await;
    w.apply(json!({
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
        "metadata": {"name": "rogue-by-hand", "labels": {"kubernetes.io/service-name": "rogue"}},
        "addressType": "IPv4",
        "ports": [{"name": "api", "port": 8080, "protocol": "TCP"}, {"name": "metrics", "port": 9090, "protocol": "TCP"}],
        "endpoints": [{"addresses": [victim.addr], "conditions": {"ready": true}}]
    }))
    .await;
    w.apply(json!({
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
        // (Labelled as the EndpointSlice controller's, it would be deleted by that controller.)
        "metadata": {"name": "rogue-fqdn", "labels": {"kubernetes.io/service-name": "rogue"}},
        "addressType": "FQDN",
        "ports": [{"name": "api", "port": 8080, "protocol": "TCP"}],
        "endpoints": [{"addresses": ["victim.example.com"], "conditions": {"ready": true}}]
    }))
    .await;
    let mirrored = Replica::start(&[8080, 9090]);
    w.apply(deployment("mirror")).await;
    w.apply(json!({
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": "mirror"},
        "spec": {"ports": [
            {"name": "api", "port": 8080, "targetPort": 8080},
            {"name": "metrics", "port": 9090, "targetPort": 9090}
        ]}
    }))
    .await;
    w.apply(json!({
        "apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "mirror"},
        "subsets": [{
            "addresses": [{"ip": mirrored.addr}],
            "ports": [{"name": "api", "port": 8080}, {"name": "metrics", "port": 9090}]
        }]
    }))
    .await;
    let _op = Operator::start(&w, &[]);
    for name in ["rogue", "mirror"] {
        let contract = contract_with(name, "", "", STATELESS, "service", IMAGE);
        w.apply(pacto(
            name,
            json!({"inline": contract}),
            Some(json!({"serviceName": name})),
        ))
        .await;
    }
    let p = w
        .wait_pacto(
            "rogue",
            90,
            "HealthEndpointValid Unknown naming the slices",
            |p| {
                condition(p, "HealthEndpointValid").map(|c| c.0).as_deref() == Some("Unknown")
                    && message(p, "HealthEndpointValid").contains("rogue-by-hand")
            },
        )
        .await;
    let msg = message(&p, "HealthEndpointValid");
    assert!(msg.contains("rogue-fqdn"), "{msg}");
    w.wait_pacto("mirror", 90, "HealthEndpointValid True", |p| {
        condition(p, "HealthEndpointValid").map(|c| c.0).as_deref() == Some("True")
    })
    .await;
    assert!(
        mirrored.requests(8080) > 0,
        "the mirrored replica was probed"
    );
    assert_eq!(
        victim.requests(8080) + victim.requests(9090),
        0,
        "the victim was never probed"
    );
    drop((victim, mirrored));
    w.cleanup().await;
}
