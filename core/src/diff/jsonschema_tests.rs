//! JSON Schema diff rules per direction (see the table in `jsonschema.rs`).

use super::*;
use ChangeType::{Added, Modified, Removed};
use Classification::{Breaking as B, NonBreaking as N, PotentialBreaking as P};
use SchemaDirection::{Input, Output, Policy, Unknown};
use serde_json::{Value, json};

const PREFIX: &str = "configurations[default].schema";

fn one(old: &Value, new: &Value, dir: SchemaDirection) -> (String, ChangeType, Classification) {
    let changes = diff_json_schema(PREFIX, old, new, dir);
    assert_eq!(changes.len(), 1, "expected one change, got {changes:#?}");
    let c = &changes[0];
    (c.path.clone(), c.change_type, c.classification)
}

fn obj(props: Value, required: Value) -> Value {
    json!({"type": "object", "properties": props, "required": required})
}

#[test]
fn identical_schemas_have_no_changes() {
    let s = obj(json!({"port": {"type": "integer"}}), json!(["port"]));
    for dir in [Input, Output, Policy, Unknown] {
        assert!(diff_json_schema(PREFIX, &s, &s, dir).is_empty());
    }
}

#[test]
fn property_added_per_direction() {
    let a = obj(json!({}), json!([]));
    let b = obj(json!({"port": {"type": "integer"}}), json!([]));
    let path = format!("{PREFIX}.properties.port");
    for (dir, cls) in [(Input, N), (Output, N), (Policy, P), (Unknown, P)] {
        assert_eq!(one(&a, &b, dir), (path.clone(), Added, cls), "{dir:?}");
    }
}

#[test]
fn property_removed_per_direction() {
    let a = obj(json!({"port": {"type": "integer"}}), json!([]));
    let b = obj(json!({}), json!([]));
    let path = format!("{PREFIX}.properties.port");
    for (dir, cls) in [(Input, P), (Output, B), (Policy, P), (Unknown, P)] {
        assert_eq!(one(&a, &b, dir), (path.clone(), Removed, cls), "{dir:?}");
    }
}

#[test]
fn required_compared_as_a_set_per_direction() {
    let p = json!({"a": {}, "b": {}});
    let a = obj(p.clone(), json!(["a"]));
    let b = obj(p.clone(), json!(["b", "a"]));
    let reordered = obj(p, json!(["a"]));
    assert!(diff_json_schema(PREFIX, &a, &reordered, Unknown).is_empty());
    let path = format!("{PREFIX}.required[b]");
    for (dir, added, removed) in [
        (Input, B, N),
        (Output, N, P),
        (Policy, B, P),
        (Unknown, B, B),
    ] {
        assert_eq!(one(&a, &b, dir), (path.clone(), Added, added), "{dir:?}");
        assert_eq!(
            one(&b, &a, dir),
            (path.clone(), Removed, removed),
            "{dir:?}"
        );
    }
}

#[test]
fn new_required_key_in_config_breaks_deployers() {
    let a = obj(json!({"port": {"type": "integer"}}), json!([]));
    let b = obj(
        json!({"port": {"type": "integer"}, "dsn": {"type": "string"}}),
        json!(["dsn"]),
    );
    let changes = diff_json_schema(PREFIX, &a, &b, Input);
    assert_eq!(overall(&changes), B);
    assert!(
        changes
            .iter()
            .any(|c| c.path.ends_with("properties.dsn") && c.classification == N)
    );
    assert!(
        changes
            .iter()
            .any(|c| c.path.ends_with("required[dsn]") && c.classification == B)
    );
}

#[test]
fn type_change_unrelated_is_breaking_everywhere() {
    let a = json!({"type": "string"});
    let b = json!({"type": "integer"});
    for dir in [Input, Output, Policy, Unknown] {
        assert_eq!(
            one(&a, &b, dir),
            (format!("{PREFIX}.type"), Modified, B),
            "{dir:?}"
        );
    }
}

#[test]
fn type_widened_and_narrowed_depend_on_direction() {
    let int = json!({"type": "integer"});
    let num = json!({"type": "number"});
    let nullable = json!({"type": "integer", "nullable": true});
    let path = format!("{PREFIX}.type");
    // integer → number widens; → nullable widens.
    for (dir, widen, narrow) in [
        (Input, N, B),
        (Output, B, N),
        (Policy, P, B),
        (Unknown, P, P),
    ] {
        assert_eq!(
            one(&int, &num, dir),
            (path.clone(), Modified, widen),
            "{dir:?}"
        );
        assert_eq!(
            one(&int, &nullable, dir),
            (path.clone(), Modified, widen),
            "{dir:?}"
        );
        assert_eq!(
            one(&num, &int, dir),
            (path.clone(), Modified, narrow),
            "{dir:?}"
        );
    }
}

#[test]
fn enum_values_per_direction() {
    let a = json!({"enum": ["debug", "info"]});
    let b = json!({"enum": ["info", "warn"]});
    let changes = diff_json_schema(PREFIX, &a, &b, Input);
    let got: Vec<_> = changes
        .iter()
        .map(|c| (c.path.as_str(), c.change_type, c.classification))
        .collect();
    assert_eq!(
        got,
        [
            ("configurations[default].schema.enum[debug]", Removed, B),
            ("configurations[default].schema.enum[warn]", Added, N),
        ]
    );
    let out = diff_json_schema(PREFIX, &a, &b, Output);
    assert_eq!(
        out.iter().map(|c| c.classification).collect::<Vec<_>>(),
        [N, P]
    );
}

