//! Contract-level diff of 2.0 contracts: one case per rule of the 2.0 table, deep diffs by
//! `ref`, and 1.x against 2.0 (a migrated service differs only where 2.0 lost a meaning).

use super::contract_tests::{
    Case, OPENAPI_V1, OPENAPI_V2, base, bundle, case, contract, del, none, set,
};
use super::*;
use crate::bundle::Bundle;
use crate::model::{
    Binding, Capability, CapabilityType, Contract, InterfaceType, Owner, OwnerInfo,
};
use ChangeType::{Added as A, Modified as M, Removed as R};
use Classification::{Breaking as B, NonBreaking as N, PotentialBreaking as P};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// The 2.0 form of [`base`] (what `pacto migrate` writes, without the legacy extension).
pub(super) fn base_v2() -> Value {
    json!({
        "pactoVersion": "2.0",
        "service": {
            "name": "orders", "version": "1.0.0",
            "owner": {"team": "payments", "dri": "ana", "contacts": [{"type": "email", "value": "a@x.io"}]}
        },
        "interfaces": [
            {"name": "api", "type": "openapi", "visibility": "public", "ref": "interfaces/openapi.yaml"},
            {"name": "events", "type": "asyncapi", "ref": "interfaces/asyncapi.yaml"}
        ],
        "configurations": [
            {"name": "app", "schema": "configuration/schema.json", "values": {"port": 8080}, "required": true},
            {"name": "shared", "ref": "oci://ghcr.io/acme/shared-config:1.0.0", "required": false}
        ],
        "policies": [
            {"name": "security", "schema": "policy/schema.json", "target": "contract"},
            {"name": "platform", "ref": "oci://ghcr.io/acme/platform-policy:1.0.0"}
        ],
        "dependencies": [
            {"name": "auth", "ref": "oci://ghcr.io/acme/auth:1.0.0", "required": true, "compatibility": "^1.0.0"}
        ],
        "workload": "service",
        "state": {"type": "stateless", "persistence": {"scope": "local", "durability": "ephemeral"}, "dataCriticality": "low"},
        "capabilities": [
            {"type": "health", "binding": {"type": "http", "interface": "api", "path": "/health"}},
            {"type": "metrics", "binding": {"type": "http", "interface": "api", "path": "/metrics"}},
            {"type": "extension", "ref": "example.com/tracing"}
        ],
        "readiness": {
            "minScore": 80, "expires": "2026-12-31", "partialCredit": 0.5,
            "claims": [{"id": "runbook", "type": "doc", "evidence": "docs/runbook.md", "weight": 10}]
        },
        "extensions": {"example.com/cost": {"tier": "gold"}}
    })
}

/// The legacy extension keeping every 1.x-only value of [`base`].
fn legacy_extension() -> Value {
    json!({
        "ports": {"api": 8080},
        "scaling": {"min": 2, "max": 5},
        "image": {"ref": "ghcr.io/acme/orders:1.0.0"},
        "chart": {"ref": "oci://ghcr.io/acme/charts/orders", "version": "1.0.0"},
        "lifecycle": {"upgradeStrategy": "rolling", "gracefulShutdownSeconds": 30},
        "healthInitialDelaySeconds": 5
    })
}

