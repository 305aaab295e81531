//! `schema-infer`: a draft 2020-12 JSON Schema inferred from a sample configuration file
//! (`.json`, `.yaml`/`.yml`, `.toml`). Every key present is `required`; the root object
//! refuses other keys (`additionalProperties: false`); an array's `items` is inferred from
//! all its elements (merged); integers stay `integer`, mixed with floats they become `number`.

use crate::{File, PluginError, Request, Response};
use serde_json::{Map, Value, json};
use std::path::Path;

pub const OUTPUT_FILE: &str = "config.schema.json";
const DEFAULT_TITLE: &str = "configuration";

pub fn generate(req: &Request) -> Result<Response, PluginError> {
    let file = req
        .option("file")
        .ok_or_else(|| PluginError::new("option \"file\" is required (--option file=<sample>)"))?;
    let title = req.option("title").unwrap_or(DEFAULT_TITLE);
    let path = req.bundle_path(file);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| PluginError::new(format!("read {}: {e}", path.display())))?;
    let sample = parse_sample(file, &text)?;
    let schema = document(title, &sample);
    let mut content = serde_json::to_string_pretty(&schema)
        .map_err(|e| PluginError::new(format!("encode schema: {e}")))?;
    content.push('\n');
    Ok(Response {
        files: vec![File {
            path: OUTPUT_FILE.into(),
            content,
        }],
        message: Some(format!(
            "Inferred {OUTPUT_FILE} from {file}; reference it from configurations[].schema"
        )),
    })
}

/// The sample as JSON, by file extension.
pub fn parse_sample(name: &str, text: &str) -> Result<Value, PluginError> {
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let bad = |e: String| PluginError::new(format!("parse {name}: {e}"));
    match ext.as_str() {
        "json" => serde_json::from_str(text).map_err(|e| bad(e.to_string())),
        "yaml" | "yml" => serde_saphyr::from_str::<Value>(text).map_err(|e| bad(e.to_string())),
        "toml" => {
            let v: toml::Value = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
            Ok(toml_to_json(v))
        }
        _ => Err(PluginError::new(format!(
            "unsupported sample {name:?}: use a .json, .yaml, .yml or .toml file"
        ))),
    }
}

fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => json!(i),
        toml::Value::Float(f) => json!(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        // A date/time is a string in JSON terms.
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

/// The whole schema document.
pub fn document(title: &str, sample: &Value) -> Value {
    let mut root = Map::new();
    root.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    root.insert("title".into(), json!(title));
    if let Value::Object(inferred) = infer(sample) {
        root.extend(inferred);
    }
    if sample.is_object() {
        root.insert("additionalProperties".into(), Value::Bool(false));
    }
    Value::Object(root)
}

/// The schema of one value.
pub fn infer(v: &Value) -> Value {
    match v {
        Value::Null => json!({"type": "null"}),
        Value::Bool(_) => json!({"type": "boolean"}),
        Value::Number(n) if n.is_i64() || n.is_u64() => json!({"type": "integer"}),
        Value::Number(_) => json!({"type": "number"}),
        Value::String(_) => json!({"type": "string"}),
        Value::Array(items) => {
            let mut s = Map::new();
            s.insert("type".into(), json!("array"));
            if let Some(merged) = items.iter().map(infer).reduce(|a, b| merge(&a, &b)) {
                s.insert("items".into(), merged);
            }
            Value::Object(s)
        }
        Value::Object(fields) => {
            let props: Map<String, Value> =
                fields.iter().map(|(k, v)| (k.clone(), infer(v))).collect();
            let required: Vec<Value> = fields.keys().map(|k| json!(k)).collect();
            let mut s = Map::new();
            s.insert("type".into(), json!("object"));
            s.insert("properties".into(), Value::Object(props));
            if !required.is_empty() {
                s.insert("required".into(), Value::Array(required));
            }
            Value::Object(s)
        }
    }
}

/// One schema accepting what either accepts (as far as the samples show).
fn merge(a: &Value, b: &Value) -> Value {
    if a == b {
        return a.clone();
    }
    let (ta, tb) = (type_of(a), type_of(b));
    match (ta.as_str(), tb.as_str()) {
        ("integer", "number") | ("number", "integer") => json!({"type": "number"}),
        ("object", "object") => merge_objects(a, b),
        ("array", "array") => match (a.get("items"), b.get("items")) {
            (Some(x), Some(y)) => json!({"type": "array", "items": merge(x, y)}),
            (Some(x), None) | (None, Some(x)) => json!({"type": "array", "items": x}),
            (None, None) => json!({"type": "array"}),
        },
        _ => {
            // Different kinds: anyOf, flattened and without duplicates.
            let mut alts: Vec<Value> = Vec::new();
            for s in [a, b] {
                let parts = s
                    .get("anyOf")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_else(|| vec![s.clone()]);
                for p in parts {
                    if !alts.contains(&p) {
                        alts.push(p);
                    }
                }
            }
            json!({"anyOf": alts})
        }
    }
}

fn type_of(s: &Value) -> String {
    s.get("type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// Objects: the union of properties (merged where both have one); required only what both
/// require.
fn merge_objects(a: &Value, b: &Value) -> Value {
    let empty = Map::new();
    let pa = a
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let pb = b
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut props = pa.clone();
    for (k, v) in pb {
        let merged = match props.get(k) {
            Some(existing) => merge(existing, v),
            None => v.clone(),
        };
        props.insert(k.clone(), merged);
    }
    let req = |s: &Value| -> Vec<Value> {
        s.get("required")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let rb = req(b);
    let required: Vec<Value> = req(a).into_iter().filter(|k| rb.contains(k)).collect();
    let mut s = Map::new();
    s.insert("type".into(), json!("object"));
    s.insert("properties".into(), Value::Object(props));
    if !required.is_empty() {
        s.insert("required".into(), Value::Array(required));
    }
    Value::Object(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_arrays_and_objects() {
        assert_eq!(infer(&json!(1)), json!({"type": "integer"}));
        assert_eq!(infer(&json!(1.5)), json!({"type": "number"}));
        assert_eq!(
            infer(&json!([1, 2.5])),
            json!({"type": "array", "items": {"type": "number"}})
        );
        assert_eq!(infer(&json!([])), json!({"type": "array"}));
        assert_eq!(
            infer(&json!([1, "a", 2])),
            json!({"type": "array", "items": {"anyOf": [{"type": "integer"}, {"type": "string"}]}})
        );
        let objs = infer(&json!([{"a": 1, "b": true}, {"a": 2}]));
        assert_eq!(
            objs,
            json!({"type": "array", "items": {"type": "object",
                "properties": {"a": {"type": "integer"}, "b": {"type": "boolean"}},
                "required": ["a"]}})
        );
    }

    #[test]
    fn the_root_refuses_other_keys_and_formats_are_read_by_extension() {
        let doc = document("t", &json!({"port": 8080}));
        assert_eq!(doc["additionalProperties"], json!(false));
        assert_eq!(doc["required"], json!(["port"]));
        assert_eq!(doc["title"], json!("t"));
        let t = parse_sample("c.toml", "port = 1\n[db]\nhost = \"h\"\n").unwrap_or_default();
        assert_eq!(t, json!({"port": 1, "db": {"host": "h"}}));
        let y = parse_sample("c.yml", "a: [1, 2]\n").unwrap_or_default();
        assert_eq!(y, json!({"a": [1, 2]}));
        assert!(parse_sample("c.ini", "").is_err());
    }

    #[test]
    fn an_inferred_schema_accepts_its_sample_and_refuses_extra_keys() {
        let sample = json!({
            "port": 8080, "ratio": 0.5, "tags": ["a"], "mixed": [1, "x", {"k": 1.5}],
            "db": {"replicas": [{"host": "a", "w": 1}, {"host": "b", "ro": true}]}, "none": null
        });
        let schema = document("t", &sample);
        let v = jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{e}"));
        assert!(v.is_valid(&sample));
        let mut extra = sample.clone();
        extra["unknown"] = json!(1);
        assert!(!v.is_valid(&extra));
        let mut missing = sample.clone();
        missing.as_object_mut().map(|o| o.remove("port"));
        assert!(!v.is_valid(&missing));
        let mut float_port = sample;
        float_port["port"] = json!(1.5);
        assert!(!v.is_valid(&float_port));
    }
}
