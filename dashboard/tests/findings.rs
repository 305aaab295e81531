//! The operator's newest status fields (findings, severity counts, evaluation coverage,
//! observation windows, capabilities, readiness score) and the spec's interface and
//! configuration bindings: on the service page of every instance, escaped, and in the API
//! under its documented schema.

mod common;

use axum::http::StatusCode;
use common::*;
use pacto_dashboard::model::RuntimeRecord;
use pacto_dashboard::snapshot::Snapshot;
use serde_json::{Value, json};
use std::sync::Arc;

const HOSTILE: &str = "<script>window.__pwned='finding'</script><img src=x onerror=alert(1)>";

fn ledger(ns: &str, object: &str, message: &str) -> RuntimeRecord {
    let status: pacto_crds::PactoStatus = serde_json::from_value(json!({
        "contractStatus": "NonCompliant",
        "contractVersion": "1.3.0",
        "contract": { "serviceName": "ledger-api", "version": "1.3.0" },
        "summary": { "total": 5, "passed": 3, "failed": 2,
                     "errorCount": 1, "warningCount": 1, "infoCount": 2, "unknownCount": 0 },
        "evaluationCoverage": { "evaluated": 4, "required": 5 },
        "findings": [
            { "code": "CONFIG_MISSING", "severity": "warning", "category": "Configuration",
              "subject": "default", "contractPath": "configurations[0]",
              "message": "ConfigMap ledger-config not found" },
            { "code": "INTERFACE_ABSENT", "severity": "error", "category": "RuntimeDrift",
              "subject": "rest-api", "contractPath": "interfaces[0]", "message": message,
              "evidenceRefs": [{ "source": "k8s", "observedAt": "2026-01-01T00:00:00Z" }] },
            { "code": "CAPABILITY_UNVERIFIED", "severity": "info", "category": "Capability",
              "message": "extension example.com/audit-log is not checked" },
        ],
        "observationWindows": [
            { "kind": "dependency", "subject": "postgresql",
              "firstObservedNegativeAt": "2026-01-01T00:00:00Z" }
        ],
        "capabilities": [
            { "type": "health" }, { "type": "metrics" },
            { "type": "extension", "ref": "example.com/audit-log" }
        ],
        "readiness": { "score": 85, "minScore": 75, "passing": true, "totalWeight": 100,
                       "earnedWeight": 85, "expires": "2027-09-30" },
    }))
    .unwrap();
    let target: pacto_crds::Target = serde_json::from_value(json!({
        "serviceName": "ledger-api",
        "interfaceBindings": [{ "interface": "rest-api", "servicePort": 8080 }],
        "configBindings": [
            { "configuration": "default", "kind": "ConfigMap", "name": "ledger-config",
              "key": "config.yaml", "format": "yaml" },
            { "configuration": "secrets", "kind": "Secret", "name": "ledger-secrets" }
        ],
    }))
    .unwrap();
    RuntimeRecord {
        namespace: ns.into(),
        object: object.into(),
        service: "ledger-api".into(),
        status: Arc::new(status),
        target: Some(Arc::new(target)),
    }
}

async fn app_with_ledger(message: &str) -> App {
    let a = app().await;
    let mut inputs = a.state.sources.collect(false).await;
    inputs.runtime = vec![ledger("finance", "ledger-api", message)];
    let id = a.state.snapshot().id + 1;
    assert!(a.state.publish(Snapshot::build(id, inputs)));
    a
}

fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let rest = html
        .split_once(&format!(" id=\"{id}\""))
        .map(|x| x.1)
        .unwrap_or_else(|| panic!("no section {id}"));
    rest.split_once("</section>").map_or(rest, |x| x.0)
}