fn cases() -> Vec<Case> {
    vec![
        case("workload", A, N, "workload", |v| del(v, "/workload"), none),
        case("workload", M, B, "workload", none, |v| {
            set(v, "/workload", json!("job"))
        }),
        case("workload", R, N, "workload", none, |v| del(v, "/workload")),
        case("state.type", M, B, "state.type", none, |v| {
            set(v, "/state/type", json!("hybrid"))
        }),
        case(
            "state.persistence.scope",
            M,
            B,
            "state.persistence.scope",
            none,
            |v| set(v, "/state/persistence/scope", json!("shared")),
        ),
        case(
            "state.persistence.durability",
            M,
            B,
            "state.persistence.durability",
            none,
            |v| set(v, "/state/persistence/durability", json!("persistent")),
        ),
        case(
            "state.dataCriticality",
            M,
            P,
            "state.dataCriticality",
            none,
            |v| set(v, "/state/dataCriticality", json!("high")),
        ),
        case(
            "capabilities",
            A,
            N,
            "capabilities[extension:example.com/audit]",
            none,
            |v| {
                let caps = v["capabilities"].as_array_mut().expect("caps");
                caps.push(json!({"type": "extension", "ref": "example.com/audit"}));
            },
        ),
        case("capabilities", R, P, "capabilities[metrics]", none, |v| {
            del(v, "/capabilities/1")
        }),
        case(
            "capabilities.binding",
            A,
            N,
            "capabilities[health].binding",
            |v| del(v, "/capabilities/0/binding"),
            none,
        ),
        case(
            "capabilities.binding",
            R,
            P,
            "capabilities[health].binding",
            none,
            |v| del(v, "/capabilities/0/binding"),
        ),
        case(
            "capabilities.binding.interface",
            M,
            P,
            "capabilities[metrics].binding.interface",
            none,
            |v| set(v, "/capabilities/1/binding/interface", json!("events")),
        ),
        case(
            "capabilities.binding.path",
            A,
            N,
            "capabilities[health].binding.path",
            |v| del(v, "/capabilities/0/binding/path"),
            none,
        ),
        case(
            "capabilities.binding.path",
            M,
            P,
            "capabilities[health].binding.path",
            none,
            |v| set(v, "/capabilities/0/binding/path", json!("/healthz")),
        ),
        case(
            "capabilities.binding.path",
            R,
            P,
            "capabilities[health].binding.path",
            none,
            |v| del(v, "/capabilities/0/binding/path"),
        ),
        case(
            "interfaces.ref",
            M,
            P,
            "interfaces[events].ref",
            none,
            |v| set(v, "/interfaces/1/ref", json!("interfaces/events.yaml")),
        ),
        case(
            "configurations.required",
            M,
            B,
            "configurations[shared].required",
            none,
            |v| set(v, "/configurations/1/required", json!(true)),
        ),
        case(
            "policies.target",
            M,
            P,
            "policies[platform].target",
            none,
            |v| set(v, "/policies/1/target", json!("runtime")),
        ),
        case(
            "readiness.claims",
            A,
            N,
            "readiness.claims[runbook]",
            |v| set(v, "/readiness/claims", json!([])),
            none,
        ),
        case(
            "readiness.claims",
            M,
            N,
            "readiness.claims[runbook]",
            none,
            |v| set(v, "/readiness/claims/0/status", json!("partial")),
        ),
        case(
            "readiness.claims",
            R,
            N,
            "readiness.claims[runbook]",
            none,
            |v| set(v, "/readiness/claims", json!([])),
        ),
        case(
            "extensions",
            A,
            N,
            "extensions[example.com/owner-bot]",
            none,
            |v| {
                set(
                    v,
                    "/extensions",
                    json!({"example.com/cost": {"tier": "gold"}, "example.com/owner-bot": true}),
                )
            },
        ),
        case(
            "extensions",
            M,
            N,
            "extensions[example.com/cost]",
            none,
            |v| {
                set(
                    v,
                    "/extensions",
                    json!({"example.com/cost": {"tier": "silver"}}),
                )
            },
        ),
        case(
            "extensions",
            R,
            N,
            "extensions[example.com/cost]",
            none,
            |v| set(v, "/extensions", json!({})),
        ),
        // 1.x rows whose paths a 2.0 contract shares.
        case(
            "interfaces.type",
            M,
            B,
            "interfaces[events].type",
            none,
            |v| set(v, "/interfaces/1/type", json!("grpc")),
        ),
        case("interfaces", R, B, "interfaces[events]", none, |v| {
            del(v, "/interfaces/1")
        }),
        case(
            "dependencies.required",
            M,
            P,
            "dependencies[auth].required",
            none,
            |v| set(v, "/dependencies/0/required", json!(false)),
        ),
    ]
}

/// Rows a single-field edit of a valid 2.0 contract cannot produce alone: `state` has
/// every field or none (see `a_missing_state_is_compared_field_by_field`).
const UNREACHABLE: [(&str, ChangeType); 2] =
    [("state.dataCriticality", A), ("state.dataCriticality", R)];

