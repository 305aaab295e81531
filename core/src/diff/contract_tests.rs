//! Contract-level diff: one case per rule of the v1.x table, plus deep-diff wiring.

use super::*;
use crate::bundle::Bundle;
use crate::model::Contract;
use ChangeType::{Added as A, Modified as M, Removed as R};
use Classification::{Breaking as B, NonBreaking as N, PotentialBreaking as P};
use serde_json::{Value, json};
use std::collections::BTreeSet;

pub(super) fn base() -> Value {
    json!({
        "pactoVersion": "1.1",
        "service": {
            "name": "orders", "version": "1.0.0",
            "owner": {"team": "payments", "dri": "ana", "contacts": [{"type": "email", "value": "a@x.io"}]},
            "image": {"ref": "ghcr.io/acme/orders:1.0.0"},
            "chart": {"ref": "oci://ghcr.io/acme/charts/orders", "version": "1.0.0"}
        },
        "interfaces": [
            {"name": "api", "type": "http", "port": 8080, "visibility": "public", "contract": "interfaces/openapi.yaml"},
            {"name": "events", "type": "event", "contract": "interfaces/asyncapi.yaml"}
        ],
        "configurations": [
            {"name": "app", "schema": "configuration/schema.json", "values": {"port": 8080}},
            {"name": "shared", "ref": "oci://ghcr.io/acme/shared-config:1.0.0"}
        ],
        "policies": [
            {"name": "security", "schema": "policy/schema.json"},
            {"name": "platform", "ref": "oci://ghcr.io/acme/platform-policy:1.0.0"}
        ],
        "dependencies": [
            {"name": "auth", "ref": "oci://ghcr.io/acme/auth:1.0.0", "required": true, "compatibility": "^1.0.0"}
        ],
        "runtime": {
            "workload": "service",
            "state": {"type": "stateless", "persistence": {"scope": "local", "durability": "ephemeral"}, "dataCriticality": "low"},
            "lifecycle": {"upgradeStrategy": "rolling", "gracefulShutdownSeconds": 30},
            "health": {"interface": "api", "path": "/health", "initialDelaySeconds": 5},
            "metrics": {"interface": "api", "path": "/metrics"}
        },
        "scaling": {"min": 2, "max": 5},
        "readiness": {
            "minScore": 80, "expires": "2026-12-31", "partialCredit": 0.5,
            "checks": [{"id": "runbook", "type": "doc", "evidence": "docs/runbook.md", "weight": 10}]
        }
    })
}

pub(super) fn contract(v: &Value) -> Contract {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("bad fixture: {e}\n{v:#}"))
}

/// Sets the value at a JSON pointer (the parent must exist).
pub(super) fn set(v: &mut Value, ptr: &str, x: Value) {
    let (parent, key) = ptr.rsplit_once('/').unwrap_or(("", ptr));
    match v.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            m.insert(key.to_string(), x);
        }
        Some(Value::Array(a)) => {
            let i: usize = key.parse().unwrap_or(0);
            a[i] = x;
        }
        _ => panic!("no parent for {ptr}"),
    }
}

/// Removes the value at a JSON pointer (object key or array index).
pub(super) fn del(v: &mut Value, ptr: &str) {
    let (parent, key) = ptr.rsplit_once('/').unwrap_or(("", ptr));
    match v.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            m.remove(key);
        }
        Some(Value::Array(a)) => {
            a.remove(key.parse().unwrap_or(0));
        }
        _ => panic!("no parent for {ptr}"),
    }
}

pub(super) fn none(_: &mut Value) {}

pub(super) struct Case {
    pub rule: &'static str,
    pub ct: ChangeType,
    pub cls: Classification,
    pub path: &'static str,
    pub old: fn(&mut Value),
    pub new: fn(&mut Value),
}

pub(super) const fn case(
    rule: &'static str,
    ct: ChangeType,
    cls: Classification,
    path: &'static str,
    old: fn(&mut Value),
    new: fn(&mut Value),
) -> Case {
    Case {
        rule,
        ct,
        cls,
        path,
        old,
        new,
    }
}

