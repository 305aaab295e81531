//! Turns JSON Schema validation errors into findings whose messages say what to change.
//!
//! Used for the contract's own schema (structural layer), configuration `values`
//! against their bundled schema, and policies applied to the contract.

use super::path;
use crate::finding::Finding;
use crate::parse::json_type_name;
use jsonschema::ValidationError;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

/// Where an error came from, for paths and messages.
pub struct ErrorContext<'a> {
    pub code: &'static str,
    /// Display path the instance lives at (`""` for the contract root).
    pub prefix: &'a str,
    /// The validated document, to tell array indexes from numeric keys.
    pub instance: &'a Value,
    /// The schema document, to list allowed keys and quote field descriptions.
    pub schema: &'a Value,
    /// Prepended to every message (e.g. `policy 'naming': `).
    pub label: &'a str,
}

/// One finding per leaf error; an unknown-keys error yields one finding per key.
pub fn findings_for(err: &ValidationError<'_>, ctx: &ErrorContext<'_>) -> Vec<Finding> {
    let at = path::from_pointer(ctx.prefix, ctx.instance, err.instance_path().as_str());
    let node = schema_node(ctx.schema, err.schema_path().as_str());
    let shown = display(&at);
    let instance: &Value = err.instance();
    let one = |path: String, msg: String| {
        vec![Finding::error(
            ctx.code,
            path,
            format!("{}{msg}", ctx.label),
        )]
    };
    match err.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            let allowed = node
                .and_then(|n| n.get("properties"))
                .and_then(Value::as_object)
                .map(|p| p.keys().map(String::as_str).collect::<Vec<_>>().join(", "));
            unexpected
                .iter()
                .map(|k| {
                    let hint = match &allowed {
                        Some(a) if !a.is_empty() => {
                            format!("remove it or use one of the allowed keys: {a}")
                        }
                        _ => "remove it".to_string(),
                    };
                    Finding::error(
                        ctx.code,
                        path::key(&at, k),
                        format!("{}unknown key `{k}` in {shown}: {hint}", ctx.label),
                    )
                })
                .collect()
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            let help = node
                .and_then(|n| n.pointer(&format!("/properties/{}", escape(name))))
                .and_then(|p| p.get("description"))
                .and_then(Value::as_str)
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            one(
                path::key(&at, name),
                format!("`{name}` is required in {shown}: add it{help}"),
            )
        }
        ValidationErrorKind::Type { .. } => {
            let expected = node
                .and_then(|n| n.get("type"))
                .map(expected_types)
                .unwrap_or_else(|| "another type".to_string());
            one(
                at.clone(),
                format!(
                    "{shown} must be {expected}, but it is a {}{}",
                    json_type_name(instance),
                    quote_hint(instance, node)
                ),
            )
        }
        ValidationErrorKind::Enum { options } => one(
            at.clone(),
            format!(
                "{shown} is {}; use one of: {}",
                short(instance),
                list_values(options)
            ),
        ),
        ValidationErrorKind::Constant { expected_value } => one(
            at.clone(),
            format!(
                "{shown} is {}; it must be {}",
                short(instance),
                short(expected_value)
            ),
        ),
        ValidationErrorKind::Pattern { pattern } => one(
            at.clone(),
            format!(
                "{shown} is {}, which does not match `{pattern}`{}",
                short(instance),
                described(node)
            ),
        ),
        ValidationErrorKind::Minimum { limit } => one(
            at.clone(),
            format!(
                "{shown} is {}; use a value of at least {limit}",
                short(instance)
            ),
        ),
        ValidationErrorKind::Maximum { limit } => one(
            at.clone(),
            format!(
                "{shown} is {}; use a value of at most {limit}",
                short(instance)
            ),
        ),
        ValidationErrorKind::ExclusiveMinimum { limit } => one(
            at.clone(),
            format!(
                "{shown} is {}; use a value greater than {limit}",
                short(instance)
            ),
        ),
        ValidationErrorKind::ExclusiveMaximum { limit } => one(
            at.clone(),
            format!(
                "{shown} is {}; use a value less than {limit}",
                short(instance)
            ),
        ),
        ValidationErrorKind::MinLength { limit } => one(
            at.clone(),
            format!("{shown} is too short: give it at least {limit} character(s)"),
        ),
        ValidationErrorKind::MaxLength { limit } => one(
            at.clone(),
            format!("{shown} is too long: shorten it to at most {limit} characters"),
        ),
        ValidationErrorKind::MinItems { limit } => one(
            at.clone(),
            format!("{shown} needs at least {limit} item(s): add one or remove the list"),
        ),
        ValidationErrorKind::MaxItems { limit } => one(
            at.clone(),
            format!("{shown} has too many items: keep at most {limit}"),
        ),
        ValidationErrorKind::MinProperties { limit } => one(
            at.clone(),
            format!("{shown} needs at least {limit} key(s): fill it in or remove it"),
        ),
        ValidationErrorKind::OneOfNotValid { .. }
        | ValidationErrorKind::OneOfMultipleValid { .. } => {
            let hint = node
                .map(one_of_hint)
                .unwrap_or_else(|| "make it match exactly one of the allowed forms".to_string());
            one(at.clone(), format!("{shown}: {hint}"))
        }
        _ => one(at.clone(), format!("{shown}: {err}")),
    }
}

