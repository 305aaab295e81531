//! The OpenAPI document is generated from the code; these tests keep it from drifting:
//! its paths are exactly the served API routes, and real answers validate against it.

mod common;

use common::*;
use pacto_dashboard::server::API_ROUTES;
use serde_json::{Value, json};
use std::collections::BTreeSet;

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

fn response_schema(doc: &Value, path: &str, method: &str) -> Value {
    doc["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"].clone()
}

#[tokio::test]
async fn document_lists_exactly_the_api_routes() {
    let a = app().await;
    let doc = get(&a.router, "/api/openapi.json").await.json();
    let documented: BTreeSet<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let served: BTreeSet<&str> = API_ROUTES.iter().copied().collect();
    assert_eq!(documented, served);
    // Every documented route is really served (not the 404 fallback).
    for p in API_ROUTES {
        let uri = p
            .replace("{name}", "product-catalog")
            .replace("{version}", "1.3.0");
        let uri = match uri.as_str() {
            "/api/diff" => "/api/diff?from=product-catalog@1.3.0&to=product-catalog@2.0.0".into(),
            "/api/impact" => "/api/impact?service=product-catalog".into(),
            _ => uri,
        };
        if uri == "/api/events" {
            continue; // a stream; covered by the events test
        }
        let r = get(&a.router, &uri).await;
        let expected_method_only = *p == "/api/refresh";
        assert!(
            r.status.is_success() || (expected_method_only && r.status == 405),
            "{uri}: {} {}",
            r.status,
            r.body
        );
    }
}

#[tokio::test]
async fn real_answers_match_the_documented_schemas() {
    let a = app().await;
    let doc = get(&a.router, "/api/openapi.json").await.json();
    let cases = [
        ("/api/services", "/api/services"),
        ("/api/services/{name}", "/api/services/payments-api"),
        ("/api/services/{name}", "/api/services/order-processor"),
        // 2.0 contracts: capabilities, required configurations, readiness claims.
        ("/api/services/{name}", "/api/services/ledger-api"),
        ("/api/services/{name}", "/api/services/audit-trail"),
        (
            "/api/services/{name}/versions",
            "/api/services/product-catalog/versions",
        ),
        (
            "/api/services/{name}/versions/{version}",
            "/api/services/product-catalog/versions/1.3.0",
        ),
        (
            "/api/services/{name}/sources",
            "/api/services/product-catalog/sources",
        ),
        (
            "/api/services/{name}/dependents",
            "/api/services/postgresql/dependents",
        ),
        (
            "/api/services/{name}/graph",
            "/api/services/payments-api/graph",
        ),
        ("/api/graph", "/api/graph"),
        (
            "/api/diff",
            "/api/diff?from=product-catalog@1.3.0&to=product-catalog@2.0.0",
        ),
        ("/api/impact", "/api/impact?service=product-catalog"),
        (
            "/api/impact",
            "/api/impact?service=payments-api&from=2.1.0&to=2.1.0",
        ),
        ("/api/sources", "/api/sources"),
    ];
    for (path, uri) in cases {
        let schema = response_schema(&doc, path, "get");
        assert!(!schema.is_null(), "{path} has no 200 JSON schema");
        let r = get(&a.router, uri).await;
        validate(&doc, schema, &r.json());
    }
    // Error bodies too.
    let nf = get(&a.router, "/api/services/nope").await.json();
    validate(&doc, json!({"$ref": "#/components/schemas/ApiError"}), &nf);
    let bad = get(&a.router, "/api/impact").await.json();
    validate(&doc, json!({"$ref": "#/components/schemas/ApiError"}), &bad);
}
