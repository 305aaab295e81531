//! The CRDs against a real kube-apiserver (see `support` for how it is started and stopped).

mod support;
#[path = "apiserver/upgrade.rs"]
mod upgrade;
#[path = "apiserver/upstream.rs"]
mod upstream;

use std::collections::BTreeMap;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, Time};
use kube::api::{ApiResource, DynamicObject, GroupVersionKind, Patch, PatchParams, PostParams};
use kube::{Api, Resource};
use pacto_crds::pacto::{MSG_INTERVAL, MSG_ONE_SOURCE};
use pacto_crds::revision::MSG_REVISION_IMMUTABLE;
use pacto_crds::status::*;
use pacto_crds::{Pacto, PactoRevision};
use serde_json::{Value, json};
use support::{FIELD_MANAGER, TestNamespace, api_error, client};

pub(crate) fn dynamic_api(client: kube::Client, ns: &str, kind: &str) -> Api<DynamicObject> {
    let gvk = GroupVersionKind::gvk(pacto_crds::GROUP, pacto_crds::VERSION, kind);
    let plural = match kind {
        "Pacto" => "pactos",
        "PactoRevision" => "pactorevisions",
        other => panic!("unexpected kind {other}"),
    };
    Api::namespaced_with(client, ns, &ApiResource::from_gvk_with_plural(&gvk, plural))
}

/// True when every key/value of `expected` is present in `actual` (arrays compared whole).
pub(crate) fn is_subset(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => e
            .iter()
            .all(|(k, v)| a.get(k).is_some_and(|av| is_subset(v, av))),
        (Value::Array(e), Value::Array(a)) => {
            e.len() == a.len() && e.iter().zip(a).all(|(x, y)| is_subset(x, y))
        }
        _ => expected == actual,
    }
}

#[tokio::test]
async fn crds_become_established_with_names_and_columns() {
    let api: Api<CustomResourceDefinition> = Api::all(client().await);
    for (name, short) in [
        ("pactos.pacto.trianalab.io", "pac"),
        ("pactorevisions.pacto.trianalab.io", "pacrev"),
    ] {
        let crd = api.get(name).await.expect("CRD exists");
        let conditions = crd.status.and_then(|s| s.conditions).unwrap_or_default();
        for wanted in ["Established", "NamesAccepted"] {
            assert!(
                conditions
                    .iter()
                    .any(|c| c.type_ == wanted && c.status == "True"),
                "{name}: condition {wanted} not True: {conditions:?}"
            );
        }
        assert_eq!(crd.spec.names.short_names, Some(vec![short.to_string()]));
        assert_eq!(
            crd.spec.names.categories,
            Some(vec!["pacto-all".to_string()])
        );
        let version = &crd.spec.versions[0];
        assert!(
            version
                .subresources
                .as_ref()
                .is_some_and(|s| s.status.is_some())
        );
        let columns: Vec<String> = version
            .additional_printer_columns
            .iter()
            .flatten()
            .map(|c| c.name.clone())
            .collect();
        assert!(columns.contains(&"Age".to_string()), "{name}: {columns:?}");
    }
    let pacto = api.get("pactos.pacto.trianalab.io").await.expect("CRD");
    let columns: Vec<String> = pacto.spec.versions[0]
        .additional_printer_columns
        .iter()
        .flatten()
        .map(|c| c.name.clone())
        .collect();
    assert_eq!(
        columns,
        [
            "Status",
            "Service",
            "Version",
            "Passed",
            "Failed",
            "Errors",
            "Warnings",
            "Last Checked",
            "Age"
        ]
    );
    // The severity counts are extra columns (`kubectl get -o wide`): the default view is the
    // one it always was.
    let wide: Vec<(&str, Option<i32>)> = pacto.spec.versions[0]
        .additional_printer_columns
        .iter()
        .flatten()
        .map(|c| (c.name.as_str(), c.priority))
        .filter(|(_, p)| p.unwrap_or(0) > 0)
        .collect();
    assert_eq!(wide, [("Errors", Some(1)), ("Warnings", Some(1))]);
}

