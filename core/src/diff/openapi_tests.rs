//! One test per OpenAPI rule (reference/contract.md §5.4 plus our direction rules).

use super::*;
use serde_json::{Value, json};

fn spec(paths: Value) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": {
            "User": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string"}, "name": {"type": "string"}}}
        }}
    })
}

fn find<'a>(changes: &'a [Change], path: &str) -> &'a Change {
    changes
        .iter()
        .find(|c| c.path == path)
        .unwrap_or_else(|| panic!("no change at {path}; got {changes:#?}"))
}

fn assert_one(changes: &[Change], path: &str, ct: ChangeType, cls: Classification) {
    assert_eq!(
        changes.len(),
        1,
        "expected exactly one change, got {changes:#?}"
    );
    let c = find(changes, path);
    assert_eq!((c.change_type, c.classification), (ct, cls), "{c:#?}");
}

fn users_get(op: Value) -> Value {
    spec(json!({"/users": {"get": op}}))
}

fn ok_response() -> Value {
    json!({"200": {"description": "ok"}})
}

#[test]
fn identical_specs_have_no_changes() {
    let s = users_get(json!({"responses": ok_response()}));
    assert!(diff_openapi(&s, &s).is_empty());
}

#[test]
fn path_added_is_non_breaking_and_removed_breaking() {
    let a = spec(json!({}));
    let b = spec(json!({"/users": {}}));
    assert_one(
        &diff_openapi(&a, &b),
        "openapi.paths[/users]",
        ChangeType::Added,
        Classification::NonBreaking,
    );
    let removed = diff_openapi(&b, &a);
    assert_one(
        &removed,
        "openapi.paths[/users]",
        ChangeType::Removed,
        Classification::Breaking,
    );
    assert_eq!(removed[0].old_value, Some(json!("/users")));
}

#[test]
fn method_removed_is_breaking_with_reference_wording() {
    let a = spec(
        json!({"/users": {"get": {"responses": ok_response()}, "delete": {"responses": ok_response()}}}),
    );
    let b = spec(json!({"/users": {"get": {"responses": ok_response()}}}));
    let changes = diff_openapi(&a, &b);
    assert_one(
        &changes,
        "openapi.paths[/users].methods[DELETE]",
        ChangeType::Removed,
        Classification::Breaking,
    );
    assert_eq!(changes[0].reason, "DELETE /users method removed");
    assert_eq!(changes[0].old_value, Some(json!("DELETE /users")));
    let added = diff_openapi(&b, &a);
    assert_one(
        &added,
        "openapi.paths[/users].methods[DELETE]",
        ChangeType::Added,
        Classification::NonBreaking,
    );
}

#[test]
fn non_method_keys_are_not_methods() {
    let a = spec(json!({"/users": {"summary": "a", "x-internal": true}}));
    let b = spec(json!({"/users": {"summary": "b"}}));
    assert!(diff_openapi(&a, &b).is_empty());
}

#[test]
fn optional_parameter_added_is_potential() {
    let a = users_get(json!({"responses": ok_response()}));
    let b = users_get(
        json!({"parameters": [{"name": "filter", "in": "query"}], "responses": ok_response()}),
    );
    let changes = diff_openapi(&a, &b);
    assert_one(
        &changes,
        "openapi.paths[/users].methods[GET].parameters[filter:query]",
        ChangeType::Added,
        Classification::PotentialBreaking,
    );
    assert_eq!(
        changes[0].new_value,
        Some(json!("GET /users query param 'filter'"))
    );
}

#[test]
fn required_parameter_added_is_breaking() {
    let a = users_get(json!({"responses": ok_response()}));
    let b = users_get(
        json!({"parameters": [{"name": "X-Tenant", "in": "header", "required": true}], "responses": ok_response()}),
    );
    assert_one(
        &diff_openapi(&a, &b),
        "openapi.paths[/users].methods[GET].parameters[X-Tenant:header]",
        ChangeType::Added,
        Classification::Breaking,
    );
}

#[test]
fn parameter_removed_is_breaking() {
    let a = users_get(
        json!({"parameters": [{"name": "filter", "in": "query"}], "responses": ok_response()}),
    );
    let b = users_get(json!({"responses": ok_response()}));
    assert_one(
        &diff_openapi(&a, &b),
        "openapi.paths[/users].methods[GET].parameters[filter:query]",
        ChangeType::Removed,
        Classification::Breaking,
    );
}