fn cases() -> Vec<Case> {
    vec![
        case("pactoVersion", M, N, "pactoVersion", none, |v| {
            set(v, "/pactoVersion", json!("1.2"))
        }),
        case("service.name", M, B, "service.name", none, |v| {
            set(v, "/service/name", json!("orders-v2"))
        }),
        case("service.version", M, N, "service.version", none, |v| {
            set(v, "/service/version", json!("1.1.0"))
        }),
        case(
            "service.owner",
            A,
            N,
            "service.owner",
            |v| del(v, "/service/owner"),
            |v| set(v, "/service/owner", json!("payments")),
        ),
        case(
            "service.owner",
            M,
            N,
            "service.owner",
            |v| set(v, "/service/owner", json!("a")),
            |v| set(v, "/service/owner", json!("b")),
        ),
        case(
            "service.owner",
            R,
            N,
            "service.owner",
            |v| set(v, "/service/owner", json!("a")),
            |v| del(v, "/service/owner"),
        ),
        case(
            "service.owner.team",
            A,
            N,
            "service.owner.team",
            |v| del(v, "/service/owner/team"),
            none,
        ),
        case(
            "service.owner.team",
            M,
            N,
            "service.owner.team",
            none,
            |v| set(v, "/service/owner/team", json!("billing")),
        ),
        case(
            "service.owner.team",
            R,
            N,
            "service.owner.team",
            none,
            |v| del(v, "/service/owner/team"),
        ),
        case(
            "service.owner.dri",
            A,
            N,
            "service.owner.dri",
            |v| del(v, "/service/owner/dri"),
            none,
        ),
        case("service.owner.dri", M, N, "service.owner.dri", none, |v| {
            set(v, "/service/owner/dri", json!("bo"))
        }),
        case("service.owner.dri", R, N, "service.owner.dri", none, |v| {
            del(v, "/service/owner/dri")
        }),
        case(
            "service.owner.contacts",
            A,
            N,
            "service.owner.contacts[email:a@x.io]",
            |v| set(v, "/service/owner/contacts", json!([])),
            none,
        ),
        case(
            "service.owner.contacts",
            M,
            N,
            "service.owner.contacts[email:a@x.io]",
            none,
            |v| set(v, "/service/owner/contacts/0/purpose", json!("support")),
        ),
        case(
            "service.owner.contacts",
            R,
            N,
            "service.owner.contacts[email:a@x.io]",
            none,
            |v| set(v, "/service/owner/contacts", json!([])),
        ),
        case(
            "service.image",
            A,
            N,
            "service.image",
            |v| del(v, "/service/image"),
            none,
        ),
        case("service.image", R, N, "service.image", none, |v| {
            del(v, "/service/image")
        }),
        case("service.image.ref", M, N, "service.image.ref", none, |v| {
            set(v, "/service/image/ref", json!("ghcr.io/acme/orders:1.1.0"))
        }),
        case(
            "service.image.private",
            M,
            N,
            "service.image.private",
            none,
            |v| set(v, "/service/image/private", json!(true)),
        ),
        case(
            "service.chart",
            A,
            N,
            "service.chart",
            |v| del(v, "/service/chart"),
            none,
        ),
        case("service.chart", R, N, "service.chart", none, |v| {
            del(v, "/service/chart")
        }),
        case("service.chart.ref", M, N, "service.chart.ref", none, |v| {
            set(v, "/service/chart/ref", json!("charts/orders"))
        }),
        case(
            "service.chart.version",
            M,
            N,
            "service.chart.version",
            none,
            |v| set(v, "/service/chart/version", json!("1.1.0")),
        ),
        case(
            "interfaces",
            A,
            N,
            "interfaces[events]",
            |v| del(v, "/interfaces/1"),
            none,
        ),
        case("interfaces", R, B, "interfaces[events]", none, |v| {
            del(v, "/interfaces/1")
        }),
        case("interfaces.type", M, B, "interfaces[api].type", none, |v| {
            set(v, "/interfaces/0/type", json!("grpc"))
        }),
        case(
            "interfaces.port",
            A,
            P,
            "interfaces[api].port",
            |v| del(v, "/interfaces/0/port"),
            none,
        ),
        case("interfaces.port", M, B, "interfaces[api].port", none, |v| {
            set(v, "/interfaces/0/port", json!(9090))
        }),
        case("interfaces.port", R, B, "interfaces[api].port", none, |v| {
            del(v, "/interfaces/0/port")
        }),
        case(
            "interfaces.visibility",
            M,
            P,
            "interfaces[api].visibility",
            none,
            |v| set(v, "/interfaces/0/visibility", json!("internal")),
        ),
        case(
            "interfaces.contract",
            M,
            P,
            "interfaces[api].contract",
            none,
            |v| set(v, "/interfaces/0/contract", json!("interfaces/v2.yaml")),
        ),
        case(
            "configurations",
            A,
            N,
            "configurations[shared]",
            |v| del(v, "/configurations/1"),
            none,
        ),
        case(
            "configurations",
            R,
            B,
            "configurations[shared]",
            none,
            |v| del(v, "/configurations/1"),
        ),
        // 1.0 singular form: folded into `configurations[default]`.
        case(
            "configurations",
            A,
            N,
            "configurations[default]",
            none,
            |v| {
                set(
                    v,
                    "/configuration",
                    json!({"schema": "configuration/schema.json"}),
                )
            },
        ),
        case(
            "configurations.schema",
            A,
            N,
            "configurations[app].schema",
            |v| del(v, "/configurations/0/schema"),
            none,
        ),
        case(
            "configurations.schema",
            M,
            P,
            "configurations[app].schema",
            none,
            |v| {
                set(
                    v,
                    "/configurations/0/schema",
                    json!("configuration/v2.json"),
                )
            },
        ),
        case(
            "configurations.schema",
            R,
            B,
            "configurations[app].schema",
            none,
            |v| del(v, "/configurations/0/schema"),
        ),
        case(
            "configurations.ref",
            A,
            N,
            "configurations[shared].ref",
            |v| del(v, "/configurations/1/ref"),
            none,
        ),
        case(
            "configurations.ref",
            M,
            P,
            "configurations[shared].ref",
            none,
            |v| {
                set(
                    v,
                    "/configurations/1/ref",
                    json!("oci://ghcr.io/acme/shared-config:2.0.0"),
                )
            },
        ),
        case(
            "configurations.ref",
            R,
            B,
            "configurations[shared].ref",
            none,
            |v| del(v, "/configurations/1/ref"),
        ),
        case(
            "configurations.values",
            A,
            N,
            "configurations[app].values",
            |v| del(v, "/configurations/0/values"),
            none,
        ),
        case(
            "configurations.values",
            M,
            N,
            "configurations[app].values[port]",
            none,
            |v| set(v, "/configurations/0/values/port", json!(9090)),
        ),
        case(
            "configurations.values",
            R,
            N,
            "configurations[app].values[port]",
            none,
            |v| set(v, "/configurations/0/values", json!({})),
        ),
        case(
            "policies",
            A,
            N,
            "policies[platform]",
            |v| del(v, "/policies/1"),
            none,
        ),
        case("policies", R, P, "policies[platform]", none, |v| {
            del(v, "/policies/1")
        }),
        case(
            "policies.schema",
            M,
            P,
            "policies[security].schema",
            none,
            |v| set(v, "/policies/0/schema", json!("policy/v2.json")),
        ),
        case(
            "policies.ref",
            A,
            N,
            "policies[platform].ref",
            |v| del(v, "/policies/1/ref"),
            none,
        ),
        case("policies.ref", M, P, "policies[platform].ref", none, |v| {
            set(
                v,
                "/policies/1/ref",
                json!("oci://ghcr.io/acme/platform-policy:2.0.0"),
            )
        }),
        case("policies.ref", R, P, "policies[platform].ref", none, |v| {
            del(v, "/policies/1/ref")
        }),
        case("runtime.workload", M, B, "runtime.workload", none, |v| {
            set(v, "/runtime/workload", json!("job"))
        }),
        case(
            "runtime.state.type",
            M,
            B,
            "runtime.state.type",
            none,
            |v| set(v, "/runtime/state/type", json!("stateful")),
        ),
        case(
            "runtime.state.persistence.scope",
            M,
            B,
            "runtime.state.persistence.scope",
            none,
            |v| set(v, "/runtime/state/persistence/scope", json!("shared")),
        ),
        case(
            "runtime.state.persistence.durability",
            M,
            B,
            "runtime.state.persistence.durability",
            none,
            |v| {
                set(
                    v,
                    "/runtime/state/persistence/durability",
                    json!("persistent"),
                )
            },
        ),
        case(
            "runtime.state.dataCriticality",
            M,
            P,
            "runtime.state.dataCriticality",
            none,
            |v| set(v, "/runtime/state/dataCriticality", json!("high")),
        ),
        case(
            "runtime.lifecycle.upgradeStrategy",
            A,
            N,
            "runtime.lifecycle.upgradeStrategy",
            |v| del(v, "/runtime/lifecycle/upgradeStrategy"),
            none,
        ),
        case(
            "runtime.lifecycle.upgradeStrategy",
            M,
            P,
            "runtime.lifecycle.upgradeStrategy",
            none,
            |v| set(v, "/runtime/lifecycle/upgradeStrategy", json!("recreate")),
        ),
        case(
            "runtime.lifecycle.upgradeStrategy",
            R,
            P,
            "runtime.lifecycle.upgradeStrategy",
            none,
            |v| del(v, "/runtime/lifecycle/upgradeStrategy"),
        ),
        case(
            "runtime.lifecycle.gracefulShutdownSeconds",
            A,
            N,
            "runtime.lifecycle.gracefulShutdownSeconds",
            |v| del(v, "/runtime/lifecycle/gracefulShutdownSeconds"),
            none,
        ),
        case(
            "runtime.lifecycle.gracefulShutdownSeconds",
            M,
            N,
            "runtime.lifecycle.gracefulShutdownSeconds",
            none,
            |v| set(v, "/runtime/lifecycle/gracefulShutdownSeconds", json!(60)),
        ),
        case(
            "runtime.lifecycle.gracefulShutdownSeconds",
            R,
            N,
            "runtime.lifecycle.gracefulShutdownSeconds",
            none,
            |v| del(v, "/runtime/lifecycle/gracefulShutdownSeconds"),
        ),
        case(
            "runtime.health.interface",
            A,
            N,
            "runtime.health.interface",
            |v| del(v, "/runtime/health"),
            |v| set(v, "/runtime/health", json!({"interface": "api"})),
        ),
        case(
            "runtime.health.interface",
            M,
            P,
            "runtime.health.interface",
            none,
            |v| set(v, "/runtime/health/interface", json!("admin")),
        ),
        case(
            "runtime.health.interface",
            R,
            P,
            "runtime.health.interface",
            |v| set(v, "/runtime/health", json!({"interface": "api"})),
            |v| del(v, "/runtime/health"),
        ),
        case(
            "runtime.health.path",
            A,
            N,
            "runtime.health.path",
            |v| del(v, "/runtime/health/path"),
            none,
        ),
        case(
            "runtime.health.path",
            M,
            P,
            "runtime.health.path",
            none,
            |v| set(v, "/runtime/health/path", json!("/healthz")),
        ),
        case(
            "runtime.health.path",
            R,
            P,
            "runtime.health.path",
            none,
            |v| del(v, "/runtime/health/path"),
        ),
        case(
            "runtime.health.initialDelaySeconds",
            A,
            N,
            "runtime.health.initialDelaySeconds",
            |v| del(v, "/runtime/health/initialDelaySeconds"),
            none,
        ),
        case(
            "runtime.health.initialDelaySeconds",
            M,
            N,
            "runtime.health.initialDelaySeconds",
            none,
            |v| set(v, "/runtime/health/initialDelaySeconds", json!(10)),
        ),
        case(
            "runtime.health.initialDelaySeconds",
            R,
            N,
            "runtime.health.initialDelaySeconds",
            none,
            |v| del(v, "/runtime/health/initialDelaySeconds"),
        ),
        case(
            "runtime.metrics.interface",
            A,
            N,
            "runtime.metrics.interface",
            |v| del(v, "/runtime/metrics"),
            |v| set(v, "/runtime/metrics", json!({"interface": "api"})),
        ),
        case(
            "runtime.metrics.interface",
            M,
            P,
            "runtime.metrics.interface",
            none,
            |v| set(v, "/runtime/metrics/interface", json!("admin")),
        ),
        case(
            "runtime.metrics.interface",
            R,
            P,
            "runtime.metrics.interface",
            |v| set(v, "/runtime/metrics", json!({"interface": "api"})),
            |v| del(v, "/runtime/metrics"),
        ),
        case(
            "runtime.metrics.path",
            A,
            N,
            "runtime.metrics.path",
            |v| del(v, "/runtime/metrics/path"),
            none,
        ),
        case(
            "runtime.metrics.path",
            M,
            P,
            "runtime.metrics.path",
            none,
            |v| set(v, "/runtime/metrics/path", json!("/prom")),
        ),
        case(
            "runtime.metrics.path",
            R,
            P,
            "runtime.metrics.path",
            none,
            |v| del(v, "/runtime/metrics/path"),
        ),
        case("scaling", A, N, "scaling", |v| del(v, "/scaling"), none),
        case("scaling", M, P, "scaling", none, |v| {
            set(v, "/scaling", json!({"replicas": 3}))
        }),
        case("scaling", R, P, "scaling", none, |v| del(v, "/scaling")),
        case(
            "scaling.replicas",
            M,
            P,
            "scaling.replicas",
            |v| set(v, "/scaling", json!({"replicas": 2})),
            |v| set(v, "/scaling", json!({"replicas": 3})),
        ),
        case("scaling.min", M, P, "scaling.min", none, |v| {
            set(v, "/scaling/min", json!(1))
        }),
        case("scaling.max", M, N, "scaling.max", none, |v| {
            set(v, "/scaling/max", json!(10))
        }),
        case(
            "dependencies",
            A,
            N,
            "dependencies[auth]",
            |v| set(v, "/dependencies", json!([])),
            none,
        ),
        case("dependencies", R, B, "dependencies[auth]", none, |v| {
            set(v, "/dependencies", json!([]))
        }),
        case(
            "dependencies.ref",
            M,
            P,
            "dependencies[auth].ref",
            none,
            |v| {
                set(
                    v,
                    "/dependencies/0/ref",
                    json!("oci://ghcr.io/acme/auth:2.0.0"),
                )
            },
        ),
        case(
            "dependencies.compatibility",
            M,
            P,
            "dependencies[auth].compatibility",
            none,
            |v| set(v, "/dependencies/0/compatibility", json!("^2.0.0")),
        ),
        case(
            "dependencies.required",
            M,
            P,
            "dependencies[auth].required",
            none,
            |v| set(v, "/dependencies/0/required", json!(false)),
        ),
        case(
            "readiness",
            A,
            N,
            "readiness",
            |v| del(v, "/readiness"),
            none,
        ),
        case("readiness", R, N, "readiness", none, |v| {
            del(v, "/readiness")
        }),
        case(
            "readiness.minScore",
            A,
            N,
            "readiness.minScore",
            |v| del(v, "/readiness/minScore"),
            none,
        ),
        case(
            "readiness.minScore",
            M,
            N,
            "readiness.minScore",
            none,
            |v| set(v, "/readiness/minScore", json!(90)),
        ),
        case(
            "readiness.minScore",
            R,
            N,
            "readiness.minScore",
            none,
            |v| del(v, "/readiness/minScore"),
        ),
        case(
            "readiness.expires",
            A,
            N,
            "readiness.expires",
            |v| del(v, "/readiness/expires"),
            none,
        ),
        case("readiness.expires", M, N, "readiness.expires", none, |v| {
            set(v, "/readiness/expires", json!("2027-06-30"))
        }),
        case("readiness.expires", R, N, "readiness.expires", none, |v| {
            del(v, "/readiness/expires")
        }),
        case(
            "readiness.partialCredit",
            A,
            N,
            "readiness.partialCredit",
            |v| del(v, "/readiness/partialCredit"),
            none,
        ),
        case(
            "readiness.partialCredit",
            M,
            N,
            "readiness.partialCredit",
            none,
            |v| set(v, "/readiness/partialCredit", json!(0.25)),
        ),
        case(
            "readiness.partialCredit",
            R,
            N,
            "readiness.partialCredit",
            none,
            |v| del(v, "/readiness/partialCredit"),
        ),
        case(
            "readiness.checks",
            A,
            N,
            "readiness.checks[runbook]",
            |v| set(v, "/readiness/checks", json!([])),
            none,
        ),
        case(
            "readiness.checks",
            M,
            N,
            "readiness.checks[runbook]",
            none,
            |v| set(v, "/readiness/checks/0/weight", json!(20)),
        ),
        case(
            "readiness.checks",
            R,
            N,
            "readiness.checks[runbook]",
            none,
            |v| set(v, "/readiness/checks", json!([])),
        ),
    ]
}