#[tokio::test]
async fn every_example_is_accepted_unchanged() {
    let client = client().await;
    let ns = TestNamespace::new(&client, "crds-examples").await;
    let dir = support::repo_root().join("examples/k8s");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("examples/k8s exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 6,
        "expected the example manifests, found {files:?}"
    );
    let mut kinds = BTreeMap::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable example");
        let manifest: Value = serde_saphyr::from_str(&text).expect("example is YAML");
        let kind = manifest["kind"].as_str().expect("kind").to_string();
        let name = manifest["metadata"]["name"]
            .as_str()
            .expect("name")
            .to_string();
        *kinds.entry(kind.clone()).or_insert(0) += 1;
        let api = dynamic_api(client.clone(), &ns.name, &kind);
        let pp = PatchParams::apply(FIELD_MANAGER);
        let applied = api
            .patch(&name, &pp, &Patch::Apply(&manifest))
            .await
            .unwrap_or_else(|e| panic!("{}: rejected: {e}", file.display()));
        let served = serde_json::to_value(&applied).expect("json");
        assert!(
            is_subset(&manifest["spec"], &served["spec"]),
            "{}: the server changed or pruned the spec:\nsent   {}\nstored {}",
            file.display(),
            manifest["spec"],
            served["spec"]
        );
        // The typed Rust structs read what the server stored.
        match kind.as_str() {
            "Pacto" => {
                let typed: Pacto = serde_json::from_value(served).expect("typed Pacto");
                assert!(typed.spec.check_interval_seconds >= 30);
            }
            "PactoRevision" => {
                let _: PactoRevision = serde_json::from_value(served).expect("typed PactoRevision");
            }
            other => panic!("unexpected kind {other}"),
        }
    }
    assert!(kinds.get("Pacto").is_some_and(|n| *n >= 5), "{kinds:?}");
    assert!(kinds.contains_key("PactoRevision"), "{kinds:?}");
    ns.cleanup().await;
}

#[tokio::test]
async fn defaults_are_applied_by_the_server() {
    let client = client().await;
    let ns = TestNamespace::new(&client, "crds-defaults").await;
    let api = dynamic_api(client.clone(), &ns.name, "Pacto");
    let obj: DynamicObject = serde_json::from_value(json!({
        "apiVersion": "pacto.trianalab.io/v1alpha1", "kind": "Pacto",
        "metadata": { "name": "defaults" },
        "spec": { "contractRef": { "oci": "127.0.0.1:5000/x/y" },
                  "target": { "workloadRef": { "name": "y" } } }
    }))
    .expect("object");
    let created = api
        .create(&PostParams::default(), &obj)
        .await
        .expect("accepted");
    assert_eq!(created.data["spec"]["checkIntervalSeconds"], json!(300));
    // No default for the kind (reference semantics: absent = not asserted).
    assert_eq!(
        created.data["spec"]["target"]["workloadRef"].get("kind"),
        None
    );
    ns.cleanup().await;
}

#[tokio::test]
async fn invalid_pactos_are_rejected_with_the_rule_message() {
    let client = client().await;
    let ns = TestNamespace::new(&client, "crds-invalid").await;
    let api = dynamic_api(client.clone(), &ns.name, "Pacto");
    let cases = [
        (
            "both-sources",
            json!({ "contractRef": { "oci": "r/x", "inline": "pactoVersion: \"1.0\"" } }),
            MSG_ONE_SOURCE,
        ),
        ("no-source", json!({ "contractRef": {} }), MSG_ONE_SOURCE),
        (
            "only-secret",
            json!({ "contractRef": { "pullSecretRef": "creds" } }),
            MSG_ONE_SOURCE,
        ),
        (
            "interval-10",
            json!({ "contractRef": { "oci": "r/x" }, "checkIntervalSeconds": 10 }),
            MSG_INTERVAL,
        ),
        (
            "bad-kind",
            json!({ "contractRef": { "oci": "r/x" },
                    "target": { "workloadRef": { "kind": "Pod", "name": "x" } } }),
            // Schema enum (CEL is skipped once the schema fails): the server lists the kinds.
            r#"spec.target.workloadRef.kind: Unsupported value: "Pod": supported values: "Deployment", "StatefulSet", "ReplicaSet", "Job", "CronJob""#,
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
            text.contains(message),
            "{name}: message {text:?} lacks {message:?}"
        );
    }
    // The boundary value is accepted.
    let ok: DynamicObject = serde_json::from_value(json!({
        "apiVersion": "pacto.trianalab.io/v1alpha1", "kind": "Pacto",
        "metadata": { "name": "interval-30" },
        "spec": { "contractRef": { "inline": "x" }, "checkIntervalSeconds": 30 }
    }))
    .expect("object");
    api.create(&PostParams::default(), &ok)
        .await
        .expect("30 s is allowed");
    ns.cleanup().await;
}