#[tokio::test]
async fn findings_counts_coverage_windows_and_bindings_are_on_the_page() {
    let a = app_with_ledger("Service port for rest-api not found").await;
    let r = get(&a.router, "/services/ledger-api").await;
    assert_eq!(r.status, StatusCode::OK);
    let f = section(&r.body, "findings");
    assert!(f.contains("data-instance=\"finance/ledger-api\""), "{f}");
    // Most severe first, whatever order the status had.
    let codes: Vec<&str> = f
        .split("data-code=\"")
        .skip(1)
        .filter_map(|x| x.split('"').next())
        .collect();
    assert_eq!(
        codes,
        [
            "INTERFACE_ABSENT",
            "CONFIG_MISSING",
            "CAPABILITY_UNVERIFIED"
        ]
    );
    assert!(f.contains("<tr class=\"finding sev-error\" data-severity=\"error\""));
    assert!(f.contains("<code>interfaces[0]</code>"));
    assert!(f.contains("<span class=\"sev sev-error\" data-count=\"1\">1 error</span>"));
    assert!(f.contains("<span class=\"sev sev-info\" data-count=\"2\">2 info</span>"));
    assert!(f.contains("Coverage 4/5"), "{f}");
    assert!(f.contains("Open observation windows"));
    assert!(f.contains("<td>dependency</td><td>postgresql</td>"), "{f}");

    let rt = section(&r.body, "runtime");
    assert!(
        rt.contains("<td><code>rest-api</code></td><td>→ <code>8080</code></td>"),
        "{rt}"
    );
    assert!(
        rt.contains("→ <code>ConfigMap/ledger-config[config.yaml]</code></td><td>yaml</td>"),
        "{rt}"
    );
    assert!(rt.contains("→ <code>Secret/ledger-secrets</code></td><td></td>"));
    assert!(
        rt.contains("Readiness score <strong>85</strong> (gate 75)"),
        "{rt}"
    );
    assert!(rt.contains("<span class=\"pill\">extension example.com/audit-log</span>"));
    // The contract's readiness section names each instance's score.
    let ready = section(&r.body, "readiness");
    assert!(ready.contains("<code>finance/ledger-api</code>: score <strong>85</strong> / 75"));
    // Capabilities come from the 2.0 contract.
    let caps = section(&r.body, "capabilities");
    assert_eq!(caps.matches("<tr class=\"capability\"").count(), 3);
}

#[tokio::test]
async fn a_hostile_finding_is_escaped() {
    let a = app_with_ledger(HOSTILE).await;
    let page = get(&a.router, "/services/ledger-api").await.body;
    assert!(
        !page.contains("<script>window.__pwned"),
        "unescaped finding"
    );
    assert!(!page.contains("<img src=x"), "unescaped finding");
    assert!(
        page.contains("&lt;script&gt;window.__pwned='finding'&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"),
        "finding message not shown escaped"
    );
    assert_eq!(page.matches("<script").count(), 1);
}

fn validate(doc: &Value, schema_ref: Value, instance: &Value) {
    let mut schema = schema_ref;
    schema["components"] = doc["components"].clone();
    let v = jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("bad schema: {e}"));
    let errors: Vec<String> = v
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[tokio::test]
async fn the_api_has_them_under_the_documented_schema() {
    let a = app_with_ledger("m").await;
    let d = get(&a.router, "/api/services/ledger-api").await.json();
    let r = &d["runtime"][0];
    assert_eq!(r["findings"][0]["code"], "INTERFACE_ABSENT");
    assert_eq!(
        r["findings"][0]["evidence"],
        json!([{"source": "k8s", "observedAt": "2026-01-01T00:00:00Z"}])
    );
    assert_eq!(
        r["severityCounts"],
        json!({"error": 1, "warning": 1, "info": 2, "unknown": 0})
    );
    assert_eq!(r["coverage"], json!({"evaluated": 4, "required": 5}));
    assert_eq!(r["observationWindows"][0]["kind"], "dependency");
    assert_eq!(
        r["capabilities"][2],
        json!({"type": "extension", "ref": "example.com/audit-log"})
    );
    assert_eq!(r["readiness"]["score"], 85);
    assert_eq!(
        r["interfaceBindings"],
        json!([{"interface": "rest-api", "servicePort": 8080}])
    );
    assert_eq!(
        r["configBindings"],
        json!([
            {"configuration": "default", "kind": "ConfigMap", "name": "ledger-config",
             "key": "config.yaml", "format": "yaml"},
            {"configuration": "secrets", "kind": "Secret", "name": "ledger-secrets",
             "key": null, "format": null},
        ])
    );
    assert_eq!(d["sectionMeta"]["findings"]["state"], "present");
    let doc = get(&a.router, "/api/openapi.json").await.json();
    let schema = doc["paths"]["/api/services/{name}"]["get"]["responses"]["200"]["content"]
        ["application/json"]["schema"]
        .clone();
    validate(&doc, schema, &d);
    for name in [
        "FindingView",
        "SeverityCounts",
        "InterfaceBindingView",
        "ConfigBindingView",
    ] {
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{name} not in the document"
        );
    }
}
