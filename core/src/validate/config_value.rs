//! A configuration's live value (read from a ConfigMap or Secret by the operator) decoded and
//! checked against the configuration's bundled JSON Schema. Pure: the schemas are compiled
//! once per contract ([`ConfigSchemas::compile`]) and reused for every value.
//!
//! Limits: a value is at most [`MAX_VALUE_BYTES`] (1 MiB, the size of a whole ConfigMap); YAML
//! is decoded with tight alias and node budgets so a YAML bomb fails fast instead of hanging.

use super::cross_field::sections::{LoadError, load_schema};
use super::schema_errors::{ErrorContext, findings_for};
use crate::bundle::Bundle;
use crate::model::Contract;
use jsonschema::Validator;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;
use std::fmt;

/// Largest value decoded, in bytes (1 MiB).
pub const MAX_VALUE_BYTES: usize = 1024 * 1024;
/// Most YAML nodes of one value.
const MAX_NODES: usize = 100_000;
/// Most events replayed from YAML aliases in one value.
const MAX_REPLAYED_EVENTS: usize = 100_000;

/// How a value is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueFormat {
    /// YAML (also reads JSON).
    Yaml,
    /// JSON.
    Json,
}

impl ValueFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Yaml => "yaml",
            Self::Json => "json",
        }
    }
}

/// Decodes a configuration value. The error says why, without quoting the value (it may come
/// from a Secret).
pub fn decode_value(bytes: &[u8], format: ValueFormat) -> Result<Value, String> {
    if bytes.len() > MAX_VALUE_BYTES {
        return Err(format!(
            "the value is {} bytes, more than the {MAX_VALUE_BYTES}-byte limit",
            bytes.len()
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| "the value is not UTF-8 text".to_string())?;
    match format {
        ValueFormat::Json => serde_json::from_str(text).map_err(|e| {
            format!(
                "the value is not valid JSON (line {}, column {}: {:?} error)",
                e.line(),
                e.column(),
                e.classify()
            )
        }),
        ValueFormat::Yaml => {
            let mut options = serde_saphyr::Options::default();
            options.with_snippet = false;
            options.alias_limits.max_total_replayed_events = MAX_REPLAYED_EVENTS;
            if let Some(b) = options.budget.as_mut() {
                b.max_nodes = MAX_NODES;
                b.max_reader_input_bytes = Some(MAX_VALUE_BYTES);
            }
            serde_saphyr::from_str_with_options::<Value>(text, options).map_err(|e| {
                match e.location() {
                    Some(l) => format!(
                        "the value is not valid YAML (line {}, column {})",
                        l.line(),
                        l.column()
                    ),
                    None => "the value is not valid YAML (or exceeds the decoding budget)".into(),
                }
            })
        }
    }
}

/// One configuration's compiled schema.
pub struct ConfigSchema {
    /// `configurations[].name` (`default` for the 1.0 singular form).
    pub name: String,
    /// Where it is declared (`configurations[0]`, `configuration`).
    pub at: String,
    /// The bundle file of the schema.
    pub file: String,
    document: Value,
    validator: Validator,
}

impl fmt::Debug for ConfigSchema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigSchema")
            .field("name", &self.name)
            .field("at", &self.at)
            .field("file", &self.file)
            .finish_non_exhaustive()
    }
}

/// The compiled schemas of a contract's configurations that name a bundled `schema` file
/// (configurations by `ref`, or whose file is missing or broken, have none).
#[derive(Debug, Default)]
pub struct ConfigSchemas {
    schemas: Vec<ConfigSchema>,
}

impl PartialEq for ConfigSchemas {
    fn eq(&self, other: &Self) -> bool {
        self.schemas.len() == other.schemas.len()
            && self
                .schemas
                .iter()
                .zip(&other.schemas)
                .all(|(a, b)| a.name == b.name && a.document == b.document)
    }
}

impl ConfigSchemas {
    /// Compiles every bundled configuration schema of `contract`.
    pub fn compile(contract: &Contract, bundle: &Bundle) -> Self {
        let schemas = contract
            .all_configurations()
            .into_iter()
            .filter_map(|(at, c)| {
                let file = c.schema.clone()?;
                let (document, validator) = match load_schema(bundle, &file) {
                    Ok(s) => s,
                    Err(LoadError::Missing | LoadError::Syntax(_) | LoadError::Schema(_)) => {
                        return None;
                    }
                };
                Some(ConfigSchema {
                    name: c.display_name().to_string(),
                    at,
                    file,
                    document,
                    validator,
                })
            })
            .collect();
        Self { schemas }
    }

    /// The schema of configuration `name`.
    pub fn get(&self, name: &str) -> Option<&ConfigSchema> {
        self.schemas.iter().find(|s| s.name == name)
    }

    pub fn is_empty(&self) -> bool {
        self.schemas.is_empty()
    }
}

/// One way a value breaks its schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError {
    /// JSON Pointer into the value (`/server/port`; empty for the root).
    pub pointer: String,
    /// What to change. With `quote_values` false it names the path and the rule only.
    pub message: String,
}

