//! 2.0 contracts in the cluster: interfaces placed on the Service by `interfaceBindings`, by
//! Service port name, or reported unbound; health and metrics capabilities checked and probed
//! on the bound interface's port (pure-evaluation fixtures).

mod fixtures;

use fixtures::*;
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::api::discovery::v1::EndpointSlice;
use pacto_core::Bundle;
use pacto_crds::status::{Finding, FindingSeverity};
use pacto_crds::vocabulary::findings as codes;
use pacto_crds::{ContractStatus, Target};
use pacto_operator::eval::probes::plan_probes;
use pacto_operator::eval::{Check, Evaluation, Outcome};
use serde_json::json;

const STUB: &[u8] = b"openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n";

/// A hand-written 2.0 contract (no preserved 1.x ports): `api` serves health, `admin`
/// metrics, `events` is an event channel.
fn native_v2() -> World {
    let mut w = World::base();
    w.contract = json!({
        "pactoVersion": "2.0",
        "service": {"name": "orders", "version": "1.2.0", "owner": {"team": "shop"}},
        "interfaces": [
            {"name": "api", "type": "openapi", "ref": "api.yaml", "visibility": "public"},
            {"name": "admin", "type": "openapi", "ref": "admin.yaml"},
            {"name": "events", "type": "asyncapi", "ref": "events.yaml"}
        ],
        "workload": "service",
        "state": {"type": "stateless", "persistence": {"scope": "local", "durability": "ephemeral"},
                  "dataCriticality": "low"},
        "capabilities": [
            {"type": "health", "binding": {"type": "http", "interface": "api", "path": "/healthz"}},
            {"type": "metrics", "binding": {"type": "http", "interface": "admin", "path": "/metrics"}}
        ]
    });
    let mut b = Bundle::new();
    b.insert("api.yaml", STUB.to_vec());
    b.insert("admin.yaml", STUB.to_vec());
    b.insert(
        "events.yaml",
        b"asyncapi: 2.6.0\ninfo: {title: t, version: '1'}\nchannels: {}\n".to_vec(),
    );
    w.bundle = b;
    w.deps.clear();
    w.target = Some(bound(json!([
        {"interface": "api", "servicePort": "http"},
        {"interface": "admin", "servicePort": 9090}
    ])));
    w
}

fn bound(bindings: serde_json::Value) -> Target {
    serde_json::from_value(json!({"serviceName": "orders", "interfaceBindings": bindings}))
        .expect("target")
}

fn findings<'a>(e: &'a Evaluation, code: &str) -> Vec<&'a Finding> {
    e.status
        .findings
        .iter()
        .filter(|f| f.code == code)
        .collect()
}

#[test]
fn a_bound_2_0_contract_is_compliant_and_its_capabilities_are_checked() {
    let e = native_v2().eval();
    assert_eq!(not_true(&e), Vec::<String>::new());
    assert_eq!(e.status.contract_status, Some(ContractStatus::Compliant));
    assert_eq!(
        result(&e, Check::PortsValid).message,
        "ports 8080, 9090 are exposed and reach container ports"
    );
    // The health capability is bound to `api`: the readiness probe must check it.
    let h = result(&e, Check::HealthProbeMatch);
    assert_eq!((h.outcome, h.reason.as_str()), (Outcome::Pass, "Match"));
    assert!(
        h.message.contains("port 8080 path /healthz"),
        "{}",
        h.message
    );
    assert_eq!(
        result(&e, Check::HealthEndpointValid).outcome,
        Outcome::Pass
    );
    assert_eq!(
        result(&e, Check::MetricsEndpointValid).outcome,
        Outcome::Pass
    );
    // The event channel needs no port: no finding at all.
    assert!(e.status.findings.is_empty(), "{:#?}", e.status.findings);
    let ports = e.status.ports.as_ref().expect("ports");
    assert_eq!(ports.expected, vec![8080, 9090]);
}

#[test]
fn a_binding_to_a_port_the_service_lacks_is_an_absent_interface() {
    let mut w = native_v2();
    w.target = Some(bound(json!([
        {"interface": "api", "servicePort": 8443},
        {"interface": "admin", "servicePort": "admin"}
    ])));
    let e = w.eval();
    assert_eq!(e.status.contract_status, Some(ContractStatus::NonCompliant));
    let r = result(&e, Check::PortsValid);
    assert_eq!(r.reason, "MissingPorts");
    assert_eq!(
        r.message,
        "contract ports 8443 are not exposed by the Service (it exposes 8080, 9090)"
    );
    let [f] = findings(&e, codes::INTERFACE_ABSENT)[..] else {
        panic!("{:#?}", e.status.findings)
    };
    assert_eq!(f.severity, FindingSeverity::Error);
    assert_eq!(f.subject.as_deref(), Some("api"));
    assert_eq!(
        f.contract_path.as_deref(),
        Some("spec.target.interfaceBindings[0].servicePort")
    );
    assert!(f.message.contains("interfaceBindings[0]"), "{}", f.message);
}