fn revision(name: &str) -> PactoRevision {
    let mut r = PactoRevision::new(
        name,
        pacto_crds::PactoRevisionSpec {
            version: "1.0.0".into(),
            source: pacto_crds::RevisionSource {
                oci: Some("127.0.0.1:5000/pacto/a:1.0.0".into()),
                digest: Some("sha256:00".into()),
                inline: false,
            },
            pacto_ref: "a".into(),
            service_name: Some("a".into()),
        },
    );
    r.metadata.labels = Some(BTreeMap::from([(
        pacto_crds::revision::LABEL_PACTO.to_string(),
        "a".to_string(),
    )]));
    r
}

#[tokio::test]
async fn revision_spec_is_immutable() {
    let client = client().await;
    let ns = TestNamespace::new(&client, "crds-revision").await;
    let api: Api<PactoRevision> = Api::namespaced(client.clone(), &ns.name);
    api.create(&PostParams::default(), &revision("a-1-0-0"))
        .await
        .expect("created");
    let pp = PatchParams::default();
    let edits = [
        json!({ "spec": { "version": "1.0.1" } }),
        json!({ "spec": { "source": { "digest": "sha256:ff" } } }),
        json!({ "spec": { "pactoRef": "b" } }),
    ];
    for edit in edits {
        let (code, text) = api_error(api.patch("a-1-0-0", &pp, &Patch::Merge(&edit)).await);
        assert_eq!(code, 422, "{edit}: {text}");
        assert!(text.contains(MSG_REVISION_IMMUTABLE), "{edit}: {text}");
    }
    // Metadata and status stay writable.
    api.patch(
        "a-1-0-0",
        &pp,
        &Patch::Merge(json!({ "metadata": { "labels": { "extra": "yes" } } })),
    )
    .await
    .expect("labels can change");
    let status = json!({ "status": { "resolved": true, "contractHash": "abc" } });
    let patched = api
        .patch_status("a-1-0-0", &pp, &Patch::Merge(&status))
        .await
        .expect("status can change");
    assert_eq!(patched.spec.version, "1.0.0");
    assert!(patched.status.is_some_and(|s| s.resolved));
    ns.cleanup().await;
}

fn pacto(name: &str) -> Pacto {
    Pacto::new(
        name,
        pacto_crds::PactoSpec {
            contract_ref: pacto_crds::ContractRef {
                inline: Some("pactoVersion: \"1.0\"\n".into()),
                ..Default::default()
            },
            target: None,
            overrides: None,
            check_interval_seconds: 60,
        },
    )
}

#[tokio::test]
async fn status_is_written_only_through_the_subresource() {
    let client = client().await;
    let ns = TestNamespace::new(&client, "crds-subresource").await;
    let api: Api<Pacto> = Api::namespaced(client.clone(), &ns.name);
    let mut with_status = pacto("p");
    with_status.status = Some(Box::new(PactoStatus {
        contract_status: Some(ContractStatus::Compliant),
        ..Default::default()
    }));
    let created = api
        .create(&PostParams::default(), &with_status)
        .await
        .expect("created");
    assert_eq!(created.status, None, "status in a create must be ignored");

    // A patch of the main resource cannot set status ...
    let main = json!({ "status": { "contractStatus": "Compliant" }, "spec": { "checkIntervalSeconds": 90 } });
    let after = api
        .patch("p", &PatchParams::default(), &Patch::Merge(&main))
        .await
        .expect("spec patch accepted");
    assert_eq!(after.spec.check_interval_seconds, 90);
    assert_eq!(
        after.status, None,
        "status through the main resource must be ignored"
    );

    // ... the status subresource can, and cannot change spec.
    let sub = json!({ "status": { "contractStatus": "Warning" }, "spec": { "checkIntervalSeconds": 120 } });
    let after = api
        .patch_status("p", &PatchParams::default(), &Patch::Merge(&sub))
        .await
        .expect("status patch accepted");
    assert_eq!(
        after.spec.check_interval_seconds, 90,
        "spec through /status must be ignored"
    );
    assert_eq!(
        after.status.and_then(|s| s.contract_status),
        Some(ContractStatus::Warning)
    );
    ns.cleanup().await;
}

fn time(s: &str) -> Time {
    Time(s.parse().expect("timestamp"))
}