/// Table pairs that the differ never produces because it reports them per field
/// (e.g. a modified image is `service.image.ref`/`.private`).
const UNREACHABLE: [(&str, ChangeType); 3] =
    [("service.image", M), ("service.chart", M), ("readiness", M)];

#[test]
fn every_v1_rule_has_a_case_and_each_case_yields_exactly_that_change() {
    let empty = Bundle::new();
    let mut covered = BTreeSet::new();
    for c in cases() {
        let (mut old, mut new) = (base(), base());
        (c.old)(&mut old);
        (c.new)(&mut new);
        let d = diff_contracts(&contract(&old), &empty, &contract(&new), &empty);
        assert_eq!(d.changes.len(), 1, "{} {}: {:#?}", c.rule, c.ct, d.changes);
        let got = &d.changes[0];
        assert_eq!(
            (got.path.as_str(), got.change_type, got.classification),
            (c.path, c.ct, c.cls),
            "rule {} {}",
            c.rule,
            c.ct
        );
        assert_eq!(rules::rule_path(&got.path), c.rule);
        assert_eq!(d.classification, c.cls);
        covered.insert((c.rule, c.ct.as_str()));
    }
    for r in rules::V1_RULES {
        for (ct, cls) in [(A, r.added), (M, r.modified), (R, r.removed)] {
            if cls.is_some() && !UNREACHABLE.contains(&(r.path, ct)) {
                assert!(
                    covered.contains(&(r.path, ct.as_str())),
                    "no case for {} {ct}",
                    r.path
                );
            }
        }
    }
}

