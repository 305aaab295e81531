//! Reading schema values: type sets, string sets, whether a subtree holds a `$ref`.

use serde_json::Value;
use std::collections::BTreeSet;

use super::MAX_DEPTH;

/// Equal subtrees without `$ref` cannot hide a change, so they are skipped without
/// building paths (refs may point at definitions that differ between the roots).
pub(crate) fn unchanged(a: &Value, b: &Value) -> bool {
    a == b && !has_ref(a, 0)
}

pub(super) fn has_ref(v: &Value, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return true; // unknown: let the guarded walk handle it
    }
    match v {
        Value::Object(m) => m.contains_key("$ref") || m.values().any(|x| has_ref(x, depth + 1)),
        Value::Array(a) => a.iter().any(|x| has_ref(x, depth + 1)),
        _ => false,
    }
}

pub(super) fn string_set(xs: &[Value]) -> Option<BTreeSet<&str>> {
    xs.iter().map(Value::as_str).collect()
}

/// The declared types, with OpenAPI 3.0 `nullable: true` folded in as `null`.
/// `None` = no type constraint.
pub(super) fn type_set(schema: &Value) -> Option<BTreeSet<String>> {
    let mut set: BTreeSet<String> = match schema.get("type")? {
        Value::String(s) => [s.clone()].into(),
        Value::Array(xs) => xs
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        other => [other.to_string()].into(),
    };
    if schema.get("nullable") == Some(&Value::Bool(true)) {
        set.insert("null".to_string());
    }
    Some(set)
}

pub(super) fn type_value(schema: &Value) -> Option<Value> {
    let t = schema.get("type")?.clone();
    if schema.get("nullable") == Some(&Value::Bool(true)) {
        return Some(serde_json::json!({"type": t, "nullable": true}));
    }
    Some(t)
}

/// Every type in `inner` is accepted by `outer` (`integer` is a `number`).
pub(super) fn covers(outer: &BTreeSet<String>, inner: &BTreeSet<String>) -> bool {
    inner
        .iter()
        .all(|t| outer.contains(t) || (t == "integer" && outer.contains("number")))
}