/// Checks `value` against `schema`. Messages quote offending values only when
/// `quote_values` (never for a Secret's value). At most `limit` errors are returned.
pub fn validate_value(
    schema: &ConfigSchema,
    value: &Value,
    quote_values: bool,
    limit: usize,
) -> Vec<SchemaError> {
    let ctx = ErrorContext {
        code: "CONFIGURATION_MISMATCH",
        prefix: "",
        instance: value,
        schema: &schema.document,
        label: "",
    };
    let mut out = Vec::new();
    for err in schema.validator.iter_errors(value) {
        if out.len() >= limit {
            break;
        }
        let pointer = err.instance_path().as_str().to_string();
        if quote_values {
            out.extend(findings_for(&err, &ctx).into_iter().map(|f| SchemaError {
                pointer: pointer.clone(),
                message: f.message,
            }));
        } else {
            let rule = err
                .schema_path()
                .as_str()
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string();
            let at = if pointer.is_empty() {
                "the document root".to_string()
            } else {
                format!("`{pointer}`")
            };
            // The schema's own words only: a missing key's name comes from the schema.
            let message = match err.kind() {
                ValidationErrorKind::Required { property } => format!(
                    "`{}` is required in {at}",
                    property.as_str().unwrap_or_default()
                ),
                _ => format!("{at} breaks the schema's `{rule}` rule"),
            };
            out.push(SchemaError { message, pointer });
        }
    }
    out.truncate(limit);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONTRACT: &str = "pactoVersion: \"1.1\"\nservice:\n  name: svc\n  version: 1.0.0\n  owner:\n    team: t\nconfigurations:\n  - name: app\n    schema: configuration/schema.json\n  - name: other\n    ref: oci://r.io/a/b:1.0.0\n";
    const SCHEMA: &str = r#"{"type":"object","required":["port"],"properties":{"port":{"type":"integer","maximum":65535},"mode":{"enum":["a","b"]}}}"#;

    fn schemas() -> ConfigSchemas {
        let raw = crate::parse::parse_yaml(CONTRACT).expect("yaml");
        let c = crate::parse::contract_from_value(&raw).expect("contract");
        let mut b = Bundle::new();
        b.insert("configuration/schema.json", SCHEMA.as_bytes().to_vec());
        ConfigSchemas::compile(&c, &b)
    }

    #[test]
    fn compiles_bundled_schemas_only() {
        let s = schemas();
        assert!(s.get("app").is_some());
        assert!(s.get("other").is_none(), "a ref has no bundled schema");
        assert_eq!(
            s.get("app").map(|a| a.at.as_str()),
            Some("configurations[0]")
        );
    }

    #[test]
    fn errors_carry_json_pointers_and_quote_only_when_asked() {
        let s = schemas();
        let app = s.get("app").expect("app");
        let v = decode_value(b"port: 70000\nmode: c\n", ValueFormat::Yaml).expect("yaml");
        let quoted = validate_value(app, &v, true, 10);
        let pointers: Vec<&str> = quoted.iter().map(|e| e.pointer.as_str()).collect();
        assert!(
            pointers.contains(&"/port") && pointers.contains(&"/mode"),
            "{quoted:?}"
        );
        assert!(
            quoted.iter().any(|e| e.message.contains("70000")),
            "{quoted:?}"
        );
        let redacted = validate_value(app, &v, false, 10);
        assert_eq!(redacted.len(), 2, "{redacted:?}");
        assert!(
            redacted
                .iter()
                .all(|e| !e.message.contains("70000") && !e.message.contains("\"c\"")),
            "{redacted:?}"
        );
        assert!(redacted.iter().any(|e| e.message.contains("`maximum`")));
        let missing = validate_value(app, &serde_json::json!({"x": "hush"}), false, 10);
        assert_eq!(
            missing[0].message,
            "`port` is required in the document root"
        );
        let ok = decode_value(br#"{"port": 80}"#, ValueFormat::Json).expect("json");
        assert!(validate_value(app, &ok, true, 10).is_empty());
        let missing = validate_value(app, &serde_json::json!({}), true, 10);
        assert_eq!(missing[0].pointer, "");
        assert!(
            missing[0].message.contains("`port` is required"),
            "{missing:?}"
        );
        assert_eq!(validate_value(app, &v, true, 1).len(), 1);
    }

    #[test]
    fn decoding_fails_clearly_without_quoting() {
        let e = decode_value(b"{\"secret\": ", ValueFormat::Json).expect_err("json");
        assert!(e.contains("not valid JSON") && !e.contains("secret"), "{e}");
        let e = decode_value(b"a: [unclosed-secret", ValueFormat::Yaml).expect_err("yaml");
        assert!(e.contains("not valid YAML") && !e.contains("secret"), "{e}");
        let e = decode_value(&[0xff, 0xfe], ValueFormat::Yaml).expect_err("utf8");
        assert!(e.contains("UTF-8"));
        let big = vec![b'a'; MAX_VALUE_BYTES + 1];
        assert!(
            decode_value(&big, ValueFormat::Yaml)
                .expect_err("big")
                .contains("limit")
        );
        // YAML also reads JSON.
        assert!(decode_value(br#"{"port": 1}"#, ValueFormat::Yaml).is_ok());
    }

    #[test]
    fn a_yaml_bomb_fails_fast() {
        let mut bomb = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let mut prev = 'a';
        for name in "bcdefghij".chars() {
            bomb.push_str(&format!(
                "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
            prev = name;
        }
        let t0 = std::time::Instant::now();
        assert!(decode_value(bomb.as_bytes(), ValueFormat::Yaml).is_err());
        assert!(t0.elapsed() < std::time::Duration::from_secs(5));
    }
}
