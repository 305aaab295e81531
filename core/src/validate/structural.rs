//! Layer 1: the contract against the embedded JSON Schema of its version.

use super::codes;
use super::path;
use super::schema_errors::{ErrorContext, findings_for};
use super::schemas;
use crate::finding::Finding;
use crate::model::PactoVersion;
use jsonschema::ValidationError;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

/// Every schema failure as a finding; unknown keys at their own path.
pub fn check(raw: &Value, version: PactoVersion) -> Vec<Finding> {
    let compiled = match schemas::compiled(version) {
        Ok(c) => c,
        Err(e) => {
            return vec![Finding::error(
                codes::SCHEMA_ERROR,
                "",
                format!(
                    "the built-in schema for pactoVersion {version} failed to load ({e}); this is a bug in pacto, please report it"
                ),
            )];
        }
    };
    let ctx = ErrorContext {
        code: codes::SCHEMA_VIOLATION,
        prefix: "",
        instance: raw,
        schema: &compiled.document,
        label: "",
    };
    let mut out: Vec<Finding> = Vec::new();
    for err in compiled.validator.iter_errors(raw) {
        let found = dedicated(&err, raw).unwrap_or_else(|| findings_for(&err, &ctx));
        for f in found {
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    out
}

/// Schema rules that have their own code: `values` without a schema, a stateless
/// service declaring persistent data, and (2.0) an extension capability without its
/// `ref` or a policy `target` other than `contract` (the reference reports these two from
/// its cross-field layer; here the schema sees them first, so it names them).
fn dedicated(err: &ValidationError<'_>, raw: &Value) -> Option<Vec<Finding>> {
    let pointer = err.instance_path().as_str();
    let at = path::from_pointer("", raw, pointer);
    match err.kind() {
        ValidationErrorKind::OneOfNotValid { .. } => {
            let obj = err.instance();
            let obj = obj.as_object()?;
            let is_config = pointer == "/configuration" || pointer.starts_with("/configurations/");
            if is_capability(pointer)
                && obj.get("type").and_then(Value::as_str) == Some("extension")
                && !obj.contains_key("ref")
            {
                return Some(vec![Finding::error(
                    codes::CAPABILITY_REF_REQUIRED,
                    path::key(&at, "ref"),
                    "an extension capability needs a namespaced ref, e.g. `ref: example.com/feature`",
                )]);
            }
            if is_config
                && obj.contains_key("values")
                && !obj.contains_key("schema")
                && !obj.contains_key("ref")
            {
                let name = obj.get("name").and_then(Value::as_str).unwrap_or("default");
                return Some(vec![Finding::error(
                    codes::VALUES_WITHOUT_SCHEMA,
                    path::key(&at, "values"),
                    format!(
                        "configuration '{name}' has `values` but no `schema` to check them against: add `schema: configuration/schema.json` (a bundled JSON Schema) or remove `values`"
                    ),
                )]);
            }
            None
        }
        ValidationErrorKind::Enum { .. } if is_policy_target(pointer) => {
            let target = super::schema_errors::short(err.instance().as_ref());
            Some(vec![Finding::error(
                codes::UNSUPPORTED_POLICY_TARGET,
                at,
                format!(
                    "policy target {target} is not supported: the only target is `contract` (the default), so remove `target` or write `target: contract`"
                ),
            )])
        }
        ValidationErrorKind::Constant { .. }
            if pointer.ends_with("/state/persistence/durability")
                && err.schema_path().as_str().contains("/then/") =>
        {
            Some(vec![Finding::error(
                codes::STATELESS_PERSISTENT_CONFLICT,
                at,
                "a stateless service cannot keep persistent data: set `durability: ephemeral`, or change `state.type` to `stateful` or `hybrid`",
            )])
        }
        _ => None,
    }
}

/// `/capabilities/<n>`.
fn is_capability(pointer: &str) -> bool {
    pointer
        .strip_prefix("/capabilities/")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// `/policies/<n>/target`.
fn is_policy_target(pointer: &str) -> bool {
    pointer
        .strip_prefix("/policies/")
        .and_then(|rest| rest.strip_suffix("/target"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}