/// A status with every field set (checked against the schema by `full_status_covers_schema`).
fn full_status() -> PactoStatus {
    let issue = ValidationIssue {
        code: "PORT_REQUIRED".into(),
        path: Some("interfaces[0].port".into()),
        message: "port is required".into(),
    };
    let endpoint = EndpointStatus {
        url: Some("http://orders:8080/health".into()),
        reachable: false,
        status_code: Some(503),
        latency_ms: Some(12),
        error: Some("status 503".into()),
        replicas_probed: Some(2),
        replicas_passing: Some(1),
        replicas: vec![
            ReplicaProbe {
                address: "10.213.0.2".into(),
                pod_name: Some("orders-0".into()),
                reachable: true,
                status_code: Some(200),
                latency_ms: Some(3),
                error: None,
            },
            ReplicaProbe {
                address: "10.213.0.6".into(),
                pod_name: Some("orders-1".into()),
                reachable: false,
                status_code: Some(503),
                latency_ms: Some(12),
                error: Some("status 503".into()),
            },
        ],
    };
    let property = PropertyInfo {
        key: "db.pool".into(),
        value: Some("20".into()),
        type_: Some("integer".into()),
    };
    PactoStatus {
        contract_status: Some(ContractStatus::Warning),
        resolution_policy: Some(ResolutionPolicy::PinnedTag),
        resolved_ref: Some("127.0.0.1:5000/pacto/orders:1.4.2".into()),
        digest: Some(
            "sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945".into(),
        ),
        contract_version: Some("1.4.2".into()),
        summary: Some(CheckSummary {
            total: 7,
            passed: 6,
            failed: 1,
            error_count: 0,
            warning_count: 2,
            info_count: 1,
            unknown_count: 0,
        }),
        evaluation_coverage: Some(EvaluationCoverage {
            evaluated: 7,
            required: 8,
        }),
        findings: vec![Finding {
            code: "CAPABILITY_ABSENT".into(),
            severity: FindingSeverity::Warning,
            category: "RuntimeDrift".into(),
            subject: Some("health".into()),
            contract_path: Some("runtime.health".into()),
            message: "1/2 replicas healthy".into(),
            evidence_refs: vec![EvidenceRef {
                source: "probe".into(),
                observed_at: "2026-11-25T10:05:00Z".into(),
            }],
        }],
        observation_windows: vec![ObservationWindow {
            kind: ObservationKind::Capability,
            subject: "health".into(),
            first_observed_negative_at: time("2026-11-25T10:04:00Z"),
        }],
        capabilities: vec![CapabilityInfo {
            type_: "extension".into(),
            ref_: Some("example.com/feature".into()),
        }],
        contract: Some(ContractInfo {
            service_name: Some("orders".into()),
            version: Some("1.4.2".into()),
            owner: Some(OwnerInfo {
                team: Some("orders".into()),
                dri: Some("alice".into()),
                contacts: vec![Contact {
                    type_: "email".into(),
                    value: "orders@example.com".into(),
                    purpose: Some("ownership".into()),
                }],
            }),
            owner_display: Some("orders".into()),
            image_ref: Some("ghcr.io/acme/orders:1.4.2".into()),
            resolved_ref: Some("127.0.0.1:5000/pacto/orders:1.4.2".into()),
        }),
        validation: Some(ValidationResult {
            valid: true,
            errors: vec![issue.clone()],
            warnings: vec![issue],
        }),
        resources: Some(ResourcesStatus {
            service: Some(ObjectPresence {
                name: "orders".into(),
                kind: Some("Service".into()),
                exists: true,
            }),
            workload: Some(ObjectPresence {
                name: "orders".into(),
                kind: Some("Deployment".into()),
                exists: true,
            }),
        }),
        ports: Some(PortsStatus {
            expected: vec![8080, 9090],
            observed: vec![8080, 8443],
            missing: vec![9090],
            unexpected: vec![8443],
        }),
        endpoints: Some(EndpointsStatus {
            health: Some(endpoint.clone()),
            metrics: Some(endpoint),
        }),
        interfaces: vec![InterfaceInfo {
            name: "api".into(),
            type_: "http".into(),
            port: Some(8080),
            visibility: Some("public".into()),
            has_contract_file: true,
        }],
        configurations: vec![ConfigurationInfo {
            name: "default".into(),
            has_schema: true,
            ref_: Some("127.0.0.1:5000/pacto/platform-config:1.0.0".into()),
            value_keys: vec!["LOG_LEVEL".into()],
            secret_keys: vec!["DB_PASSWORD".into()],
            overridden_keys: vec!["LOG_LEVEL".into()],
            properties: vec![property.clone()],
        }],
        dependencies: vec![DependencyInfo {
            name: "postgresql".into(),
            ref_: Some("127.0.0.1:5000/pacto/postgresql".into()),
            required: true,
            compatibility: Some("^16.0.0".into()),
        }],
        policies: vec![PolicyInfo {
            name: Some("platform".into()),
            has_schema: true,
            schema: Some("policy/schema.json".into()),
            ref_: Some("127.0.0.1:5000/pacto/platform-policy:1.0.0".into()),
            title: Some("Platform policy".into()),
            description: Some("Rules every service follows".into()),
            properties: vec![property],
        }],
        runtime: Some(RuntimeInfo {
            workload: Some("service".into()),
            state_type: Some("stateless".into()),
            persistence_scope: Some("local".into()),
            persistence_durability: Some("ephemeral".into()),
            data_criticality: Some("high".into()),
            upgrade_strategy: Some("rolling".into()),
            graceful_shutdown_seconds: Some(30),
            health_interface: Some("api".into()),
            health_path: Some("/health".into()),
            metrics_interface: Some("metrics".into()),
            metrics_path: Some("/metrics".into()),
            health_initial_delay_seconds: Some(5),
        }),
        observed_runtime: Some(ObservedRuntime {
            workload_kind: Some("Deployment".into()),
            deployment_strategy: Some("RollingUpdate".into()),
            pod_management_policy: Some("OrderedReady".into()),
            termination_grace_period_seconds: Some(30),
            container_images: vec!["ghcr.io/acme/orders:1.4.2".into()],
            has_pvc: true,
            has_empty_dir: true,
            health_probe_initial_delay_seconds: Some(5),
            replicas: Some(2),
            ready_replicas: Some(1),
        }),
        scaling: Some(ScalingInfo {
            replicas: Some(2),
            min: Some(1),
            max: Some(4),
        }),
        readiness: Some(ReadinessStatus {
            score: 75,
            min_score: 80,
            passing: false,
            total_weight: 40,
            earned_weight: 30,
            expires: Some("2027-01-01".into()),
            expired: false,
            days_remaining: Some(37),
            done_count: 1,
            partial_count: 1,
            not_done_count: 1,
            deferred_count: 1,
            revisions: vec![ReadinessRevision {
                date: "2026-11-01".into(),
                version: Some("1.4.0".into()),
                author: Some("alice".into()),
                description: Some("first assessment".into()),
            }],
            checks: vec![ReadinessCheck {
                id: "runbook".into(),
                type_: Some("document".into()),
                category: Some("operations".into()),
                status: ReadinessCheckState::NotDone,
                evidence: Some("https://wiki.example/runbook".into()),
                description: Some("A runbook exists".into()),
                weight: 10,
                earned_weight: 0,
                excluded: false,
            }],
        }),
        metadata: BTreeMap::from([("tier".to_string(), "1".to_string())]),
        conditions: vec![Condition {
            type_: "ServiceExists".into(),
            status: "True".into(),
            reason: "Found".into(),
            message: "Service orders exists".into(),
            observed_generation: Some(1),
            last_transition_time: time("2026-11-25T10:00:00Z"),
        }],
        current_revision: Some("orders-1-4-2-4f53cda".into()),
        revisions: vec![RevisionSummary {
            name: "orders-1-4-2-4f53cda".into(),
            version: "1.4.2".into(),
            digest: Some("sha256:4f53".into()),
            created_at: Some(time("2026-11-25T09:00:00Z")),
        }],
        last_checked_time: Some(time("2026-11-25T10:05:00Z")),
        last_reconciled_at: Some(time("2026-11-25T10:05:01Z")),
        observed_generation: Some(1),
    }
}