#[test]
fn parameter_optional_to_required_is_breaking_and_back_is_not() {
    let a = users_get(
        json!({"parameters": [{"name": "filter", "in": "query"}], "responses": ok_response()}),
    );
    let b = users_get(
        json!({"parameters": [{"name": "filter", "in": "query", "required": true}], "responses": ok_response()}),
    );
    let path = "openapi.paths[/users].methods[GET].parameters[filter:query].required";
    assert_one(
        &diff_openapi(&a, &b),
        path,
        ChangeType::Modified,
        Classification::Breaking,
    );
    assert_one(
        &diff_openapi(&b, &a),
        path,
        ChangeType::Modified,
        Classification::NonBreaking,
    );
}

#[test]
fn parameter_other_modification_is_potential() {
    let a = users_get(
        json!({"parameters": [{"name": "ids", "in": "query", "style": "form"}], "responses": ok_response()}),
    );
    let b = users_get(
        json!({"parameters": [{"name": "ids", "in": "query", "style": "pipeDelimited", "description": "doc only"}], "responses": ok_response()}),
    );
    assert_one(
        &diff_openapi(&a, &b),
        "openapi.paths[/users].methods[GET].parameters[ids:query]",
        ChangeType::Modified,
        Classification::PotentialBreaking,
    );
}