#[test]
fn every_v2_rule_has_a_case_and_each_case_yields_exactly_that_change() {
    let empty = Bundle::new();
    let mut covered = BTreeSet::new();
    for c in cases() {
        let (mut old, mut new) = (base_v2(), base_v2());
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
    for r in rules::V2_RULES {
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

fn diff(old: &Value, new: &Value) -> ContractDiff {
    diff_contracts(
        &contract(old),
        &Bundle::new(),
        &contract(new),
        &Bundle::new(),
    )
}

fn triples(d: &ContractDiff) -> Vec<(&str, ChangeType, Classification)> {
    d.changes
        .iter()
        .map(|c| (c.path.as_str(), c.change_type, c.classification))
        .collect()
}

#[test]
fn a_2_0_contract_against_itself_has_no_changes() {
    let c = contract(&base_v2());
    assert!(
        diff_contracts(&c, &Bundle::new(), &c, &Bundle::new())
            .changes
            .is_empty()
    );
}

#[test]
fn configuration_no_longer_required_is_non_breaking() {
    let mut new = base_v2();
    set(&mut new, "/configurations/0/required", json!(false));
    let d = diff(&base_v2(), &new);
    assert_eq!(triples(&d), [("configurations[app].required", M, N)]);
    assert_eq!(d.changes[0].old_value, Some(json!(true)));
}

#[test]
fn a_missing_state_is_compared_field_by_field() {
    let mut old = base_v2();
    del(&mut old, "/state");
    let d = diff(&old, &base_v2());
    assert_eq!(
        triples(&d),
        [
            ("state.dataCriticality", A, N),
            ("state.persistence.durability", A, P),
            ("state.persistence.scope", A, P),
            ("state.type", A, P),
        ]
    );
    let d = diff(&base_v2(), &old);
    assert_eq!(d.changes[0], {
        let mut c = Change::new(
            "state.dataCriticality",
            R,
            N,
            "state.dataCriticality removed",
        );
        c.old_value = Some(json!("low"));
        c
    });
}

#[test]
fn openapi_asyncapi_and_grpc_refs_are_deep_diffed() {
    let c = contract(&base_v2());
    let a = bundle(&[("interfaces/openapi.yaml", OPENAPI_V1)]);
    let b = bundle(&[("interfaces/openapi.yaml", OPENAPI_V2)]);
    let d = diff_contracts(&c, &a, &c, &b);
    assert_eq!(
        triples(&d),
        [("openapi.paths[/users].methods[DELETE]", R, B)]
    );

    let a = bundle(&[(
        "interfaces/asyncapi.yaml",
        "asyncapi: 3.0.0\nchannels:\n  orders: {}\n  legacy: {}\n",
    )]);
    let b = bundle(&[(
        "interfaces/asyncapi.yaml",
        "asyncapi: 3.0.0\nchannels:\n  orders: {}\n",
    )]);
    let d = diff_contracts(&c, &a, &c, &b);
    assert_eq!(triples(&d), [("asyncapi.channels[legacy]", R, B)]);

    let mut v = base_v2();
    set(
        &mut v,
        "/interfaces/0",
        json!({"name": "api", "type": "grpc", "ref": "interfaces/svc.proto"}),
    );
    let g = contract(&v);
    let a = bundle(&[(
        "interfaces/svc.proto",
        "syntax = \"proto3\"; service A { rpc X(R) returns (R); }",
    )]);
    let b = bundle(&[("interfaces/svc.proto", "syntax = \"proto3\";")]);
    let d = diff_contracts(&g, &a, &g, &b);
    assert!(
        d.changes
            .iter()
            .any(|c| c.path == "grpc.services[A]" && c.change_type == R),
        "{:#?}",
        d.changes
    );
    assert_eq!(d.classification, B);
}

/// [`base`] as pactoVersion 1.2 (1.2 names the list `checks`, as 1.1).
fn base_1_2() -> Value {
    let mut v = base();
    set(&mut v, "/pactoVersion", json!("1.2"));
    v
}

#[test]
fn an_unchanged_service_migrated_to_2_0_differs_only_where_2_0_lost_a_meaning() {
    let mut migrated = base_v2();
    // What a faithful migration writes: no extension capability, no free extension.
    del(&mut migrated, "/capabilities/2");
    del(&mut migrated, "/extensions");
    // 1.x configurations say nothing about `required`, 1.x policies nothing about `target`.
    let d = diff(&base_1_2(), &migrated);
    assert_eq!(
        triples(&d),
        [
            ("interfaces[api].port", R, P),
            ("pactoVersion", M, P),
            ("runtime.health.initialDelaySeconds", R, N),
            ("runtime.lifecycle.gracefulShutdownSeconds", R, N),
            ("runtime.lifecycle.upgradeStrategy", R, P),
            ("scaling", R, P),
            ("service.chart", R, N),
            ("service.image", R, N),
        ],
        "{:#?}",
        d.changes
    );
    assert_eq!(d.classification, P);
    let version = d.changes.iter().find(|c| c.path == "pactoVersion").unwrap();
    assert_eq!(
        (version.old_value.clone(), version.new_value.clone()),
        (Some(json!("1.2")), Some(json!("2.0")))
    );
    assert!(
        version.reason.contains("changed major version"),
        "{}",
        version.reason
    );
    for c in d.changes.iter().filter(|c| c.path != "pactoVersion") {
        assert!(
            c.reason.contains("not expressible in pactoVersion 2.0"),
            "{}",
            c.reason
        );
        assert!(c.old_value.is_some() && c.new_value.is_none(), "{c:?}");
    }
    let port = d
        .changes
        .iter()
        .find(|c| c.path == "interfaces[api].port")
        .unwrap();
    assert_eq!(port.old_value, Some(json!(8080)));
    assert!(port.reason.contains("interfaceBindings"), "{}", port.reason);

    // The same migration keeping the 1.x values in the legacy extension: only the version.
    set(
        &mut migrated,
        "/extensions",
        json!({ LEGACY_EXTENSION: legacy_extension() }),
    );
    let d = diff(&base_1_2(), &migrated);
    assert_eq!(triples(&d), [("pactoVersion", M, P)], "{:#?}", d.changes);

    // A preserved value that differs is an ordinary change of that 1.x field.
    let mut changed = migrated.clone();
    changed["extensions"][LEGACY_EXTENSION]["scaling"]["min"] = json!(3);
    let d = diff(&base_1_2(), &changed);
    assert_eq!(triples(&d), [("pactoVersion", M, P), ("scaling.min", M, P)]);
    // And between two 2.0 contracts the legacy extension is compared the same way.
    let d = diff(&migrated, &changed);
    assert_eq!(triples(&d), [("scaling.min", M, P)]);
}

#[test]
fn renamed_spellings_across_versions_are_no_change() {
    // 1.0 singular configuration/policy, owner string and unnamed dependency against
    // their 2.0 forms; http/contract against openapi/ref; runtime.health/metrics against
    // bound capabilities.
    let mut old = base_1_2();
    set(&mut old, "/pactoVersion", json!("1.0"));
    set(&mut old, "/service/owner", json!("payments"));
    del(&mut old, "/readiness");
    del(&mut old, "/dependencies/0/name");
    del(&mut old, "/configurations");
    set(
        &mut old,
        "/configuration",
        json!({"schema": "configuration/schema.json"}),
    );
    del(&mut old, "/policies");
    set(&mut old, "/policy", json!({"schema": "policy/schema.json"}));
    let mut new = base_v2();
    set(&mut new, "/service/owner", json!({"team": "payments"}));
    del(&mut new, "/readiness");
    set(
        &mut new,
        "/configurations",
        json!([{"name": "default", "schema": "configuration/schema.json", "required": true}]),
    );
    set(
        &mut new,
        "/policies",
        json!([{"name": "default", "schema": "policy/schema.json"}]),
    );
    del(&mut new, "/capabilities/2");
    set(
        &mut new,
        "/extensions",
        json!({ LEGACY_EXTENSION: legacy_extension() }),
    );
    let d = diff(&old, &new);
    assert_eq!(triples(&d), [("pactoVersion", M, P)], "{:#?}", d.changes);
}

#[test]
fn a_breaking_change_made_while_migrating_is_still_breaking() {
    let mut migrated = base_v2();
    del(&mut migrated, "/capabilities/2");
    del(&mut migrated, "/extensions");
    set(
        &mut migrated,
        "/capabilities/0/binding/path",
        json!("/healthz"),
    );
    set(&mut migrated, "/workload", json!("job"));
    let a = bundle(&[("interfaces/openapi.yaml", OPENAPI_V1)]);
    let b = bundle(&[("interfaces/openapi.yaml", OPENAPI_V2)]);
    let d = diff_contracts(&contract(&base_1_2()), &a, &contract(&migrated), &b);
    assert_eq!(d.classification, B);
    let got = triples(&d);
    for want in [
        ("openapi.paths[/users].methods[DELETE]", R, B),
        ("workload", M, B),
        ("capabilities[health].binding.path", M, P),
    ] {
        assert!(got.contains(&want), "{want:?} missing from {got:#?}");
    }
    // The spec moved from `contract` to `ref` under another file: a `ref` change plus
    // the deep diff across the two files.
    set(
        &mut migrated,
        "/interfaces/0/ref",
        json!("api/openapi.yaml"),
    );
    let b = bundle(&[("api/openapi.yaml", OPENAPI_V2)]);
    let d = diff_contracts(&contract(&base_1_2()), &a, &contract(&migrated), &b);
    let got = triples(&d);
    assert!(got.contains(&("interfaces[api].ref", M, P)), "{got:#?}");
    assert!(
        got.contains(&("openapi.paths[/users].methods[DELETE]", R, B)),
        "{got:#?}"
    );
}

#[test]
fn downgrading_2_0_to_1_x_is_reported_not_refused() {
    let d = diff(&base_v2(), &base_1_2());
    let got = triples(&d);
    assert!(got.contains(&("pactoVersion", M, P)), "{got:#?}");
    assert!(
        d.changes[got.iter().position(|t| t.0 == "pactoVersion").unwrap()]
            .reason
            .contains("1.x cannot express")
    );
    // 2.0-only assertions disappear; 1.x-only fields appear; nothing else.
    for want in [
        ("capabilities[extension:example.com/tracing]", R, P),
        ("extensions[example.com/cost]", R, N),
        ("interfaces[api].port", A, P),
        ("scaling", A, N),
        ("service.image", A, N),
    ] {
        assert!(got.contains(&want), "{want:?} missing from {got:#?}");
    }
    for c in &d.changes {
        assert!(
            !c.path.starts_with("workload")
                && !c.path.starts_with("state")
                && !c.path.starts_with("readiness")
                && !c.path.ends_with(".type")
                && !c.path.ends_with(".contract"),
            "unexpected {c:?}"
        );
    }
}

/// What `pacto migrate` does to a 1.x contract (the upstream mapping table), optionally
/// keeping the 1.x-only values under [`LEGACY_EXTENSION`]. Used by the property tests.
pub(super) fn migrate(c: &Contract, keep: bool) -> Contract {
    let mut m = c.clone();
    m.pacto_version = crate::model::PactoVersion::V2_0;
    if let Some(Owner::Name(s)) = &m.service.owner {
        m.service.owner = Some(Owner::Info(OwnerInfo {
            team: Some(s.clone()),
            dri: None,
            contacts: vec![],
        }));
    }
    let mut legacy = serde_json::Map::new();
    let mut ports = serde_json::Map::new();
    for i in &mut m.interfaces {
        if let Some(p) = i.port.take() {
            ports.insert(i.name.clone(), json!(p));
        }
        i.kind = InterfaceType::v2_for(i.protocol());
        i.reference = i.contract.take();
    }
    legacy.insert("ports".into(), Value::Object(ports));
    if let Some(img) = m.service.image.take() {
        legacy.insert("image".into(), json!(img));
    }
    if let Some(ch) = m.service.chart.take() {
        legacy.insert("chart".into(), json!(ch));
    }
    if let Some(s) = m.scaling.take() {
        legacy.insert("scaling".into(), json!(s));
    }
    m.configurations = c
        .all_configurations()
        .into_iter()
        .map(|(_, mut x)| {
            x.name = Some(x.display_name().to_string());
            x.required = Some(true);
            x
        })
        .collect();
    m.configuration = None;
    m.policies = c
        .all_policies()
        .into_iter()
        .map(|(_, mut x)| {
            x.name = Some(x.display_name().to_string());
            x
        })
        .collect();
    m.policy = None;
    for d in &mut m.dependencies {
        d.name = Some(d.key());
    }
    if let Some(rt) = m.runtime.take() {
        m.workload = Some(rt.workload);
        m.state = Some(rt.state);
        if let Some(l) = rt.lifecycle {
            legacy.insert("lifecycle".into(), json!(l));
        }
        let bound = |kind, interface: String, path: Option<String>| Capability {
            kind,
            reference: None,
            binding: Some(Binding {
                kind: "http".into(),
                interface,
                path,
            }),
        };
        if let Some(h) = rt.health {
            if let Some(s) = h.initial_delay_seconds {
                legacy.insert("healthInitialDelaySeconds".into(), json!(s));
            }
            m.capabilities
                .push(bound(CapabilityType::Health, h.interface, h.path));
        }
        if let Some(x) = rt.metrics {
            m.capabilities
                .push(bound(CapabilityType::Metrics, x.interface, x.path));
        }
    }
    if let Some(r) = &mut m.readiness {
        r.claims = std::mem::take(&mut r.checks);
    }
    if keep {
        m.extensions
            .get_or_insert_with(Default::default)
            .insert(LEGACY_EXTENSION.into(), Value::Object(legacy));
    }
    m
}

#[test]
fn the_test_migration_of_base_is_base_v2_with_the_legacy_extension() {
    let mut want = base_v2();
    del(&mut want, "/capabilities/2");
    set(&mut want, "/configurations/1/required", json!(true));
    del(&mut want, "/policies/0/target");
    set(
        &mut want,
        "/extensions",
        json!({ LEGACY_EXTENSION: legacy_extension() }),
    );
    let mut got = serde_json::to_value(migrate(&contract(&base_1_2()), true)).unwrap();
    // The model writes the defaults `private: false` and `visibility: internal`.
    let image = &mut got["extensions"][LEGACY_EXTENSION]["image"];
    image.as_object_mut().unwrap().remove("private");
    set(&mut want, "/interfaces/1/visibility", json!("internal"));
    assert_eq!(got, want);
}