/// Every property the schema declares under `status` appears in `full_status()`.
fn missing_paths(schema: &Value, value: &Value, path: &str, out: &mut Vec<String>) {
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (key, sub) in props {
            let p = format!("{path}.{key}");
            match value.get(key) {
                Some(v) => missing_paths(sub, v, &p, out),
                None => out.push(p),
            }
        }
    } else if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
        // A property counts as covered when any element of the list sets it.
        let per_element: Vec<Vec<String>> = arr
            .iter()
            .map(|v| {
                let mut m = Vec::new();
                missing_paths(items, v, &format!("{path}[]"), &mut m);
                m
            })
            .collect();
        match per_element.split_first() {
            Some((first, rest)) => out.extend(
                first
                    .iter()
                    .filter(|p| rest.iter().all(|m| m.contains(p)))
                    .cloned(),
            ),
            None => out.push(format!("{path}[]")),
        }
    }
}

#[test]
fn full_status_covers_schema() {
    let crd = serde_json::to_value(<Pacto as kube::CustomResourceExt>::crd()).expect("json");
    let status_schema =
        &crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["status"];
    let value = serde_json::to_value(full_status()).expect("json");
    let mut missing = Vec::new();
    missing_paths(status_schema, &value, "status", &mut missing);
    assert!(missing.is_empty(), "full_status() lacks {missing:?}");
}

