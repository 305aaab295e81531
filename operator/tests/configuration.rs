//! The live configuration checks inside a whole evaluation (fixtures world): status, coverage,
//! findings and their counts agree with the headline.

mod fixtures;

use std::sync::Arc;

use fixtures::*;
use pacto_core::validate::config_value::ConfigSchemas;
use pacto_crds::status::FindingSeverity;
use pacto_crds::{ConfigBinding, ConfigBindingKind, ConfigFormat, ContractStatus};
use pacto_operator::eval::{Check, ConfigObject, Evaluation, Observed, ObservedConfig};

const SCHEMA: &str =
    r#"{"type":"object","required":["port"],"properties":{"port":{"type":"integer"}}}"#;

/// The base world with a configuration `app` bound to ConfigMap `app` (key `app.yaml`), which
/// the Deployment mounts, holding `value`.
fn world(value: Observed<ConfigObject>) -> World {
    let mut w = World::base();
    w.contract["configurations"] = serde_json::json!([
        {"name": "app", "schema": "configuration/app.json"}
    ]);
    w.bundle
        .insert("configuration/app.json", SCHEMA.as_bytes().to_vec());
    w.workload_mut()["spec"]["template"]["spec"]["volumes"] =
        serde_json::json!([{"name": "app", "configMap": {"name": "app"}}]);
    if let Some(t) = w.target.as_mut() {
        t.config_bindings = vec![ConfigBinding {
            configuration: "app".into(),
            kind: ConfigBindingKind::ConfigMap,
            name: "app".into(),
            key: Some("app.yaml".into()),
            format: Some(ConfigFormat::Yaml),
        }];
    }
    let contract = w.validate().contract.expect("contract");
    w.configuration = ObservedConfig {
        objects: vec![value],
        schemas: Some(Arc::new(ConfigSchemas::compile(&contract, &w.bundle))),
    };
    w
}

fn value(text: &str) -> Observed<ConfigObject> {
    Observed::Found(ConfigObject {
        keys: vec!["app.yaml".into()],
        value: Some(text.as_bytes().to_vec()),
    })
}

fn coverage(e: &Evaluation) -> (i32, i32) {
    let c = e.status.evaluation_coverage.as_ref().expect("coverage");
    (c.evaluated, c.required)
}

fn codes(e: &Evaluation) -> Vec<(String, FindingSeverity)> {
    e.status
        .findings
        .iter()
        .filter(|f| f.severity != FindingSeverity::Info)
        .map(|f| (f.code.clone(), f.severity))
        .collect()
}

#[test]
fn bound_valid_and_mounted_configuration_is_compliant_with_full_coverage() {
    let e = world(value("port: 8080\n")).eval();
    assert_eq!(e.status.contract_status, Some(ContractStatus::Compliant));
    assert_eq!(cond(&e, "ConfigurationValid").status, "True");
    assert_eq!(cond(&e, "ConfigurationMounted").status, "True");
    let ran = e
        .checks
        .iter()
        .filter(|r| r.check != Check::ContractResolved)
        .count() as i32;
    assert_eq!(coverage(&e), (ran, ran), "{:?}", e.checks);
    assert!(codes(&e).is_empty(), "{:?}", e.status.findings);
}

#[test]
fn each_failure_alone_gives_its_finding_and_status() {
    let e = world(value("port: eighty\n")).eval();
    assert_eq!(e.status.contract_status, Some(ContractStatus::NonCompliant));
    assert_eq!(
        codes(&e),
        vec![("CONFIGURATION_MISMATCH".to_string(), FindingSeverity::Error)]
    );
    assert!(e.status.findings[0].message.contains("/port"));

    let e = world(Observed::Missing).eval();
    assert_eq!(e.status.contract_status, Some(ContractStatus::NonCompliant));
    assert_eq!(
        codes(&e),
        vec![("CONFIGURATION_ABSENT".to_string(), FindingSeverity::Error)]
    );

    let e = world(Observed::Unobservable("forbidden".into())).eval();
    assert_eq!(e.status.contract_status, Some(ContractStatus::Unknown));
    assert_eq!(
        codes(&e),
        vec![("COLLECTION_FAILED".to_string(), FindingSeverity::Unknown)]
    );

    let mut w = world(value("port: 8080\n"));
    w.workload_mut()["spec"]["template"]["spec"]["volumes"] = serde_json::json!([]);
    let e = w.eval();
    assert_eq!(e.status.contract_status, Some(ContractStatus::Warning));
    assert_eq!(
        codes(&e),
        vec![("CONFIGURATION_ABSENT".to_string(), FindingSeverity::Warning)]
    );
    assert_eq!(cond(&e, "ConfigurationMounted").reason, "NotMounted");
}

#[test]
fn a_broken_configuration_is_held_by_the_stabilization_window_then_fails() {
    use pacto_crds::status::ObservationKind;
    let window = std::time::Duration::from_secs(120);
    let ok = world(value("port: 8080\n")).eval();
    let mut w = world(value("port: eighty\n"));
    w.settings.stabilization_window = window;
    w.previous = Some(ok.status.clone());
    let held = w.eval();
    assert_eq!(held.status.contract_status, Some(ContractStatus::Compliant));
    let windows = &held.status.observation_windows;
    assert_eq!(windows.len(), 1, "{windows:?}");
    assert_eq!(windows[0].kind, ObservationKind::Configuration);
    assert_eq!(windows[0].subject, "ConfigMap/app");
    // Once it lasted the window: NonCompliant.
    w.previous = Some(held.status.clone());
    w.now = time(w.now.0.as_second() + 120);
    let e = w.eval();
    assert_eq!(e.status.contract_status, Some(ContractStatus::NonCompliant));
}
