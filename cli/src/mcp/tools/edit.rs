//! `pacto_edit`: structured changes to an existing `pacto.yaml` (comments are not kept).

use super::args::EditArgs;
use super::create::pretty;
use super::shapes::{self, CONFIG_SCHEMA, NewFile};
use super::write::{findings, new_files, validate, write_files, yaml};
use crate::mcp::Context;
use crate::mcp::confine::confined;
use pacto_core::bundle::{Bundle, CONTRACT_FILE, Limits};
use pacto_core::parse::parse_yaml;
use serde_json::{Map, Value, json};

pub fn run(ctx: &Context, a: EditArgs) -> Result<Value, String> {
    let dir_rel = a.path.clone().unwrap_or_else(|| ".".into());
    let dir = confined(&ctx.root, &dir_rel)?;
    let base = Bundle::from_dir(&dir, &Limits::default()).map_err(|e| e.to_string())?;
    let text = base
        .contract_text()
        .ok_or_else(|| format!("{dir_rel}/{CONTRACT_FILE} is missing or not UTF-8"))?;
    let mut contract = parse_yaml(text).map_err(|f| f.message)?;
    let before = validate(&contract, Some(base.clone()), &[]);
    let v2 = shapes::is_v2(
        contract
            .get("pactoVersion")
            .and_then(Value::as_str)
            .unwrap_or("2.0"),
    );
    let c = contract
        .as_object_mut()
        .ok_or("pacto.yaml is not a mapping")?;
    let mut changes = Vec::new();
    let mut files = Vec::new();

    if a.name.is_some() || a.version.is_some() || a.owner.is_some() {
        let service = object(c, "service")?;
        if let Some(n) = &a.name {
            if !crate::commands::init::is_valid_name(n) {
                return Err(format!("invalid service name {n:?}"));
            }
            service.insert("name".into(), json!(n));
            changes.push(format!("service.name = {n}"));
        }
        if let Some(v) = &a.version {
            service.insert("version".into(), json!(v));
            changes.push(format!("service.version = {v}"));
        }
        if let Some(o) = &a.owner {
            service.insert("owner".into(), shapes::owner(o));
            changes.push(format!("service.owner.team = {o}"));
        }
    }
    let ifaces = array(c, "interfaces")?;
    for name in &a.remove_interfaces {
        let n = ifaces.len();
        ifaces.retain(|i| i.get("name").and_then(Value::as_str) != Some(name));
        if ifaces.len() == n {
            return Err(format!("no interface named {name:?}"));
        }
        changes.push(format!("removed interface {name}"));
    }
    for iface in &a.add_interfaces {
        if ifaces
            .iter()
            .any(|i| i.get("name").and_then(Value::as_str) == Some(&iface.name))
        {
            return Err(format!("interface {:?} already exists", iface.name));
        }
        let (entry, file) = shapes::interface(v2, iface, ifaces.len())?;
        ifaces.push(entry);
        if !base.contains(&file.path) {
            changes.push(format!("wrote stub spec {}", file.path));
            files.push(file);
        }
        changes.push(format!("added interface {} ({})", iface.name, iface.kind));
    }
    drop_if_empty(c, "interfaces");
    let deps = array(c, "dependencies")?;
    for key in &a.remove_dependencies {
        let n = deps.len();
        deps.retain(|d| {
            d.get("ref").and_then(Value::as_str) != Some(key)
                && d.get("name").and_then(Value::as_str) != Some(key)
        });
        if deps.len() == n {
            return Err(format!("no dependency with ref or name {key:?}"));
        }
        changes.push(format!("removed dependency {key}"));
    }
    for d in &a.add_dependencies {
        let entry = shapes::dependency(d)?;
        let name = entry["name"].clone();
        if deps.iter().any(|x| x.get("name") == Some(&name)) {
            return Err(format!("a dependency named {name} already exists"));
        }
        changes.push(format!("added dependency {} ({})", name, d.reference));
        deps.push(entry);
    }
    drop_if_empty(c, "dependencies");
    let state_args = a.state();
    if a.workload.is_some() || state_args.any() {
        let holder = if v2 { &mut *c } else { object(c, "runtime")? };
        if let Some(w) = &a.workload {
            holder.insert("workload".into(), shapes::workload(w)?);
            changes.push(format!("workload = {w}"));
        }
        if state_args.any() {
            let s = shapes::state(&state_args, holder.get("state"))?;
            changes.push(format!("state = {s}"));
            holder.insert("state".into(), s);
        }
    }
    if !a.add_config_properties.is_empty() {
        let existing = base
            .read_str(CONFIG_SCHEMA)
            .and_then(|t| serde_json::from_str(t).ok());
        let schema = shapes::config_schema(&a.add_config_properties, existing)?;
        files.push(NewFile {
            path: CONFIG_SCHEMA.into(),
            text: pretty(&schema),
        });
        let configs = array(c, "configurations")?;
        if !configs
            .iter()
            .any(|x| x.get("schema").and_then(Value::as_str) == Some(CONFIG_SCHEMA))
        {
            configs.push(shapes::config_entry(v2));
        }
        for p in &a.add_config_properties {
            changes.push(format!("added config property {}", p.name));
        }
    }
    if a.set_metadata.is_some() || !a.remove_metadata.is_empty() {
        let meta = object(c, "metadata")?;
        for (k, v) in a.set_metadata.iter().flatten() {
            meta.insert(k.clone(), v.clone());
            changes.push(format!("metadata.{k} = {v}"));
        }
        for k in &a.remove_metadata {
            if meta.remove(k).is_some() {
                changes.push(format!("removed metadata.{k}"));
            }
        }
        drop_if_empty(c, "metadata");
    }

    let after = validate(&contract, Some(base), &files);
    if after.errors.len() > before.errors.len() {
        return Err(format!(
            "the edit would make the contract invalid, nothing written: {}",
            findings(&after)
        ));
    }
    let text = yaml(&contract)?;
    files.insert(
        0,
        NewFile {
            path: CONTRACT_FILE.into(),
            text: text.clone(),
        },
    );
    if !a.dry_run && !changes.is_empty() {
        write_files(&ctx.root, &dir, new_files(&files))?;
    }
    Ok(json!({
        "path": dir_rel,
        "dryRun": a.dry_run,
        "changes": changes,
        "summary": format!(
            "{} {} change(s) to {dir_rel}/{CONTRACT_FILE}",
            if a.dry_run { "would apply" } else { "applied" },
            changes.len()
        ),
        "contract": text,
        "validation": findings(&after),
    }))
}

fn object<'a>(
    c: &'a mut Map<String, Value>,
    key: &str,
) -> Result<&'a mut Map<String, Value>, String> {
    c.entry(key)
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .ok_or_else(|| format!("`{key}` is not a mapping"))
}

fn array<'a>(c: &'a mut Map<String, Value>, key: &str) -> Result<&'a mut Vec<Value>, String> {
    c.entry(key)
        .or_insert_with(|| json!([]))
        .as_array_mut()
        .ok_or_else(|| format!("`{key}` is not a list"))
}

fn drop_if_empty(c: &mut Map<String, Value>, key: &str) {
    let empty = match c.get(key) {
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        _ => false,
    };
    if empty {
        c.remove(key);
    }
}