#[tokio::test]
async fn server_side_apply_of_status_round_trips_every_field() {
    let client = client().await;
    let ns = TestNamespace::new(&client, "crds-ssa").await;
    let api: Api<Pacto> = Api::namespaced(client.clone(), &ns.name);
    api.create(&PostParams::default(), &pacto("orders"))
        .await
        .expect("created");
    let status = full_status();
    let patch = json!({
        "apiVersion": Pacto::api_version(&()),
        "kind": Pacto::kind(&()),
        "status": status,
    });
    let pp = PatchParams::apply("pacto-operator").force();
    let applied = api
        .patch_status("orders", &pp, &Patch::Apply(&patch))
        .await
        .expect("status applied");
    assert_eq!(applied.status.as_deref(), Some(&status));
    let read = api.get_status("orders").await.expect("read back");
    assert_eq!(read.status, Some(Box::new(status.clone())));

    // A second apply by the same manager that drops a list entry removes it (the manager owns it).
    let mut smaller = status;
    smaller.conditions.clear();
    smaller.revisions.clear();
    let patch =
        json!({ "apiVersion": "pacto.trianalab.io/v1alpha1", "kind": "Pacto", "status": smaller });
    let applied = api
        .patch_status("orders", &pp, &Patch::Apply(&patch))
        .await
        .expect("status re-applied");
    assert_eq!(applied.status, Some(Box::new(smaller)));
    ns.cleanup().await;
}

#[tokio::test]
async fn deleting_a_pacto_garbage_collects_its_revisions() {
    let client = client().await;
    let ns = TestNamespace::new(&client, "crds-gc").await;
    let pactos: Api<Pacto> = Api::namespaced(client.clone(), &ns.name);
    let revisions: Api<PactoRevision> = Api::namespaced(client.clone(), &ns.name);
    let owner = pactos
        .create(&PostParams::default(), &pacto("a"))
        .await
        .expect("pacto created");
    let mut rev = revision("a-1-0-0");
    rev.metadata.owner_references = Some(vec![owner.controller_owner_ref(&()).expect("owner ref")]);
    let created = revisions
        .create(&PostParams::default(), &rev)
        .await
        .expect("revision created");
    let uid = created.metadata.uid.expect("uid");
    pactos
        .delete("a", &kube::api::DeleteParams::background())
        .await
        .expect("pacto deleted");
    let gone = kube::runtime::wait::await_condition(
        revisions.clone(),
        "a-1-0-0",
        kube::runtime::wait::conditions::is_deleted(&uid),
    );
    tokio::time::timeout(std::time::Duration::from_secs(60), gone)
        .await
        .expect("kube-controller-manager's garbage collector removed the revision within 60 s")
        .expect("watch");
    ns.cleanup().await;
}

#[tokio::test]
async fn service_account_tokens_can_be_requested() {
    use k8s_openapi::api::authentication::v1::TokenRequest;
    use k8s_openapi::api::core::v1::ServiceAccount;
    let client = client().await;
    let ns = TestNamespace::new(&client, "crds-token").await;
    let sas: Api<ServiceAccount> = Api::namespaced(client.clone(), &ns.name);
    let sa: ServiceAccount =
        serde_json::from_value(json!({ "metadata": { "name": "operator" } })).expect("sa");
    sas.create(&PostParams::default(), &sa)
        .await
        .expect("sa created");
    let request: TokenRequest = serde_json::from_value(json!({
        "spec": { "audiences": ["https://kubernetes.default.svc.cluster.local"],
                  "expirationSeconds": 600 }
    }))
    .expect("token request");
    let token = sas
        .create_token_request("operator", &PostParams::default(), &request)
        .await
        .expect("TokenRequest served");
    let jwt = token.status.and_then(|s| s.token).expect("token issued");
    assert_eq!(jwt.split('.').count(), 3, "a signed JWT: {jwt}");
    ns.cleanup().await;
}