#[test]
fn identical_contracts_have_no_changes_and_unmatched_pairs_are_potential() {
    let c = contract(&base());
    let d = diff_contracts(&c, &Bundle::new(), &c, &Bundle::new());
    assert!(d.changes.is_empty());
    assert_eq!(d.classification, N);
    // `runtime` as a whole has no rule: the POTENTIAL_BREAKING default applies.
    let mut old = base();
    del(&mut old, "/runtime");
    let d = diff_contracts(&contract(&old), &Bundle::new(), &c, &Bundle::new());
    assert_eq!(
        (d.changes[0].path.as_str(), d.changes[0].classification),
        ("runtime", P)
    );
}

#[test]
fn v1_0_dependencies_keyed_by_ref_name_and_values_are_json() {
    let mut old = base();
    set(&mut old, "/pactoVersion", json!("1.0"));
    del(&mut old, "/dependencies/0/name");
    let mut new = old.clone();
    set(&mut new, "/dependencies/0/compatibility", json!("^1.2.0"));
    let d = diff_contracts(
        &contract(&old),
        &Bundle::new(),
        &contract(&new),
        &Bundle::new(),
    );
    assert_eq!(d.changes[0].path, "dependencies[auth].compatibility");
    assert_eq!(d.changes[0].old_value, Some(json!("^1.0.0")));
    assert_eq!(d.changes[0].new_value, Some(json!("^1.2.0")));
}

