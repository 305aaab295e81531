//! `pacto_check` (the `pacto validate` pipeline), `pacto_schema` and `pacto_diff`
//! (the `pacto diff --json` report).

use super::args::{CheckArgs, DiffArgs, SchemaArgs};
use crate::args::OutputFormat;
use crate::load::{graph_root, load_resolving};
use pacto_core::Finding;
use pacto_core::model::PactoVersion;
use pacto_core::validate::ValidationReport;
use pacto_core::validate::codes;
use pacto_core::validate::schemas::schema_text;
use pacto_core::value_overrides::ValueOverrides;
use serde_json::{Value, json};

pub fn check(a: CheckArgs) -> Result<Value, String> {
    let path = a.path.unwrap_or_else(|| ".".into());
    let loaded = load_resolving(&path, &ValueOverrides::default()).map_err(|e| e.to_string())?;
    Ok(report_json(&path, &loaded.report))
}

pub fn report_json(path: &str, r: &ValidationReport) -> Value {
    let one = |f: &Finding| json!({ "path": f.path, "code": f.code, "message": f.message });
    let valid = r.is_valid();
    json!({
        "path": path,
        "valid": valid,
        "errors": r.errors.iter().map(one).collect::<Vec<_>>(),
        "warnings": r.warnings.iter().map(one).collect::<Vec<_>>(),
        "summary": if valid {
            format!("{path} is valid ({} warning(s))", r.warnings.len())
        } else {
            format!("{path} is invalid: {} error(s), {} warning(s)", r.errors.len(), r.warnings.len())
        },
        "suggestions": suggestions(path, r),
    })
}

/// Next steps; a `toolCall` where the fix is mechanical.
fn suggestions(path: &str, r: &ValidationReport) -> Vec<Value> {
    let mut out = Vec::new();
    for f in r.errors.iter().chain(&r.warnings) {
        let s = match f.code.as_str() {
            codes::INVALID_SEMVER if f.path == "service.version" => json!({
                "code": f.code,
                "message": "service.version must be semantic (MAJOR.MINOR.PATCH)",
                "toolCall": { "tool": "pacto_edit", "params": { "path": path, "version": "0.1.0" } },
            }),
            codes::TAG_NOT_DIGEST => json!({
                "code": f.code,
                "message": "pin the dependency by digest (`oci://repo@sha256:…`) so it cannot change under you",
            }),
            codes::UNSUPPORTED_PACTO_VERSION | codes::SCHEMA_VIOLATION => json!({
                "code": f.code,
                "message": "read the contract schema for the allowed fields",
                "toolCall": { "tool": "pacto_schema", "params": { "pacto_version": "2.0" } },
            }),
            _ => continue,
        };
        if !out.contains(&s) {
            out.push(s);
        }
    }
    if let Some(c) = &r.contract
        && !c.pacto_version.is_v2()
    {
        out.push(json!({
            "code": "PACTO_VERSION_1X",
            "message": format!("pactoVersion {} is a 1.x contract; 2.0 is the current format", c.pacto_version.as_str()),
        }));
    }
    out
}

pub fn schema(a: SchemaArgs) -> Result<Value, String> {
    let v = a.pacto_version.unwrap_or_else(|| "2.0".into());
    let version = PactoVersion::parse(&v)
        .ok_or_else(|| format!("pacto_version {v:?} is not one of 1.0, 1.1, 1.2, 2.0"))?;
    let schema: Value = serde_json::from_str(schema_text(version)).map_err(|e| e.to_string())?;
    Ok(json!({
        "pactoVersion": version.as_str(),
        "description": schema.get("description").cloned().unwrap_or(Value::Null),
        "docs": "https://pacto.trianalab.com",
        "jsonSchema": schema,
    }))
}

pub fn diff(a: DiffArgs) -> Result<Value, String> {
    let none = ValueOverrides::default();
    let old = graph_root(&a.old, &none, OutputFormat::Json).map_err(|e| e.to_string())?;
    let new = graph_root(&a.new, &none, OutputFormat::Json).map_err(|e| e.to_string())?;
    let report = crate::commands::diff::compare(&a.old, &a.new, &old, &new);
    serde_json::to_value(&report).map_err(|e| e.to_string())
}
