//! One ConfigMap skeleton per configuration: the keys of its JSON Schema's top-level
//! `properties` (in schema order), each set to the contract's value, else the schema's
//! `default`, else empty; then the contract values the schema does not list.

use std::path::Path;

use pacto_core::Contract;
use serde_json::{Map, Value};

use super::names::dns_label;

#[derive(Debug, Clone, PartialEq)]
pub struct ConfigMapPlan {
    /// Configuration name in the contract.
    pub configuration: String,
    /// ConfigMap name.
    pub name: String,
    pub data: Vec<(String, String)>,
}

/// ConfigMap name of a configuration: `<service>-config` for the default one.
pub fn configmap_name(service: &str, configuration: &str) -> String {
    if configuration == pacto_core::model::DEFAULT_SECTION_NAME {
        dns_label(&format!("{service}-config"))
    } else {
        dns_label(&format!("{service}-{configuration}-config"))
    }
}

pub fn plan(c: &Contract, bundle_dir: &str, notes: &mut Vec<String>) -> Vec<ConfigMapPlan> {
    let mut out = Vec::new();
    for (at, cfg) in c.all_configurations() {
        let configuration = cfg.display_name().to_string();
        let properties =
            cfg.schema
                .as_deref()
                .and_then(|s| match read_schema(&Path::new(bundle_dir).join(s)) {
                    Ok(p) => Some(p),
                    Err(why) => {
                        notes.push(format!("{at}.schema {s}: {why}; keys from values only"));
                        None
                    }
                });
        let values = cfg
            .values
            .as_ref()
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut data: Vec<(String, String)> = Vec::new();
        for (k, prop) in properties.iter().flatten() {
            let v = values
                .get(k)
                .or_else(|| prop.get("default"))
                .map(text)
                .unwrap_or_default();
            data.push((k.clone(), v));
        }
        for (k, v) in &values {
            if !data.iter().any(|(d, _)| d == k) {
                data.push((k.clone(), text(v)));
            }
        }
        out.push(ConfigMapPlan {
            name: configmap_name(&c.service.name, &configuration),
            configuration,
            data,
        });
    }
    out
}

fn read_schema(path: &Path) -> Result<Map<String, Value>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot be read ({e})"))?;
    let schema: Value = serde_json::from_str(&text)
        .or_else(|_| serde_saphyr::from_str(&text))
        .map_err(|e| format!("is not JSON or YAML ({e})"))?;
    Ok(schema
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default())
}

/// ConfigMap data are strings: scalars as written, structures as JSON, null as empty.
fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(_) | Value::Number(_) => v.to_string(),
        Value::Array(_) | Value::Object(_) => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_text() {
        assert_eq!(configmap_name("shop", "default"), "shop-config");
        assert_eq!(
            configmap_name("shop", "Cache_Tuning"),
            "shop-cache-tuning-config"
        );
        assert_eq!(text(&serde_json::json!(3)), "3");
        assert_eq!(text(&serde_json::json!({"a": [1]})), r#"{"a":[1]}"#);
        assert_eq!(text(&Value::Null), "");
    }
}
