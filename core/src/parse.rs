//! Parsing `pacto.yaml`: YAML text → JSON value → detected version → typed [`Contract`].
//!
//! The raw JSON value is what the structural layer validates (and what `--set`/`-f`
//! overrides edit), so YAML decoding and typed conversion are separate steps.

use crate::finding::Finding;
use crate::model::{Contract, PactoVersion, SUPPORTED_VERSIONS};
use serde::Deserialize;
use serde_json::Value;

/// Largest `pacto.yaml` accepted, in bytes (1 MiB). Real contracts are a few KiB; the
/// cap keeps hostile inputs from costing unbounded memory or time.
pub const MAX_CONTRACT_BYTES: usize = 1024 * 1024;

pub const YAML_PARSE_ERROR: &str = "YAML_PARSE_ERROR";
pub const SCHEMA_VIOLATION: &str = "SCHEMA_VIOLATION";
pub const UNSUPPORTED_PACTO_VERSION: &str = "UNSUPPORTED_PACTO_VERSION";

/// Decodes YAML into a JSON value. Duplicate keys, multiple documents, oversized input
/// and a non-mapping root are `YAML_PARSE_ERROR`s whose message carries line and column.
pub fn parse_yaml(text: &str) -> Result<Value, Finding> {
    if text.len() > MAX_CONTRACT_BYTES {
        return Err(Finding::error(
            YAML_PARSE_ERROR,
            "",
            format!(
                "pacto.yaml is {} bytes, more than the {MAX_CONTRACT_BYTES}-byte limit: keep large specs in separate bundle files",
                text.len()
            ),
        ));
    }
    let mut options = serde_saphyr::Options::default();
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::Error;
    options.with_snippet = false;
    let value: Value = serde_saphyr::from_str_with_options(text, options).map_err(|e| {
        let rendered = e.to_string();
        let detail = first_line(&rendered);
        // The rendered message usually carries the position already; add it otherwise.
        let place = match e.location() {
            Some(l) if !detail.contains("line") => {
                format!(" at line {}, column {}", l.line(), l.column())
            }
            _ => String::new(),
        };
        Finding::error(
            YAML_PARSE_ERROR,
            "",
            format!("pacto.yaml is not valid YAML{place}: {detail}; fix the syntax there"),
        )
    })?;
    match value {
        Value::Object(_) => Ok(value),
        Value::Null => Err(Finding::error(
            YAML_PARSE_ERROR,
            "",
            "pacto.yaml is empty: it must be a mapping starting with `pactoVersion: \"1.0\"` and `service:`",
        )),
        other => Err(Finding::error(
            YAML_PARSE_ERROR,
            "",
            format!(
                "the root of pacto.yaml is a {}, not a mapping: write `key: value` pairs starting with `pactoVersion:`",
                json_type_name(&other)
            ),
        )),
    }
}

/// Reads `pactoVersion` from a raw contract.
pub fn detect_version(raw: &Value) -> Result<PactoVersion, Finding> {
    let supported = SUPPORTED_VERSIONS
        .iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ");
    match raw.get("pactoVersion") {
        None | Some(Value::Null) => Err(Finding::error(
            SCHEMA_VIOLATION,
            "pactoVersion",
            format!("`pactoVersion` is required: add `pactoVersion: \"1.0\"` (supported: {supported})"),
        )),
        Some(Value::String(s)) => PactoVersion::parse(s).ok_or_else(|| {
            Finding::error(
                UNSUPPORTED_PACTO_VERSION,
                "pactoVersion",
                format!(
                    "pactoVersion \"{s}\" is not supported by this tool; supported versions are {supported}"
                ),
            )
        }),
        Some(Value::Number(n)) => {
            let text = n.to_string();
            let hint = match n.as_f64() {
                Some(f) if SUPPORTED_VERSIONS.iter().any(|v| v.parse::<f64>() == Ok(f)) => {
                    format!("quote it: `pactoVersion: \"{:.1}\"`", f)
                }
                _ => format!("use one of {supported} (quoted)"),
            };
            Err(Finding::error(
                UNSUPPORTED_PACTO_VERSION,
                "pactoVersion",
                format!("pactoVersion is the number {text}, not a string: {hint}"),
            ))
        }
        Some(other) => Err(Finding::error(
            UNSUPPORTED_PACTO_VERSION,
            "pactoVersion",
            format!(
                "pactoVersion is a {}, not a string: use one of {supported}",
                json_type_name(other)
            ),
        )),
    }
}