#[test]
fn changes_are_sorted_and_serialise_camel_case() {
    let mut new = base();
    set(&mut new, "/service/name", json!("zeta"));
    set(&mut new, "/interfaces/0/port", json!(1));
    del(&mut new, "/dependencies/0");
    let d = diff_contracts(
        &contract(&base()),
        &Bundle::new(),
        &contract(&new),
        &Bundle::new(),
    );
    let paths: Vec<_> = d.changes.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(
        paths,
        ["dependencies[auth]", "interfaces[api].port", "service.name"]
    );
    let v = serde_json::to_value(&d).expect("serialises");
    assert_eq!(v["classification"], "BREAKING");
    assert_eq!(v["changes"][0]["type"], "removed");
    assert_eq!(v["changes"][0]["oldValue"], "oci://ghcr.io/acme/auth:1.0.0");
    assert!(v.get("sbomDiff").is_some());
}

pub(super) fn bundle(files: &[(&str, &str)]) -> Bundle {
    let mut b = Bundle::new();
    for (p, d) in files {
        b.insert(*p, d.as_bytes().to_vec());
    }
    b
}

pub(super) const OPENAPI_V1: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /users:\n    get:\n      responses:\n        200: {description: ok}\n    delete:\n      responses:\n        204: {description: gone}\n";
pub(super) const OPENAPI_V2: &str = "openapi: 3.0.3\ninfo: {title: t, version: '2'}\npaths:\n  /users:\n    get:\n      responses:\n        200: {description: ok}\n";

#[test]
fn http_interfaces_get_an_openapi_deep_diff() {
    let c = contract(&base());
    let a = bundle(&[("interfaces/openapi.yaml", OPENAPI_V1)]);
    let b = bundle(&[("interfaces/openapi.yaml", OPENAPI_V2)]);
    let d = diff_contracts(&c, &a, &c, &b);
    assert_eq!(d.changes.len(), 1, "{:#?}", d.changes);
    assert_eq!(d.changes[0].path, "openapi.paths[/users].methods[DELETE]");
    assert_eq!(d.changes[0].reason, "DELETE /users method removed");
    assert_eq!(d.classification, B);
}

#[test]
fn openapi_spec_moved_to_a_new_path_is_compared_across_paths() {
    let old = base();
    let mut new = base();
    set(
        &mut new,
        "/interfaces/0/contract",
        json!("api/openapi.json"),
    );
    let a = bundle(&[("interfaces/openapi.yaml", OPENAPI_V1)]);
    let v2: Value = serde_saphyr::from_str(OPENAPI_V2).expect("yaml");
    let b = bundle(&[("api/openapi.json", &v2.to_string())]);
    let d = diff_contracts(&contract(&old), &a, &contract(&new), &b);
    let paths: Vec<_> = d.changes.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "interfaces[api].contract",
            "openapi.paths[/users].methods[DELETE]"
        ]
    );
}

#[test]
fn unparseable_spec_yields_one_potential_change() {
    let c = contract(&base());
    let a = bundle(&[("interfaces/openapi.yaml", OPENAPI_V1)]);
    let b = bundle(&[("interfaces/openapi.yaml", "paths: [unclosed\n  - : :")]);
    let d = diff_contracts(&c, &a, &c, &b);
    assert_eq!(d.changes.len(), 1, "{:#?}", d.changes);
    let ch = &d.changes[0];
    assert_eq!(
        (ch.path.as_str(), ch.change_type, ch.classification),
        ("interfaces[api].contract", M, P)
    );
    assert!(ch.reason.contains("could not be compared"), "{}", ch.reason);
    // A scalar document is not a spec either.
    let s = bundle(&[("interfaces/openapi.yaml", "just text")]);
    assert_eq!(diff_contracts(&c, &a, &c, &s).changes.len(), 1);
}

#[test]
fn missing_spec_files_are_skipped() {
    let c = contract(&base());
    let a = bundle(&[("interfaces/openapi.yaml", OPENAPI_V1)]);
    assert!(
        diff_contracts(&c, &a, &c, &Bundle::new())
            .changes
            .is_empty()
    );
}