/// Explains a failed `oneOf` from the alternatives' required keys.
fn one_of_hint(node: &Value) -> String {
    let props = node.get("properties").and_then(Value::as_object);
    let has = |k: &str| props.is_some_and(|p| p.contains_key(k));
    if has("replicas") {
        "set either a fixed `replicas: N`, or both `min` and `max` (not both forms)".to_string()
    } else if has("values") {
        "set exactly one of `schema` (a bundled JSON Schema file, optionally with `values`) or `ref` (another contract, without `values`)".to_string()
    } else if has("schema") && has("ref") {
        "set exactly one of `schema` (a bundled JSON Schema file) or `ref` (another contract)"
            .to_string()
    } else {
        "make it match exactly one of the allowed forms".to_string()
    }
}

/// The schema object holding the failing keyword (parent of the keyword location).
fn schema_node<'s>(schema: &'s Value, keyword_pointer: &str) -> Option<&'s Value> {
    let parent = match keyword_pointer.rfind('/') {
        Some(i) => &keyword_pointer[..i],
        None => "",
    };
    schema.pointer(parent)
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn display(path: &str) -> String {
    if path.is_empty() {
        "the document root".to_string()
    } else {
        format!("`{path}`")
    }
}

fn described(node: Option<&Value>) -> String {
    node.and_then(|n| n.get("description"))
        .and_then(Value::as_str)
        .map(|d| format!(": {d}"))
        .unwrap_or_default()
}

/// Numbers and booleans written as text are a common slip; say how to fix them.
fn quote_hint(instance: &Value, node: Option<&Value>) -> String {
    let expects = |t: &str| {
        node.and_then(|n| n.get("type")).is_some_and(|v| match v {
            Value::String(s) => s == t,
            Value::Array(a) => a.iter().any(|x| x == t),
            _ => false,
        })
    };
    match instance {
        Value::Number(_) | Value::Bool(_) if expects("string") => {
            format!(": quote it, e.g. \"{instance}\"")
        }
        Value::String(s) if expects("integer") && s.parse::<i64>().is_ok() => {
            format!(": write it without quotes, e.g. {s}")
        }
        _ => String::new(),
    }
}

fn expected_types(t: &Value) -> String {
    let name = |s: &str| match s {
        "object" => "a mapping".to_string(),
        "array" => "a list".to_string(),
        "integer" => "an integer".to_string(),
        other => format!("a {other}"),
    };
    match t {
        Value::String(s) => name(s),
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .map(name)
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "another type".to_string(),
    }
}

fn list_values(options: &Value) -> String {
    match options {
        Value::Array(a) => a.iter().map(short).collect::<Vec<_>>().join(", "),
        other => short(other),
    }
}

/// A value rendered for a message, truncated so hostile input cannot bloat output.
pub fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 {
        let cut: String = s.chars().take(77).collect();
        format!("{cut}...")
    } else {
        s
    }
}
