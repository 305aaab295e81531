//! Diff two OpenAPI documents of 2,000 paths each (target < 100 ms).
//!
//! The specs are realistic: every path has GET and POST, path/query/header parameters,
//! a JSON request body and several responses referencing shared component schemas.
//! The new version changes about one path in ten (removed methods, new required
//! parameters, changed schemas) so the differ does real work.

use criterion::{Criterion, criterion_group, criterion_main};
use pacto_core::diff::diff_openapi;
use serde_json::{Map, Value, json};
use std::hint::black_box;

const PATHS: usize = 2_000;

fn components(version: u32) -> Value {
    let mut schemas = Map::new();
    for i in 0..50 {
        let mut props = json!({
            "id": {"type": "string", "format": "uuid"},
            "name": {"type": "string", "maxLength": 120},
            "createdAt": {"type": "string", "format": "date-time"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "owner": {"$ref": "#/components/schemas/Owner"},
            "status": {"type": "string", "enum": ["active", "disabled"]}
        });
        // v2: every tenth schema gains a field and narrows an enum.
        if version == 2 && i % 10 == 0 {
            props["priority"] = json!({"type": "integer"});
            props["status"] = json!({"type": "string", "enum": ["active"]});
        }
        schemas.insert(
            format!("Resource{i}"),
            json!({"type": "object", "required": ["id", "name"], "properties": props}),
        );
    }
    schemas.insert(
        "Owner".into(),
        json!({"type": "object", "properties": {"team": {"type": "string"}, "email": {"type": "string"}}}),
    );
    schemas.insert(
        "Error".into(),
        json!({"type": "object", "required": ["code"], "properties": {"code": {"type": "integer"}, "message": {"type": "string"}}}),
    );
    json!({"schemas": schemas})
}

fn spec(version: u32) -> Value {
    let mut paths = Map::new();
    for i in 0..PATHS {
        let schema = json!({"$ref": format!("#/components/schemas/Resource{}", i % 50)});
        let changed = version == 2 && i % 10 == 3;
        let mut get_params = vec![
            json!({"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}),
            json!({"name": "cursor", "in": "query", "schema": {"type": "string"}}),
        ];
        if changed {
            get_params.push(json!({"name": "X-Tenant", "in": "header", "required": true, "schema": {"type": "string"}}));
        }
        let mut item = json!({
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "get": {
                "operationId": format!("get{i}"),
                "parameters": get_params,
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": schema}},
                            "headers": {"X-Rate-Limit": {"schema": {"type": "integer"}}}},
                    "404": {"description": "not found", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
                }
            },
            "post": {
                "operationId": format!("post{i}"),
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["name"],
                    "properties": {"name": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}}}
                }}}},
                "responses": {
                    "201": {"description": "created", "content": {"application/json": {"schema": schema}}},
                    "400": {"description": "bad", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
                }
            }
        });
        if changed && let Some(m) = item.as_object_mut() {
            m.remove("post");
        }
        let key = format!("/v1/resources{i}/{{id}}");
        paths.insert(key, item);
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "bench", "version": format!("{version}.0.0")},
        "paths": paths,
        "components": components(version)
    })
}

fn bench(c: &mut Criterion) {
    let (old, new) = (spec(1), spec(2));
    let changes = diff_openapi(&old, &new);
    println!(
        "openapi_diff: {PATHS} paths each, {} changes",
        changes.len()
    );
    c.bench_function("diff_openapi 2000 paths", |b| {
        b.iter(|| diff_openapi(black_box(&old), black_box(&new)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
