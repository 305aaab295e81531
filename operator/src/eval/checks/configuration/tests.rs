use std::sync::Arc;

use k8s_openapi::api::apps::v1::Deployment;
use pacto_core::Bundle;
use pacto_core::validate::config_value::{ConfigSchemas, MAX_VALUE_BYTES};
use pacto_crds::status::FindingSeverity;
use pacto_crds::vocabulary::findings as codes;
use pacto_crds::{ConfigBinding, ConfigBindingKind, ConfigFormat, Target, reasons};

use super::super::super::check::{Check, Outcome, Severity};
use super::super::super::target_snapshot::{ConfigObject, Observed, ObservedConfig, Workload};
use super::{check, mounted, valid};

const CONTRACT: &str = r#"pactoVersion: "2.0"
service: {name: svc, version: 1.0.0, owner: {team: t}}
workload: service
configurations:
  - name: app
    schema: configuration/app.json
    required: true
  - name: extras
    schema: configuration/app.json
    required: false
  - name: creds
    required: true
"#;
const SCHEMA: &str = r#"{"type":"object","required":["port"],"properties":{"port":{"type":"integer","maximum":65535},"mode":{"enum":["fast","safe"]}}}"#;

fn contract() -> (pacto_core::Contract, Arc<ConfigSchemas>) {
    let raw = pacto_core::parse::parse_yaml(CONTRACT).expect("yaml");
    let c = pacto_core::parse::contract_from_value(&raw).expect("contract");
    let mut b = Bundle::new();
    b.insert("configuration/app.json", SCHEMA.as_bytes().to_vec());
    let s = Arc::new(ConfigSchemas::compile(&c, &b));
    (c, s)
}

fn binding(conf: &str, kind: ConfigBindingKind, name: &str, key: Option<&str>) -> ConfigBinding {
    ConfigBinding {
        configuration: conf.into(),
        kind,
        name: name.into(),
        key: key.map(str::to_string),
        format: key.map(|_| ConfigFormat::Yaml),
    }
}

fn target(bindings: Vec<ConfigBinding>) -> Target {
    Target {
        service_name: Some("svc".into()),
        config_bindings: bindings,
        ..Target::default()
    }
}

fn found(key: &str, value: &[u8]) -> Observed<ConfigObject> {
    Observed::Found(ConfigObject {
        keys: vec![key.into()],
        value: Some(value.to_vec()),
    })
}

fn world(objects: Vec<Observed<ConfigObject>>) -> ObservedConfig {
    ObservedConfig {
        objects,
        schemas: Some(contract().1),
    }
}

fn cm(conf: &str) -> ConfigBinding {
    binding(conf, ConfigBindingKind::ConfigMap, "app", Some("app.yaml"))
}

#[test]
fn a_valid_value_and_an_existing_object_pass() {
    let (c, _) = contract();
    let t = target(vec![
        cm("app"),
        binding("creds", ConfigBindingKind::Secret, "creds", None),
    ]);
    let obs = world(vec![
        found("app.yaml", b"port: 8080\nmode: fast\n"),
        Observed::Found(ConfigObject::default()),
    ]);
    let r = valid(&c, &t, &obs);
    assert_eq!(r.outcome, Outcome::Pass, "{r:?}");
    assert_eq!(r.check, Check::ConfigurationValid);
    assert!(r.findings.is_empty());
}

#[test]
fn a_missing_required_object_is_absent_and_an_optional_one_is_fine() {
    let (c, _) = contract();
    let r = valid(
        &c,
        &target(vec![cm("app")]),
        &world(vec![Observed::Missing]),
    );
    assert_eq!((r.outcome, r.severity), (Outcome::Fail, Severity::Error));
    assert_eq!(r.reason, reasons::CONFIGURATION_ABSENT);
    let f = &r.findings[0];
    assert_eq!(f.code, codes::CONFIGURATION_ABSENT);
    assert_eq!(f.subject.as_deref(), Some("ConfigMap/app"));
    assert_eq!(f.contract_path.as_deref(), Some("configurations[0]"));
    assert!(f.message.contains("does not exist"), "{}", f.message);

    let r = valid(
        &c,
        &target(vec![cm("extras")]),
        &world(vec![Observed::Missing]),
    );
    assert_eq!(r.outcome, Outcome::Pass, "{r:?}");
    assert!(r.message.contains("optional"), "{}", r.message);
}

