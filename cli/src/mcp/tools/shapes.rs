//! The contract fragments `pacto_create` and `pacto_edit` write, in the shape of the
//! contract's pactoVersion (2.0: `ref`, top-level `workload`/`state`; 1.2: `contract`,
//! `port`, `runtime.*`), and the stub files that go with them.

use super::args::{ConfigPropertyArg, DependencyArg, InterfaceArg, StateArgs};
use serde_json::{Map, Value, json};

pub const CONFIG_SCHEMA: &str = "configuration/schema.json";

/// A file the tool writes, relative to the bundle directory.
pub struct NewFile {
    pub path: String,
    pub text: String,
}

pub fn is_v2(pacto_version: &str) -> bool {
    !pacto_version.starts_with("1.")
}

/// The interface entry and the stub spec file it refers to.
pub fn interface(v2: bool, i: &InterfaceArg, index: usize) -> Result<(Value, NewFile), String> {
    if i.name.trim().is_empty() {
        return Err("an interface needs a name".into());
    }
    if !i
        .name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(format!(
            "interface name {:?}: use letters, digits, `-` and `_`",
            i.name
        ));
    }
    let proto = match i.kind.as_str() {
        "openapi" | "http" => "http",
        "asyncapi" | "event" => "event",
        "grpc" => "grpc",
        other => {
            return Err(format!(
                "interface {:?}: type {other:?} is not one of openapi, asyncapi, grpc",
                i.name
            ));
        }
    };
    if let Some(v) = &i.visibility
        && v != "public"
        && v != "internal"
    {
        return Err(format!(
            "interface {:?}: visibility {v:?} is not public or internal",
            i.name
        ));
    }
    let name = &i.name;
    let (path, text) = match proto {
        "grpc" => (format!("interfaces/{name}.proto"), grpc_stub(name)),
        "event" => (format!("interfaces/{name}.yaml"), asyncapi_stub(name)),
        _ => (format!("interfaces/{name}.yaml"), openapi_stub(name)),
    };
    let mut e = Map::new();
    e.insert("name".into(), json!(name));
    let kind = match (v2, proto) {
        (true, "http") => "openapi",
        (true, "event") => "asyncapi",
        (_, k) => k,
    };
    e.insert("type".into(), json!(kind));
    if !v2 && proto != "event" {
        let base = if proto == "grpc" { 9090 } else { 8080 };
        e.insert("port".into(), json!(base + index));
    }
    if let Some(v) = &i.visibility {
        e.insert("visibility".into(), json!(v));
    }
    e.insert(
        if v2 { "ref" } else { "contract" }.into(),
        json!(path.clone()),
    );
    Ok((Value::Object(e), NewFile { path, text }))
}

fn openapi_stub(name: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo:\n  title: {name}\n  version: 0.1.0\npaths:\n  /health:\n    get:\n      operationId: health\n      summary: Liveness\n      responses:\n        \"200\":\n          description: OK\n"
    )
}

fn asyncapi_stub(name: &str) -> String {
    format!(
        "asyncapi: 2.6.0\ninfo:\n  title: {name}\n  version: 0.1.0\nchannels:\n  {name}.events:\n    publish:\n      message:\n        payload:\n          type: object\n"
    )
}

fn grpc_stub(name: &str) -> String {
    let service: String = name
        .split(['-', '_'])
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    let package = name.replace('-', "_");
    format!(
        "syntax = \"proto3\";\n\npackage {package};\n\nservice {service} {{\n  rpc Ping (PingRequest) returns (PingReply);\n}}\n\nmessage PingRequest {{}}\n\nmessage PingReply {{}}\n"
    )
}

/// A dependency entry; the name defaults to the ref's last path segment.
pub fn dependency(d: &DependencyArg) -> Result<Value, String> {
    let reference = d.reference.trim();
    if reference.is_empty() {
        return Err("a dependency needs a ref".into());
    }
    let name = match &d.name {
        Some(n) if !n.trim().is_empty() => n.clone(),
        _ => name_from_ref(reference),
    };
    let compatibility = d.compatibility.clone().unwrap_or_else(|| "*".into());
    Ok(json!({
        "name": name,
        "ref": reference,
        "required": d.required.unwrap_or(false),
        "compatibility": compatibility,
    }))
}