#[test]
fn event_interfaces_get_an_asyncapi_deep_diff() {
    let c = contract(&base());
    let a = bundle(&[(
        "interfaces/asyncapi.yaml",
        "asyncapi: 2.6.0\nchannels:\n  orders: {subscribe: {message: {name: Order, payload: {type: object}}}}\n  legacy: {}\n",
    )]);
    let b = bundle(&[(
        "interfaces/asyncapi.yaml",
        "asyncapi: 2.6.0\nchannels:\n  orders: {subscribe: {message: {name: Order, payload: {type: object}}}}\n",
    )]);
    let d = diff_contracts(&c, &a, &c, &b);
    assert_eq!(d.changes.len(), 1, "{:#?}", d.changes);
    assert_eq!(
        (d.changes[0].path.as_str(), d.classification),
        ("asyncapi.channels[legacy]", B)
    );
}

#[test]
fn grpc_interfaces_are_deep_diffed_with_the_proto_parser() {
    let mut v = base();
    set(
        &mut v,
        "/interfaces/0",
        json!({"name": "api", "type": "grpc", "port": 9090, "contract": "interfaces/svc.proto"}),
    );
    let c = contract(&v);
    let a = bundle(&[(
        "interfaces/svc.proto",
        "syntax = \"proto3\"; service A { rpc X(R) returns (R); }",
    )]);
    let b = bundle(&[("interfaces/svc.proto", "syntax = \"proto3\";")]);
    let d = diff_contracts(&c, &a, &c, &b);
    assert_eq!(d.classification, B);
    assert!(
        d.changes
            .iter()
            .any(|c| c.path == "grpc.services[A]" && c.change_type == ChangeType::Removed),
        "{:?}",
        d.changes
    );
    assert!(diff_contracts(&c, &a, &c, &a).changes.is_empty());
}

#[test]
fn configuration_schema_is_diffed_as_input() {
    let c = contract(&base());
    let a = bundle(&[(
        "configuration/schema.json",
        r#"{"type":"object","properties":{"port":{"type":"integer"}}}"#,
    )]);
    let b = bundle(&[(
        "configuration/schema.json",
        r#"{"type":"object","properties":{"port":{"type":"integer"},"dsn":{"type":"string"}},"required":["dsn"]}"#,
    )]);
    let d = diff_contracts(&c, &a, &c, &b);
    let got: Vec<_> = d
        .changes
        .iter()
        .map(|c| (c.path.as_str(), c.change_type, c.classification))
        .collect();
    assert_eq!(
        got,
        [
            ("configurations[app].schema.properties.dsn", A, N),
            ("configurations[app].schema.required[dsn]", A, B),
        ]
    );
}

#[test]
fn policy_schema_is_diffed_with_policy_rules() {
    let c = contract(&base());
    let a = bundle(&[(
        "policy/schema.json",
        r#"{"type":"object","required":["service"]}"#,
    )]);
    let b = bundle(&[(
        "policy/schema.json",
        r#"{"type":"object","required":["service","runtime"]}"#,
    )]);
    let d = diff_contracts(&c, &a, &c, &b);
    assert_eq!(d.changes.len(), 1);
    assert_eq!(
        (d.changes[0].path.as_str(), d.changes[0].classification),
        ("policies[security].schema.required[runtime]", B)
    );
    let d = diff_contracts(&c, &b, &c, &a);
    assert_eq!(d.changes[0].classification, P);
}

#[test]
fn sbom_diff_is_informational() {
    let c = contract(&base());
    let a = bundle(&[(
        "sbom/app.spdx.json",
        r#"{"packages":[{"name":"openssl","versionInfo":"3.0.1"}]}"#,
    )]);
    let b = bundle(&[(
        "sbom/app.spdx.json",
        r#"{"packages":[{"name":"openssl","versionInfo":"3.0.2"}]}"#,
    )]);
    let d = diff_contracts(&c, &a, &c, &b);
    assert!(d.changes.is_empty());
    assert_eq!(d.classification, N);
    let s = d.sbom_diff.expect("sbom diff");
    assert_eq!(s.changes[0].field, "version");
}

mod props {
    use super::*;
    use crate::model::*;
    use proptest::collection::vec;
    use proptest::option::of;
    use proptest::prelude::*;

    fn name() -> impl Strategy<Value = String> {
        "[a-c]{1,2}"
    }

    fn owner() -> impl Strategy<Value = Owner> {
        prop_oneof![
            name().prop_map(Owner::Name),
            (
                of(name()),
                of(name()),
                vec((name(), name(), of(name())), 0..3)
            )
                .prop_map(|(team, dri, cs)| {
                    Owner::Info(OwnerInfo {
                        team,
                        dri,
                        contacts: cs
                            .into_iter()
                            .map(|(kind, value, purpose)| Contact {
                                kind,
                                value,
                                purpose,
                            })
                            .collect(),
                    })
                }),
        ]
    }

    fn service() -> impl Strategy<Value = Service> {
        (
            name(),
            "1\\.[0-2]\\.0",
            of(owner()),
            of((name(), any::<bool>())),
            of((name(), name())),
        )
            .prop_map(|(name, version, owner, image, chart)| Service {
                name,
                version,
                owner,
                image: image.map(|(reference, private)| Image { reference, private }),
                chart: chart.map(|(reference, version)| Chart { reference, version }),
            })
    }

    fn interface() -> impl Strategy<Value = Interface> {
        let kind = prop_oneof![
            Just(InterfaceType::Http),
            Just(InterfaceType::Grpc),
            Just(InterfaceType::Event)
        ];
        let vis = prop_oneof![Just(Visibility::Public), Just(Visibility::Internal)];
        (
            name(),
            kind,
            of(1u32..65535),
            vis,
            of(Just("spec.yaml".to_string())),
        )
            .prop_map(|(name, kind, port, visibility, contract)| Interface {
                name,
                kind,
                port,
                visibility,
                contract,
                reference: None,
            })
    }