#[test]
fn a_missing_key_of_a_required_configuration_is_absent() {
    let (c, _) = contract();
    let obs = world(vec![Observed::Found(ConfigObject {
        keys: vec!["other".into()],
        value: None,
    })]);
    let r = valid(&c, &target(vec![cm("app")]), &obs);
    assert_eq!(r.outcome, Outcome::Fail);
    assert!(r.findings[0].message.contains("has no key \"app.yaml\""));
}

#[test]
fn existence_only_needs_no_value() {
    let (c, _) = contract();
    let b = binding("app", ConfigBindingKind::ConfigMap, "app", None);
    let obs = world(vec![Observed::Found(ConfigObject::default())]);
    assert_eq!(valid(&c, &target(vec![b]), &obs).outcome, Outcome::Pass);
}

#[test]
fn values_that_do_not_decode_are_mismatches() {
    let (c, _) = contract();
    let r = valid(
        &c,
        &target(vec![cm("app")]),
        &world(vec![found("app.yaml", b"port: [1")]),
    );
    assert_eq!(r.reason, reasons::CONFIGURATION_INVALID);
    assert_eq!(r.findings[0].code, codes::CONFIGURATION_MISMATCH);
    assert!(r.findings[0].message.contains("does not decode as yaml"));
    assert!(r.findings[0].message.contains("configBindings[0]"));
    let mut b = cm("app");
    b.format = Some(ConfigFormat::Json);
    let r = valid(
        &c,
        &target(vec![b]),
        &world(vec![found("app.yaml", b"port: 1")]),
    );
    assert!(
        r.findings[0].message.contains("does not decode as json"),
        "{r:?}"
    );
}

#[test]
fn each_schema_error_is_a_finding_with_its_json_pointer() {
    let (c, _) = contract();
    let obs = world(vec![found("app.yaml", b"port: 70000\nmode: slow\n")]);
    let r = valid(&c, &target(vec![cm("app")]), &obs);
    assert_eq!((r.outcome, r.severity), (Outcome::Fail, Severity::Error));
    assert_eq!(r.findings.len(), 2, "{:?}", r.findings);
    assert!(
        r.findings
            .iter()
            .all(|f| f.code == codes::CONFIGURATION_MISMATCH
                && f.contract_path.as_deref() == Some("configurations[0].schema"))
    );
    assert!(r.findings.iter().any(|f| f.message.contains("at /port")));
    assert!(r.findings.iter().any(|f| f.message.contains("at /mode")));
    // A ConfigMap's value may be quoted.
    assert!(r.findings.iter().any(|f| f.message.contains("70000")));
}

