//! `pacto_create`: a new, valid bundle (2.0 by default) from structured arguments.

use super::args::CreateArgs;
use super::shapes::{self, CONFIG_SCHEMA, NewFile};
use super::write::{findings, new_files, validate, write_files, yaml};
use crate::mcp::Context;
use crate::mcp::confine::confined;
use pacto_core::bundle::CONTRACT_FILE;
use serde_json::{Map, Value, json};

pub fn run(ctx: &Context, a: CreateArgs) -> Result<Value, String> {
    if !crate::commands::init::is_valid_name(&a.name) {
        return Err(format!(
            "invalid service name {:?}: use lowercase letters, digits and dashes (at most 63, not starting or ending with a dash)",
            a.name
        ));
    }
    let pacto_version = a.pacto_version.clone().unwrap_or_else(|| "2.0".into());
    if pacto_version != "2.0" && pacto_version != "1.2" {
        return Err(format!(
            "pacto_version {pacto_version:?}: pacto_create writes 2.0 (default) or 1.2"
        ));
    }
    let v2 = shapes::is_v2(&pacto_version);
    let version = a.version.clone().unwrap_or_else(|| "0.1.0".into());
    let dir_rel = a.path.clone().unwrap_or_else(|| a.name.clone());
    let dir = confined(&ctx.root, &dir_rel)?;

    let mut files = Vec::new();
    let mut service = Map::new();
    service.insert("name".into(), json!(a.name));
    service.insert("version".into(), json!(version));
    if let Some(team) = &a.owner {
        service.insert("owner".into(), shapes::owner(team));
    }
    let mut c = Map::new();
    c.insert("pactoVersion".into(), json!(pacto_version));
    c.insert("service".into(), Value::Object(service));
    if !a.interfaces.is_empty() {
        let mut list = Vec::new();
        for (i, iface) in a.interfaces.iter().enumerate() {
            let (entry, file) = shapes::interface(v2, iface, i)?;
            list.push(entry);
            files.push(file);
        }
        c.insert("interfaces".into(), Value::Array(list));
    }
    if !a.config_properties.is_empty() {
        let schema = shapes::config_schema(&a.config_properties, None)?;
        files.push(NewFile {
            path: CONFIG_SCHEMA.into(),
            text: pretty(&schema),
        });
        c.insert("configurations".into(), json!([shapes::config_entry(v2)]));
    }
    if !a.dependencies.is_empty() {
        let deps = a
            .dependencies
            .iter()
            .map(shapes::dependency)
            .collect::<Result<Vec<_>, _>>()?;
        c.insert("dependencies".into(), Value::Array(deps));
    }
    let state = a.state();
    let workload = a.workload.as_deref().map(shapes::workload).transpose()?;
    let state = state
        .any()
        .then(|| shapes::state(&state, None))
        .transpose()?;
    if v2 {
        if let Some(w) = workload {
            c.insert("workload".into(), w);
        }
        if let Some(s) = state {
            c.insert("state".into(), s);
        }
    } else if workload.is_some() || state.is_some() {
        let mut runtime = Map::new();
        runtime.insert(
            "workload".into(),
            workload.unwrap_or_else(|| json!("service")),
        );
        runtime.insert(
            "state".into(),
            state.unwrap_or(shapes::state(&Default::default(), None)?),
        );
        c.insert("runtime".into(), Value::Object(runtime));
    }
    if let Some(m) = &a.metadata {
        c.insert("metadata".into(), Value::Object(m.clone()));
    }
    let contract = Value::Object(c);
    let report = validate(&contract, None, &files);
    let text = format!(
        "# Service contract for {}. Reference: https://pacto.trianalab.com\n{}",
        a.name,
        yaml(&contract)?
    );
    files.insert(
        0,
        NewFile {
            path: CONTRACT_FILE.into(),
            text: text.clone(),
        },
    );
    if !report.is_valid() {
        return Err(format!(
            "the contract would be invalid, nothing written: {}",
            findings(&report)
        ));
    }
    if !a.dry_run {
        if dir.join(CONTRACT_FILE).exists() {
            return Err(format!(
                "{dir_rel}/{CONTRACT_FILE} already exists: use pacto_edit to change it"
            ));
        }
        write_files(&ctx.root, &dir, new_files(&files))?;
    }
    let names: Vec<String> = files
        .iter()
        .map(|f| format!("{dir_rel}/{}", f.path))
        .collect();
    Ok(json!({
        "path": dir_rel,
        "pactoVersion": pacto_version,
        "dryRun": a.dry_run,
        "files": names,
        "contract": text,
        "validation": findings(&report),
        "summary": format!(
            "{} {} bundle {dir_rel}/ for {} {version} ({} file(s))",
            if a.dry_run { "would create" } else { "created" },
            pacto_version, a.name, files.len()
        ),
    }))
}

pub fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default() + "\n"
}