#[test]
fn parameter_schema_is_diffed_as_input() {
    let a = users_get(
        json!({"parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}], "responses": ok_response()}),
    );
    let b = users_get(
        json!({"parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 50}}], "responses": ok_response()}),
    );
    // Lowering a request maximum rejects requests that used to pass.
    assert_one(
        &diff_openapi(&a, &b),
        "openapi.paths[/users].methods[GET].parameters[limit:query].schema.maximum",
        ChangeType::Modified,
        Classification::Breaking,
    );
}

#[test]
fn path_level_parameters_are_merged_into_operations() {
    let a = spec(
        json!({"/users/{id}": {"parameters": [{"name": "id", "in": "path", "required": true}], "get": {"responses": ok_response()}}}),
    );
    let b = spec(
        json!({"/users/{id}": {"get": {"parameters": [{"name": "id", "in": "path", "required": true}], "responses": ok_response()}}}),
    );
    assert!(
        diff_openapi(&a, &b).is_empty(),
        "moving a parameter to the operation is not a change"
    );
    let c = spec(
        json!({"/users/{id}": {"parameters": [{"name": "id", "in": "path", "required": true}, {"name": "v", "in": "query"}], "get": {"responses": ok_response()}}}),
    );
    assert_one(
        &diff_openapi(&a, &c),
        "openapi.paths[/users/{id}].methods[GET].parameters[v:query]",
        ChangeType::Added,
        Classification::PotentialBreaking,
    );
}

#[test]
fn parameter_refs_are_resolved() {
    let mut a = users_get(
        json!({"parameters": [{"$ref": "#/components/parameters/Filter"}], "responses": ok_response()}),
    );
    a["components"]["parameters"] = json!({"Filter": {"name": "filter", "in": "query"}});
    let mut b = a.clone();
    b["components"]["parameters"]["Filter"]["required"] = json!(true);
    assert_one(
        &diff_openapi(&a, &b),
        "openapi.paths[/users].methods[GET].parameters[filter:query].required",
        ChangeType::Modified,
        Classification::Breaking,
    );
}

fn post_body(schema: Value, required: bool) -> Value {
    spec(json!({"/users": {"post": {
        "requestBody": {"required": required, "content": {"application/json": {"schema": schema}}},
        "responses": ok_response()
    }}}))
}

#[test]
fn request_body_added_optional_potential_required_breaking_removed_potential() {
    let none = spec(json!({"/users": {"post": {"responses": ok_response()}}}));
    let opt = post_body(json!({"type": "object"}), false);
    let req = post_body(json!({"type": "object"}), true);
    let path = "openapi.paths[/users].methods[POST].request-body";
    assert_one(
        &diff_openapi(&none, &opt),
        path,
        ChangeType::Added,
        Classification::PotentialBreaking,
    );
    assert_one(
        &diff_openapi(&none, &req),
        path,
        ChangeType::Added,
        Classification::Breaking,
    );
    assert_one(
        &diff_openapi(&opt, &none),
        path,
        ChangeType::Removed,
        Classification::PotentialBreaking,
    );
    assert_one(
        &diff_openapi(&opt, &req),
        &format!("{path}.required"),
        ChangeType::Modified,
        Classification::Breaking,
    );
}

#[test]
fn request_required_field_added_is_breaking_removed_is_not() {
    let a = post_body(
        json!({"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "email": {"type": "string"}}}),
        true,
    );
    let b = post_body(
        json!({"type": "object", "required": ["name", "email"], "properties": {"name": {"type": "string"}, "email": {"type": "string"}}}),
        true,
    );
    let path = "openapi.paths[/users].methods[POST].request-body.content[application/json].schema.required[email]";
    assert_one(
        &diff_openapi(&a, &b),
        path,
        ChangeType::Added,
        Classification::Breaking,
    );
    assert_one(
        &diff_openapi(&b, &a),
        path,
        ChangeType::Removed,
        Classification::NonBreaking,
    );
}

#[test]
fn request_media_type_removed_is_breaking() {
    let a = spec(
        json!({"/users": {"post": {"requestBody": {"content": {"application/json": {}, "application/xml": {}}}, "responses": ok_response()}}}),
    );
    let b = spec(
        json!({"/users": {"post": {"requestBody": {"content": {"application/json": {}}}, "responses": ok_response()}}}),
    );
    assert_one(
        &diff_openapi(&a, &b),
        "openapi.paths[/users].methods[POST].request-body.content[application/xml]",
        ChangeType::Removed,
        Classification::Breaking,
    );
    assert_one(
        &diff_openapi(&b, &a),
        "openapi.paths[/users].methods[POST].request-body.content[application/xml]",
        ChangeType::Added,
        Classification::NonBreaking,
    );
}

#[test]
fn response_added_non_breaking_removed_breaking() {
    let a = users_get(
        json!({"responses": {"200": {"description": "ok"}, "404": {"description": "nf"}}}),
    );
    let b = users_get(json!({"responses": {"200": {"description": "ok"}}}));
    let changes = diff_openapi(&a, &b);
    assert_one(
        &changes,
        "openapi.paths[/users].methods[GET].responses[404]",
        ChangeType::Removed,
        Classification::Breaking,
    );
    assert_eq!(changes[0].old_value, Some(json!("GET /users response 404")));
    assert_one(
        &diff_openapi(&b, &a),
        "openapi.paths[/users].methods[GET].responses[404]",
        ChangeType::Added,
        Classification::NonBreaking,
    );
}

fn get_response(schema: Value) -> Value {
    users_get(
        json!({"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}}),
    )
}

#[test]
fn response_property_removed_breaking_added_non_breaking() {
    let a = get_response(json!({"$ref": "#/components/schemas/User"}));
    let mut b = a.clone();
    b["components"]["schemas"]["User"]["properties"]
        .as_object_mut()
        .map(|m| m.remove("name"));
    let path = "openapi.paths[/users].methods[GET].responses[200].content[application/json].schema.properties.name";
    assert_one(
        &diff_openapi(&a, &b),
        path,
        ChangeType::Removed,
        Classification::Breaking,
    );
    assert_one(
        &diff_openapi(&b, &a),
        path,
        ChangeType::Added,
        Classification::NonBreaking,
    );
}

#[test]
fn response_required_added_is_non_breaking() {
    let a = get_response(json!({"type": "object", "properties": {"id": {"type": "string"}}}));
    let b = get_response(
        json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}),
    );
    assert_one(
        &diff_openapi(&a, &b),
        "openapi.paths[/users].methods[GET].responses[200].content[application/json].schema.required[id]",
        ChangeType::Added,
        Classification::NonBreaking,
    );
}

#[test]
fn response_schema_and_media_type_removed_are_breaking() {
    let a = get_response(json!({"type": "object"}));
    let no_schema = users_get(
        json!({"responses": {"200": {"description": "ok", "content": {"application/json": {}}}}}),
    );
    let no_content = users_get(json!({"responses": {"200": {"description": "ok"}}}));
    assert_one(
        &diff_openapi(&a, &no_schema),
        "openapi.paths[/users].methods[GET].responses[200].content[application/json].schema",
        ChangeType::Removed,
        Classification::Breaking,
    );
    assert_one(
        &diff_openapi(&a, &no_content),
        "openapi.paths[/users].methods[GET].responses[200].content[application/json]",
        ChangeType::Removed,
        Classification::Breaking,
    );
}

#[test]
fn nested_response_change_is_potential() {
    let a = get_response(
        json!({"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}}}),
    );
    let b = get_response(
        json!({"type": "object", "properties": {"id": {"type": "string", "format": "ulid"}}}),
    );
    assert_one(
        &diff_openapi(&a, &b),
        "openapi.paths[/users].methods[GET].responses[200].content[application/json].schema.properties.id.format",
        ChangeType::Modified,
        Classification::PotentialBreaking,
    );
}

#[test]
fn response_type_change_is_breaking() {
    let a = get_response(json!({"type": "object", "properties": {"id": {"type": "string"}}}));
    let b = get_response(json!({"type": "object", "properties": {"id": {"type": "integer"}}}));
    assert_one(
        &diff_openapi(&a, &b),
        "openapi.paths[/users].methods[GET].responses[200].content[application/json].schema.properties.id.type",
        ChangeType::Modified,
        Classification::Breaking,
    );
}

#[test]
fn response_headers_never_exceed_potential() {
    let with = users_get(
        json!({"responses": {"200": {"description": "ok", "headers": {"X-Rate": {"schema": {"type": "integer"}}}}}}),
    );
    let without = users_get(json!({"responses": ok_response()}));
    let path = "openapi.paths[/users].methods[GET].responses[200].headers[X-Rate]";
    assert_one(
        &diff_openapi(&with, &without),
        path,
        ChangeType::Removed,
        Classification::PotentialBreaking,
    );
    assert_one(
        &diff_openapi(&without, &with),
        path,
        ChangeType::Added,
        Classification::NonBreaking,
    );
}

#[test]
fn recursive_schemas_terminate() {
    let mut a = get_response(json!({"$ref": "#/components/schemas/Node"}));
    a["components"]["schemas"]["Node"] = json!({"type": "object", "properties": {
        "child": {"$ref": "#/components/schemas/Node"}, "v": {"type": "string"}}});
    let mut b = a.clone();
    b["components"]["schemas"]["Node"]["properties"]["v"]["type"] = json!("integer");
    let changes = diff_openapi(&a, &b);
    assert!(!changes.is_empty());
    assert!(
        changes.iter().all(|c| c.path.ends_with(".v.type")),
        "{changes:#?}"
    );
}

#[test]
fn hostile_shapes_do_not_panic() {
    for (a, b) in [
        (json!(null), json!([1, 2])),
        (json!({"paths": []}), json!({"paths": {"/x": 5}})),
        (
            json!({"paths": {"/x": {"get": 1}}}),
            json!({"paths": {"/x": {"get": {"parameters": 3, "responses": []}}}}),
        ),
        (
            json!({"paths": {"/x": {"$ref": "#/paths/~1x"}}}),
            json!({"paths": {"/x": {"$ref": "#/nowhere"}}}),
        ),
    ] {
        let _ = diff_openapi(&a, &b);
        let _ = diff_openapi(&b, &a);
    }
}

#[test]
fn yaml_integer_status_codes_work() {
    let a: Value = serde_saphyr::from_str("paths:\n  /u:\n    get:\n      responses:\n        200: {description: ok}\n        404: {description: nf}\n").expect("yaml");
    let b: Value = serde_saphyr::from_str(
        "paths:\n  /u:\n    get:\n      responses:\n        200: {description: ok}\n",
    )
    .expect("yaml");
    assert_one(
        &diff_openapi(&a, &b),
        "openapi.paths[/u].methods[GET].responses[404]",
        ChangeType::Removed,
        Classification::Breaking,
    );
}

#[test]
fn output_is_sorted_by_path() {
    let a = spec(json!({"/b": {}, "/a": {}}));
    let b = spec(json!({}));
    let paths: Vec<_> = diff_openapi(&a, &b).into_iter().map(|c| c.path).collect();
    assert_eq!(paths, ["openapi.paths[/a]", "openapi.paths[/b]"]);
}
