//! `configuration(s)` and `policy`/`policies`: unique names, references, bundled schema
//! files, and configuration `values` checked against their schema.

use super::{first_seen, refs};
use crate::bundle::Bundle;
use crate::finding::Finding;
use crate::model::Contract;
use crate::validate::codes;
use crate::validate::schema_errors::{ErrorContext, findings_for};
use jsonschema::Validator;
use serde_json::Value;

/// Why a bundled schema file could not be used.
pub enum LoadError {
    Missing,
    /// Not JSON (or YAML for `.yaml`/`.yml` files).
    Syntax(String),
    /// Parses, but is not a compilable JSON Schema.
    Schema(String),
}

/// Reads and compiles a bundled JSON Schema file.
pub fn load_schema(bundle: &Bundle, file: &str) -> Result<(Value, Validator), LoadError> {
    let bytes = bundle.read(file).ok_or(LoadError::Missing)?;
    let text = std::str::from_utf8(bytes)
        .map_err(|_| LoadError::Syntax("it is not UTF-8 text".to_string()))?;
    let lower = file.to_ascii_lowercase();
    let doc: Value = if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        crate::parse::parse_yaml(text).map_err(|f| LoadError::Syntax(f.message))?
    } else {
        serde_json::from_str(text).map_err(|e| LoadError::Syntax(e.to_string()))?
    };
    if !doc.is_object() && !doc.is_boolean() {
        return Err(LoadError::Schema(
            "a JSON Schema must be an object or a boolean".to_string(),
        ));
    }
    let validator = jsonschema::options()
        .build(&doc)
        .map_err(|e| LoadError::Schema(e.to_string()))?;
    Ok((doc, validator))
}

pub fn check(contract: &Contract, bundle: &Bundle, out: &mut Vec<Finding>) {
    configurations(contract, bundle, out);
    policies(contract, bundle, out);
}

fn configurations(contract: &Contract, bundle: &Bundle, out: &mut Vec<Finding>) {
    let all = contract.all_configurations();
    let mut seen = Vec::new();
    for (at, c) in &all {
        let name = c.display_name();
        if let Some(first) = first_seen(&mut seen, name) {
            out.push(Finding::error(
                codes::DUPLICATE_CONFIGURATION_NAME,
                format!("{at}.name"),
                format!("configuration name '{name}' is already used by {}: give each configuration a unique name", all[first].0),
            ));
        }
        if let Some(r) = &c.reference {
            bad_oci(
                r,
                codes::INVALID_CONFIG_REF,
                &format!("{at}.ref"),
                "configuration",
                name,
                out,
            );
        }
        let Some(file) = &c.schema else { continue };
        let path = format!("{at}.schema");
        match load_schema(bundle, file) {
            Err(LoadError::Missing) => {} // FILE_NOT_FOUND already reported
            Err(LoadError::Syntax(e)) => out.push(Finding::error(
                codes::INVALID_CONFIG_JSON,
                path,
                format!("configuration schema `{file}` of '{name}' is not valid JSON ({e}): fix the file"),
            )),
            Err(LoadError::Schema(e)) => out.push(Finding::error(
                codes::INVALID_CONFIG_SCHEMA,
                path,
                format!("configuration schema `{file}` of '{name}' is not a usable JSON Schema ({e}): fix the schema"),
            )),
            Ok((doc, validator)) => {
                if let Some(values) = &c.values {
                    let prefix = format!("{at}.values");
                    let label = format!("configuration '{name}' (schema `{file}`): ");
                    let ctx = ErrorContext {
                        code: codes::CONFIG_VALUES_VALIDATION_FAILED,
                        prefix: &prefix,
                        instance: values,
                        schema: &doc,
                        label: &label,
                    };
                    for err in validator.iter_errors(values) {
                        out.extend(findings_for(&err, &ctx));
                    }
                }
            }
        }
    }
}

fn policies(contract: &Contract, bundle: &Bundle, out: &mut Vec<Finding>) {
    let all = contract.all_policies();
    let mut seen = Vec::new();
    for (at, p) in &all {
        let name = p.display_name();
        if let Some(first) = first_seen(&mut seen, name) {
            out.push(Finding::error(
                codes::DUPLICATE_POLICY_NAME,
                format!("{at}.name"),
                format!(
                    "policy name '{name}' is already used by {}: give each policy a unique name",
                    all[first].0
                ),
            ));
        }
        if let Some(r) = &p.reference {
            bad_oci(
                r,
                codes::INVALID_POLICY_REF,
                &format!("{at}.ref"),
                "policy",
                name,
                out,
            );
        }
        let Some(file) = &p.schema else { continue };
        let path = format!("{at}.schema");
        match load_schema(bundle, file) {
            Err(LoadError::Missing) | Ok(_) => {}
            Err(LoadError::Syntax(e)) => out.push(Finding::error(
                codes::INVALID_POLICY_JSON,
                path,
                format!("policy schema `{file}` of '{name}' is not valid JSON ({e}): fix the file"),
            )),
            Err(LoadError::Schema(e)) => out.push(Finding::error(
                codes::INVALID_POLICY_SCHEMA,
                path,
                format!("policy schema `{file}` of '{name}' is not a usable JSON Schema ({e}): fix the schema"),
            )),
        }
    }
}

/// `oci://` refs must parse; local refs (`file://`, relative paths) are checked when resolved.
fn bad_oci(
    reference: &str,
    code: &str,
    path: &str,
    what: &str,
    name: &str,
    out: &mut Vec<Finding>,
) {
    if !reference.starts_with("oci://") {
        return;
    }
    if let Err(e) = refs::parse_oci(reference) {
        out.push(Finding::error(
            code,
            path,
            format!("{what} '{name}' ref \"{reference}\" is not a valid OCI reference ({e}): use `oci://registry/repository@sha256:<digest>` or `oci://registry/repository:tag`"),
        ));
    }
}