#[test]
fn a_secret_value_is_never_quoted() {
    let (c, _) = contract();
    let mut b = binding("app", ConfigBindingKind::Secret, "s", Some("v"));
    b.format = None; // a Secret without format reads as YAML (and JSON)
    let obs = world(vec![found("v", br#"{"port": 99999, "mode": "hunter2"}"#)]);
    let r = valid(&c, &target(vec![b]), &obs);
    assert_eq!(r.findings.len(), 2, "{:?}", r.findings);
    for f in &r.findings {
        assert!(
            !f.message.contains("hunter2") && !f.message.contains("99999"),
            "{}",
            f.message
        );
    }
    assert!(!r.message.contains("hunter2"));
    let obs = world(vec![found("v", b"{\"mode\": hunter2")]);
    let mut b = binding("app", ConfigBindingKind::Secret, "s", Some("v"));
    b.format = Some(ConfigFormat::Json);
    let r = valid(&c, &target(vec![b]), &obs);
    assert!(
        !r.findings[0].message.contains("hunter2"),
        "{}",
        r.findings[0].message
    );
}

#[test]
fn an_unreadable_secret_is_unknown_not_non_compliant() {
    let (c, _) = contract();
    let why = "the chart's RBAC does not allow reading Secret creds: add it to operator.configBindings.secrets";
    let b = binding("creds", ConfigBindingKind::Secret, "creds", None);
    let r = valid(
        &c,
        &target(vec![b]),
        &world(vec![Observed::Unobservable(why.into())]),
    );
    assert_eq!(r.outcome, Outcome::Unknown);
    assert_eq!(r.reason, reasons::OBSERVATION_FAILED);
    assert_eq!(r.findings[0].code, codes::COLLECTION_FAILED);
    assert_eq!(r.findings[0].severity, FindingSeverity::Unknown);
    assert!(
        r.message.contains("operator.configBindings.secrets"),
        "{}",
        r.message
    );
}

#[test]
fn a_binding_to_an_undeclared_configuration_fails() {
    let (c, _) = contract();
    let r = valid(
        &c,
        &target(vec![cm("nope")]),
        &world(vec![Observed::Missing]),
    );
    assert_eq!(r.outcome, Outcome::Fail);
    let f = &r.findings[0];
    assert_eq!(f.code, codes::CONFIGURATION_MISMATCH);
    assert_eq!(
        f.contract_path.as_deref(),
        Some("spec.target.configBindings[0].configuration")
    );
    assert!(f.message.contains("app, extras, creds"), "{}", f.message);
}

#[test]
fn an_oversize_value_is_refused_with_the_limit() {
    let (c, _) = contract();
    let big = vec![b'a'; MAX_VALUE_BYTES + 1];
    let r = valid(
        &c,
        &target(vec![cm("app")]),
        &world(vec![found("app.yaml", &big)]),
    );
    assert_eq!(r.outcome, Outcome::Fail);
    assert!(
        r.findings[0].message.contains("limit"),
        "{}",
        r.findings[0].message
    );
}

#[test]
fn without_a_bundled_schema_only_the_syntax_is_checked() {
    let (c, _) = contract();
    let b = binding("creds", ConfigBindingKind::Secret, "creds", Some("k"));
    let r = valid(
        &c,
        &target(vec![b]),
        &world(vec![found("k", b"anything: 1")]),
    );
    assert_eq!(r.outcome, Outcome::Pass);
    assert!(r.message.contains("syntax only"), "{}", r.message);
}

fn deployment(spec: serde_json::Value) -> Workload {
    Workload::Deployment(
        serde_json::from_value(serde_json::json!({
            "metadata": {"name": "svc"},
            "spec": {"selector": {}, "template": {"spec": spec}}
        }))
        .map(|d: Deployment| d)
        .expect("deployment"),
    )
}

#[test]
fn an_unmounted_object_is_a_warning_naming_object_and_workload() {
    let bindings = vec![
        cm("app"),
        binding("creds", ConfigBindingKind::Secret, "creds", None),
    ];
    let w = deployment(serde_json::json!({
        "containers": [{"name": "c", "envFrom": [{"configMapRef": {"name": "app"}}]}]
    }));
    let r = mounted(&bindings, &[], &w, w.pod_spec().expect("pod"));
    assert_eq!((r.outcome, r.severity), (Outcome::Fail, Severity::Warning));
    assert_eq!(r.reason, reasons::NOT_MOUNTED);
    assert_eq!(r.findings.len(), 1);
    let f = &r.findings[0];
    assert_eq!(f.severity, FindingSeverity::Warning);
    assert_eq!(f.subject.as_deref(), Some("Secret/creds"));
    assert!(f.message.contains("Deployment/svc"), "{}", f.message);

    for spec in [
        serde_json::json!({"containers": [{"name": "c"}], "volumes": [
            {"name": "a", "configMap": {"name": "app"}},
            {"name": "b", "secret": {"secretName": "creds"}}]}),
        serde_json::json!({"containers": [{"name": "c"}], "volumes": [
            {"name": "a", "projected": {"sources": [{"configMap": {"name": "app"}}, {"secret": {"name": "creds"}}]}}]}),
        serde_json::json!({"containers": [{"name": "c", "env": [
            {"name": "X", "valueFrom": {"configMapKeyRef": {"name": "app", "key": "k"}}}]}],
            "initContainers": [{"name": "i", "envFrom": [{"secretRef": {"name": "creds"}}]}]}),
    ] {
        let w = deployment(spec);
        let r = mounted(&bindings, &[], &w, w.pod_spec().expect("pod"));
        assert_eq!(r.outcome, Outcome::Pass, "{r:?}");
    }
    // An absent object need not be mounted.
    let w = deployment(serde_json::json!({"containers": [{"name": "c"}]}));
    let objects = [Observed::Missing, Observed::Missing];
    let r = mounted(&bindings, &objects, &w, w.pod_spec().expect("pod"));
    assert_eq!(r.outcome, Outcome::Pass, "{r:?}");
}

#[test]
fn no_bindings_no_checks_and_no_workload_no_mount_check() {
    let (c, s) = contract();
    let obs = ObservedConfig {
        objects: Vec::new(),
        schemas: Some(s),
    };
    assert!(check(&c, &target(Vec::new()), &obs, None).is_empty());
    let obs = world(vec![Observed::Missing]);
    let r = check(&c, &target(vec![cm("app")]), &obs, None);
    assert_eq!(r.len(), 1);
    // An object not read at all is not observed (never a silent pass).
    let r = valid(&c, &target(vec![cm("app")]), &ObservedConfig::default());
    assert_eq!(r.outcome, Outcome::Unknown);
}