    fn configuration() -> impl Strategy<Value = Configuration> {
        (
            of(name()),
            of(Just("schema.json".to_string())),
            of(name()),
            of(Just(json!({"port": 1, "x": [1, 2]}))),
        )
            .prop_map(|(name, schema, reference, values)| Configuration {
                name,
                schema,
                reference,
                values,
                required: None,
            })
    }

    fn policy() -> impl Strategy<Value = Policy> {
        (of(name()), of(Just("schema.json".to_string())), of(name())).prop_map(
            |(name, schema, reference)| Policy {
                name,
                schema,
                reference,
                target: None,
            },
        )
    }

    fn dependency() -> impl Strategy<Value = Dependency> {
        (of(name()), name(), any::<bool>(), "\\^1\\.[0-2]\\.0").prop_map(
            |(name, r, required, compatibility)| Dependency {
                name,
                reference: format!("oci://ghcr.io/acme/{r}:1.0.0"),
                required,
                compatibility,
            },
        )
    }

    fn runtime() -> impl Strategy<Value = Runtime> {
        let workload = prop_oneof![
            Just(Workload::Service),
            Just(Workload::Job),
            Just(Workload::Scheduled)
        ];
        let state = (
            prop_oneof![
                Just(StateType::Stateless),
                Just(StateType::Stateful),
                Just(StateType::Hybrid)
            ],
            prop_oneof![
                Just(PersistenceScope::Local),
                Just(PersistenceScope::Shared)
            ],
            prop_oneof![Just(Durability::Ephemeral), Just(Durability::Persistent)],
            prop_oneof![
                Just(DataCriticality::Low),
                Just(DataCriticality::Medium),
                Just(DataCriticality::High)
            ],
        )
            .prop_map(|(kind, scope, durability, data_criticality)| State {
                kind,
                persistence: Persistence { scope, durability },
                data_criticality,
            });
        let lifecycle = (
            of(prop_oneof![
                Just(UpgradeStrategy::Rolling),
                Just(UpgradeStrategy::Ordered)
            ]),
            of(0u64..100),
        )
            .prop_map(|(upgrade_strategy, graceful_shutdown_seconds)| Lifecycle {
                upgrade_strategy,
                graceful_shutdown_seconds,
            });
        let health = (name(), of(Just("/health".to_string())), of(0u64..60)).prop_map(
            |(interface, path, initial_delay_seconds)| Health {
                interface,
                path,
                initial_delay_seconds,
            },
        );
        let metrics = (name(), of(Just("/metrics".to_string())))
            .prop_map(|(interface, path)| Metrics { interface, path });
        (workload, state, of(lifecycle), of(health), of(metrics)).prop_map(
            |(workload, state, lifecycle, health, metrics)| Runtime {
                workload,
                state,
                lifecycle,
                health,
                metrics,
            },
        )
    }

    fn readiness() -> impl Strategy<Value = Readiness> {
        let check = (name(), 0u32..10).prop_map(|(id, weight)| ReadinessCheck {
            id,
            kind: "doc".into(),
            evidence: "docs/x.md".into(),
            weight,
            expires: None,
            description: None,
            status: None,
            category: None,
        });
        // NaN included on purpose: it must not look like a change against itself.
        let credit = prop_oneof![0.0f64..1.0, Just(f64::NAN)];
        (
            of(0u32..100),
            of(Just("2026-01-01".to_string())),
            of(credit),
            vec(check, 0..3),
        )
            .prop_map(|(min_score, expires, partial_credit, checks)| Readiness {
                min_score,
                expires,
                partial_credit,
                history: vec![],
                checks,
                claims: vec![],
            })
    }

    prop_compose! {
        fn v1_contract()(
            version in prop_oneof![Just(PactoVersion::V1_0), Just(PactoVersion::V1_1), Just(PactoVersion::V1_2)],
            service in service(),
            interfaces in vec(interface(), 0..4),
            configuration in of(configuration()),
            configurations in vec(configuration(), 0..3),
            policy in of(policy()),
            policies in vec(policy(), 0..3),
            dependencies in vec(dependency(), 0..4),
            runtime in of(runtime()),
            scaling in of((of(0u32..5), of(0u32..5), of(0u32..9)).prop_map(|(replicas, min, max)| Scaling { replicas, min, max })),
            readiness in of(readiness()),
        ) -> Contract {
            Contract {
                pacto_version: version, service, interfaces, configuration, configurations, policy, policies,
                dependencies, runtime, scaling, readiness, metadata: None,
                state: None, workload: None, capabilities: vec![], extensions: None,
            }
        }
    }

    /// Extension capabilities, free extensions, `required` per configuration, `target`.
    type V2Extras = (Vec<Capability>, Vec<(String, Value)>, Vec<bool>, bool);

    /// 2.0-only content: extension capabilities, unbound standard ones, free extensions,
    /// `required` on configurations and `target` on policies.
    fn v2_extras() -> impl Strategy<Value = V2Extras> {
        let cap = prop_oneof![
            name().prop_map(|r| Capability {
                kind: CapabilityType::Extension,
                reference: Some(format!("example.com/{r}")),
                binding: None,
            }),
            Just(Capability {
                kind: CapabilityType::Health,
                reference: None,
                binding: None
            }),
        ];
        (
            vec(cap, 0..3),
            vec(
                (
                    name().prop_map(|n| format!("example.com/{n}")),
                    of(0u8..3).prop_map(|v| json!(v)),
                ),
                0..3,
            ),
            vec(any::<bool>(), 0..4),
            any::<bool>(),
        )
    }