#[test]
fn enum_introduced_tightens_input() {
    let a = json!({"type": "string"});
    let b = json!({"type": "string", "enum": ["a"]});
    assert_eq!(one(&a, &b, Input), (format!("{PREFIX}.enum"), Added, B));
    assert_eq!(one(&b, &a, Input), (format!("{PREFIX}.enum"), Removed, N));
}

#[test]
fn bounds_tighten_or_loosen() {
    let a = json!({"type": "integer", "minimum": 1, "maximum": 100});
    let b = json!({"type": "integer", "minimum": 1, "maximum": 10});
    assert_eq!(
        one(&a, &b, Input),
        (format!("{PREFIX}.maximum"), Modified, B)
    );
    assert_eq!(
        one(&b, &a, Input),
        (format!("{PREFIX}.maximum"), Modified, N)
    );
    assert_eq!(
        one(&a, &b, Output),
        (format!("{PREFIX}.maximum"), Modified, N)
    );
    let c = json!({"type": "integer", "minimum": 5, "maximum": 100});
    assert_eq!(
        one(&a, &c, Input),
        (format!("{PREFIX}.minimum"), Modified, B)
    );
}

#[test]
fn closing_additional_properties_tightens() {
    let a = json!({"type": "object"});
    let b = json!({"type": "object", "additionalProperties": false});
    assert_eq!(
        one(&a, &b, Input),
        (format!("{PREFIX}.additionalProperties"), Added, B)
    );
    assert_eq!(
        one(&a, &b, Policy),
        (format!("{PREFIX}.additionalProperties"), Added, B)
    );
}

#[test]
fn other_keywords_are_potential_and_docs_ignored() {
    let a = json!({"type": "string", "pattern": "^a", "description": "x", "x-note": 1});
    let b = json!({"type": "string", "pattern": "^b", "description": "y", "x-note": 2});
    for dir in [Input, Output, Policy, Unknown] {
        assert_eq!(one(&a, &b, dir), (format!("{PREFIX}.pattern"), Modified, P));
    }
    let d = json!({"type": "string", "pattern": "^a", "deprecated": true});
    assert_eq!(
        one(&a, &d, Input),
        (format!("{PREFIX}.deprecated"), Added, N)
    );
}

#[test]
fn nested_paths_follow_items_and_combinators() {
    let a = json!({"type": "array", "items": {"type": "object", "properties": {"port": {"type": "integer"}}}});
    let b = json!({"type": "array", "items": {"type": "object", "properties": {"port": {"type": "string"}}}});
    assert_eq!(
        one(&a, &b, Input),
        (format!("{PREFIX}.items.properties.port.type"), Modified, B)
    );
    let c = json!({"oneOf": [{"type": "string"}, {"type": "integer"}]});
    let d = json!({"oneOf": [{"type": "string"}]});
    assert_eq!(
        one(&c, &d, Unknown),
        (format!("{PREFIX}.oneOf[1]"), Removed, P)
    );
}

#[test]
fn defs_refs_are_followed() {
    let a = json!({"$defs": {"Port": {"type": "integer"}}, "properties": {"port": {"$ref": "#/$defs/Port"}}});
    let b = json!({"$defs": {"Port": {"type": "string"}}, "properties": {"port": {"$ref": "#/$defs/Port"}}});
    assert_eq!(
        one(&a, &b, Input),
        (format!("{PREFIX}.properties.port.type"), Modified, B)
    );
}

#[test]
fn cyclic_refs_and_deep_nesting_terminate() {
    let a = json!({"$ref": "#/$defs/A", "$defs": {"A": {"$ref": "#/$defs/B"}, "B": {"$ref": "#/$defs/A"}}});
    let _ = diff_json_schema(PREFIX, &a, &json!({"type": "string"}), Unknown);
    let mut deep = json!({"type": "string"});
    let mut deep2 = json!({"type": "integer"});
    for _ in 0..200 {
        deep = json!({"items": deep});
        deep2 = json!({"items": deep2});
    }
    let changes = diff_json_schema(PREFIX, &deep, &deep2, Input);
    assert_eq!(changes.len(), 1);
    assert_eq!(
        changes[0].classification, P,
        "too deep is reported, not ignored"
    );
}

#[test]
fn ref_fan_out_bomb_is_bounded() {
    // Each level references the next twice: 2^40 paths if walked naively.
    let mut defs = serde_json::Map::new();
    for i in 0..40 {
        let next = format!("#/$defs/L{}", i + 1);
        defs.insert(
            format!("L{i}"),
            json!({"properties": {"a": {"$ref": next}, "b": {"$ref": next}}}),
        );
    }
    defs.insert("L40".into(), json!({"type": "string"}));
    let a = json!({"$ref": "#/$defs/L0", "$defs": defs});
    let mut b = a.clone();
    b["$defs"]["L40"] = json!({"type": "integer"});
    let changes = diff_json_schema(PREFIX, &a, &b, Unknown);
    assert!(
        changes.iter().any(|c| c.reason.contains("too large")),
        "{}",
        changes.len()
    );
}

#[test]
fn boolean_and_scalar_schemas_compare_without_panic() {
    assert_eq!(one(&json!(true), &json!(false), Input).1, Modified);
    assert!(diff_json_schema(PREFIX, &json!(3), &json!(3), Input).is_empty());
}