/// Converts a raw contract that already passed the structural schema into the typed
/// model; defaults (`visibility: internal`, `required: false`) are materialised by serde.
pub fn contract_from_value(raw: &Value) -> Result<Contract, Finding> {
    Contract::deserialize(raw).map_err(|e| {
        Finding::error(
            SCHEMA_VIOLATION,
            "",
            format!("the contract does not fit the Pacto model: {e}; fix the field named here"),
        )
    })
}

/// JSON type name for messages.
pub(crate) fn json_type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "mapping",
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_mapping() {
        let v = parse_yaml("pactoVersion: \"1.0\"\nservice: {name: a, version: 1.0.0}\n")
            .expect("valid yaml");
        assert_eq!(v["service"]["name"], "a");
        assert_eq!(v["service"]["version"], "1.0.0");
    }

    #[test]
    fn duplicate_keys_are_errors_with_position() {
        let err = parse_yaml("a: 1\nb: 2\na: 3\n").expect_err("duplicate");
        assert_eq!(err.code, YAML_PARSE_ERROR);
        assert!(err.message.contains("line 3"), "{}", err.message);
    }

    #[test]
    fn broken_yaml_reports_line_and_column() {
        let err = parse_yaml("service:\n  name: [a\n  version: 1\n").expect_err("broken");
        assert_eq!(err.code, YAML_PARSE_ERROR);
        assert!(err.message.contains("line"), "{}", err.message);
        assert!(err.message.contains("column"), "{}", err.message);
    }

    #[test]
    fn root_must_be_a_mapping() {
        assert!(parse_yaml("- a\n- b\n").is_err());
        assert!(parse_yaml("").is_err());
        assert!(parse_yaml("just a string").is_err());
    }

    #[test]
    fn oversized_input_is_refused() {
        let big = "a: ".to_string() + &"x".repeat(MAX_CONTRACT_BYTES);
        let err = parse_yaml(&big).expect_err("too big");
        assert!(err.message.contains("limit"));
    }

    #[test]
    fn version_detection() {
        let v = |y: &str| detect_version(&parse_yaml(y).expect("yaml"));
        assert_eq!(v("pactoVersion: \"1.1\"").ok(), Some(PactoVersion::V1_1));
        let missing = v("service: {}").expect_err("missing");
        assert_eq!(missing.code, SCHEMA_VIOLATION);
        assert_eq!(missing.path, "pactoVersion");
        assert!(missing.message.contains("required"));
        assert_eq!(v("pactoVersion: \"2.0\"").ok(), Some(PactoVersion::V2_0));
        let three = v("pactoVersion: \"3.0\"").expect_err("3.0");
        assert_eq!(three.code, UNSUPPORTED_PACTO_VERSION);
        assert!(
            three.message.contains("\"1.0\", \"1.1\", \"1.2\", \"2.0\""),
            "{}",
            three.message
        );
        let unquoted = v("pactoVersion: 1.0").expect_err("number");
        assert_eq!(unquoted.code, UNSUPPORTED_PACTO_VERSION);
        assert!(
            unquoted.message.contains("quote it"),
            "{}",
            unquoted.message
        );
    }

    #[test]
    fn typed_conversion_materialises_visibility() {
        let raw = parse_yaml(
            "pactoVersion: \"1.0\"\nservice: {name: a, version: 1.0.0}\ninterfaces:\n  - {name: api, type: http, port: 80}\n",
        )
        .expect("yaml");
        let c = contract_from_value(&raw).expect("typed");
        assert_eq!(
            c.interfaces[0].visibility,
            crate::model::Visibility::Internal
        );
    }
}