/// `oci://host/team/orders:1.0.0` and `../orders@sha256:…` are both named `orders`.
pub fn name_from_ref(reference: &str) -> String {
    let no_digest = reference.split('@').next().unwrap_or(reference);
    let last = no_digest
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(no_digest);
    last.split(':').next().unwrap_or(last).to_string()
}

pub fn workload(w: &str) -> Result<Value, String> {
    match w {
        "service" | "job" | "scheduled" => Ok(json!(w)),
        other => Err(format!(
            "workload {other:?} is not one of service, job, scheduled"
        )),
    }
}

/// The `state` block, starting from `existing` (edit) and applying the flags given.
pub fn state(s: &StateArgs, existing: Option<&Value>) -> Result<Value, String> {
    let get = |p: &str| existing.and_then(|v| v.pointer(p)).and_then(Value::as_str);
    let stateful = s
        .stores_data
        .unwrap_or_else(|| get("/type").is_some_and(|t| t != "stateless"));
    let persistent = stateful
        && s.data_survives_restart
            .unwrap_or_else(|| get("/persistence/durability") == Some("persistent"));
    let shared = s
        .data_shared_across_instances
        .unwrap_or_else(|| get("/persistence/scope") == Some("shared"));
    let criticality = match &s.data_loss_impact {
        Some(c) if ["low", "medium", "high"].contains(&c.as_str()) => c.clone(),
        Some(c) => return Err(format!("data_loss_impact {c:?} is not low, medium or high")),
        None => get("/dataCriticality").unwrap_or("low").to_string(),
    };
    Ok(json!({
        "type": if stateful { "stateful" } else { "stateless" },
        "persistence": {
            "scope": if shared { "shared" } else { "local" },
            "durability": if persistent { "persistent" } else { "ephemeral" },
        },
        "dataCriticality": criticality,
    }))
}

/// The configuration JSON Schema with `props` added to `existing` (or a new one).
pub fn config_schema(
    props: &[ConfigPropertyArg],
    existing: Option<Value>,
) -> Result<Value, String> {
    let mut schema = existing.unwrap_or_else(|| {
        json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": {},
        })
    });
    for p in props {
        let kind = p.kind.as_deref().unwrap_or("string");
        if !["string", "integer", "number", "boolean", "array", "object"].contains(&kind) {
            return Err(format!(
                "config property {:?}: type {kind:?} is not a JSON Schema type",
                p.name
            ));
        }
        let obj = schema
            .as_object_mut()
            .ok_or("the configuration schema is not a JSON object")?;
        obj.entry("properties")
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .ok_or("the configuration schema's `properties` is not an object")?
            .insert(p.name.clone(), json!({ "type": kind }));
        if p.required == Some(true) {
            let req = obj.entry("required").or_insert_with(|| json!([]));
            if let Some(list) = req.as_array_mut()
                && !list.iter().any(|v| v == &json!(p.name))
            {
                list.push(json!(p.name));
            }
        }
    }
    Ok(schema)
}

/// The `default` configuration entry pointing at [`CONFIG_SCHEMA`].
pub fn config_entry(v2: bool) -> Value {
    if v2 {
        json!({ "name": "default", "schema": CONFIG_SCHEMA, "required": true })
    } else {
        json!({ "name": "default", "schema": CONFIG_SCHEMA })
    }
}

pub fn owner(team: &str) -> Value {
    json!({ "team": team })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_last_ref_segment() {
        assert_eq!(name_from_ref("oci://ghcr.io/acme/orders:1.0.0"), "orders");
        assert_eq!(
            name_from_ref("oci://ghcr.io/acme/orders@sha256:ab"),
            "orders"
        );
        assert_eq!(name_from_ref("../orders/"), "orders");
        assert_eq!(name_from_ref("localhost:5000/db"), "db");
    }
}