#[test]
fn without_bindings_interfaces_are_found_by_service_port_name_or_reported_unbound() {
    let mut w = native_v2();
    w.target = Some(bound(json!([])));
    let e = w.eval();
    // `admin` is a Service port name; `api` is not (the port is named `http`).
    let [f] = findings(&e, codes::INTERFACE_UNBOUND)[..] else {
        panic!("{:#?}", e.status.findings)
    };
    assert_eq!(
        (f.subject.as_deref(), f.severity),
        (Some("api"), FindingSeverity::Info)
    );
    assert_eq!(result(&e, Check::PortsValid).outcome, Outcome::Pass);
    assert_eq!(
        result(&e, Check::MetricsEndpointValid).outcome,
        Outcome::Pass
    );
    // Health is bound to the unbound interface: it cannot be checked, and says how to fix it.
    let h = result(&e, Check::HealthProbeMatch);
    assert_eq!(
        (h.outcome, h.reason.as_str()),
        (Outcome::Fail, "InterfaceHasNoPort")
    );
    assert!(
        h.message.contains("spec.target.interfaceBindings"),
        "{}",
        h.message
    );
    assert_eq!(e.status.contract_status, Some(ContractStatus::Warning));

    // Discovery off: `admin` is unbound too.
    w.settings.interface_name_match = false;
    let e = w.eval();
    assert_eq!(findings(&e, codes::INTERFACE_UNBOUND).len(), 2);
    assert_eq!(
        result(&e, Check::PortsValid).message,
        "no interface is bound to a Service port (2 unbound)"
    );
}

#[test]
fn a_binding_to_an_undeclared_interface_is_noted() {
    let mut w = native_v2();
    w.target = Some(bound(json!([
        {"interface": "api", "servicePort": "http"},
        {"interface": "admin", "servicePort": 9090},
        {"interface": "ghost", "servicePort": 1}
    ])));
    let e = w.eval();
    assert_eq!(e.status.contract_status, Some(ContractStatus::Compliant));
    let [f] = findings(&e, codes::INTERFACE_BINDING_UNKNOWN)[..] else {
        panic!("{:#?}", e.status.findings)
    };
    assert_eq!(
        f.contract_path.as_deref(),
        Some("spec.target.interfaceBindings[2].interface")
    );
    assert_eq!(e.status.summary.as_ref().map(|s| s.info_count), Some(1));
}

#[test]
fn the_health_probe_must_hit_the_bound_interface_and_path() {
    let mut w = native_v2();
    set(
        w.workload_mut(),
        "/spec/template/spec/containers/0/readinessProbe/httpGet/path",
        json!("/ready"),
    );
    let e = w.eval();
    let h = result(&e, Check::HealthProbeMatch);
    assert_eq!(h.reason, "PathMismatch", "{}", h.message);
    assert_eq!(e.status.contract_status, Some(ContractStatus::Warning));
}

#[test]
fn a_bound_target_port_that_reaches_no_container_port_names_the_binding() {
    let mut w = native_v2();
    set(w.service_mut(), "/spec/ports/1/targetPort", json!(9999));
    let e = w.eval();
    let [f] = findings(&e, codes::TARGET_PORT_UNRESOLVED)[..] else {
        panic!("{:#?}", e.status.findings)
    };
    assert_eq!(
        (f.subject.as_deref(), f.contract_path.as_deref()),
        (
            Some("admin"),
            Some("spec.target.interfaceBindings[1].servicePort")
        )
    );
}

#[test]
fn probes_are_planned_on_the_bound_ports() {
    let w = native_v2();
    let c = w.validate().contract.expect("valid");
    let svc: Service = serde_json::from_value(fixture("service.yaml")).expect("svc");
    let slice: EndpointSlice = serde_json::from_value(fixture("endpointslice.yaml")).expect("s");
    let plans = plan_probes(
        &c,
        w.target.as_ref(),
        true,
        "shop",
        "orders",
        &svc,
        &[slice],
    );
    let got: Vec<(String, i32)> = plans
        .iter()
        .map(|p| {
            let p = p.as_ref().expect("plan");
            (p.url.clone(), p.port)
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("http://orders:8080/healthz".to_string(), 8080),
            ("http://orders:9090/metrics".to_string(), 9090)
        ]
    );
    // Unbound health: not probed, and says why.
    let plans = plan_probes(&c, None, false, "shop", "orders", &svc, &[]);
    let err = plans[0].as_ref().expect_err("unbound");
    assert_eq!(
        err.reason,
        "interface api is not bound to a Service port (add it to spec.target.interfaceBindings)"
    );
}