    prop_compose! {
        /// A 2.0 contract: a generated 1.x one migrated (the 1.x-only values kept in the
        /// legacy extension or dropped) plus 2.0-only content.
        fn v2_contract()(
            c in v1_contract().boxed(),
            keep in any::<bool>(),
            (caps, exts, required, target) in v2_extras(),
        ) -> Contract {
            let mut m = super::super::contract_v2_tests::migrate(&c, keep);
            m.capabilities.extend(caps);
            let e = m.extensions.get_or_insert_with(Default::default);
            e.extend(exts);
            for (c, r) in m.configurations.iter_mut().zip(required) {
                c.required = Some(r);
            }
            if target {
                for p in &mut m.policies {
                    p.target = Some("contract".into());
                }
            }
            m
        }
    }

    fn contract_strategy() -> BoxedStrategy<Contract> {
        prop_oneof![3 => v1_contract().boxed(), 1 => v2_contract().boxed()].boxed()
    }

    fn spec_bundle() -> Bundle {
        bundle(&[
            ("spec.yaml", OPENAPI_V1),
            ("schema.json", r#"{"type":"object","required":["a"]}"#),
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn diff_of_a_contract_with_itself_is_empty(c in contract_strategy()) {
            let d = diff_contracts(&c, &spec_bundle(), &c, &spec_bundle());
            prop_assert!(d.changes.is_empty(), "{:#?}", d.changes);
            prop_assert_eq!(d.classification, Classification::NonBreaking);
        }

        #[test]
        fn diff_classification_is_worst_change_and_output_sorted(a in contract_strategy(), b in contract_strategy()) {
            let d = diff_contracts(&a, &spec_bundle(), &b, &spec_bundle());
            prop_assert_eq!(d.classification, overall(&d.changes));
            prop_assert!(d.changes.windows(2).all(|w| w[0].path <= w[1].path));
        }

        #[test]
        fn a_1_x_contract_migrated_keeping_its_1_x_values_differs_only_by_version(c in v1_contract()) {
            let m = super::super::contract_v2_tests::migrate(&c, true);
            let d = diff_contracts(&c, &spec_bundle(), &m, &spec_bundle());
            let got: Vec<_> = d.changes.iter().map(|c| (c.path.as_str(), c.classification)).collect();
            prop_assert_eq!(got, vec![("pactoVersion", Classification::PotentialBreaking)], "{:#?}", d.changes);
        }

        #[test]
        fn a_1_x_contract_migrated_dropping_its_1_x_values_lists_each_lost_value(c in v1_contract()) {
            let m = super::super::contract_v2_tests::migrate(&c, false);
            let d = diff_contracts(&c, &spec_bundle(), &m, &spec_bundle());
            for ch in d.changes.iter().filter(|c| c.path != "pactoVersion") {
                prop_assert_eq!(ch.change_type, ChangeType::Removed, "{:?}", ch);
                prop_assert!(ch.classification <= Classification::PotentialBreaking, "{:?}", ch);
                prop_assert!(ch.reason.contains("not expressible in pactoVersion 2.0"), "{:?}", ch);
            }
            // Exactly one per 1.x-only value the contract had.
            let rt = c.runtime.as_ref();
            let lc = rt.and_then(|r| r.lifecycle.as_ref());
            let ports: BTreeSet<&str> = c.interfaces.iter().filter(|i| i.port.is_some()).map(|i| i.name.as_str()).collect();
            let want = ports.len()
                + usize::from(c.service.image.is_some())
                + usize::from(c.service.chart.is_some())
                + usize::from(c.scaling.is_some())
                + usize::from(lc.is_some_and(|l| l.upgrade_strategy.is_some()))
                + usize::from(lc.is_some_and(|l| l.graceful_shutdown_seconds.is_some()))
                + usize::from(rt.and_then(|r| r.health.as_ref()).is_some_and(|h| h.initial_delay_seconds.is_some()));
            prop_assert_eq!(d.changes.len(), want + 1, "{:#?}", d.changes);
        }

        #[test]
        fn schema_and_openapi_diffs_of_a_value_with_itself_are_empty(v in json_value()) {
            prop_assert!(diff_json_schema("s", &v, &v, SchemaDirection::Unknown).is_empty());
            prop_assert!(diff_openapi(&v, &v).is_empty());
            prop_assert!(diff_asyncapi(&v, &v).is_empty());
        }

        #[test]
        fn spec_differs_never_panic(a in json_value(), b in json_value()) {
            let _ = diff_json_schema("s", &a, &b, SchemaDirection::Input);
            let _ = diff_openapi(&a, &b);
            let _ = diff_asyncapi(&a, &b);
        }
    }

    /// JSON shaped like schemas and specs: schema keywords, refs and paths recur.
    fn json_value() -> impl Strategy<Value = Value> {
        let key = prop_oneof![
            Just("type"),
            Just("properties"),
            Just("required"),
            Just("enum"),
            Just("items"),
            Just("$ref"),
            Just("paths"),
            Just("get"),
            Just("responses"),
            Just("200"),
            Just("parameters"),
            Just("name"),
            Just("in"),
            Just("channels"),
            Just("a"),
        ]
        .prop_map(str::to_string);
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (0i64..5).prop_map(|n| json!(n)),
            prop_oneof![
                Just("string"),
                Just("#/a"),
                Just("#/paths"),
                Just("query"),
                Just("x")
            ]
            .prop_map(|s| json!(s)),
        ];
        leaf.prop_recursive(5, 64, 6, move |inner| {
            prop_oneof![
                vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::btree_map(key.clone(), inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }
}
