//! Values files (`-f`): parsed, then deep-merged by the rules of the module.

use serde_json::{Map, Value};

use super::ValueOverrideError;

/// Deep-merges `overlay` into `base` following the module's merge rules.
pub fn merge_values(base: &mut Value, overlay: &Value) {
    match (base, overlay) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(existing) => merge_values(existing, v),
                    None => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Array(b), Value::Array(o)) if is_named_array(b) && is_named_array(o) => {
            for item in o {
                let name = item_name(item);
                match b.iter_mut().find(|x| item_name(x) == name) {
                    Some(existing) => merge_values(existing, item),
                    None => b.push(item.clone()),
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

pub(super) fn item_name(v: &Value) -> Option<&str> {
    v.get("name").and_then(Value::as_str)
}

fn is_named_array(items: &[Value]) -> bool {
    !items.is_empty() && items.iter().all(|i| item_name(i).is_some())
}

/// Parses a values file (YAML or JSON); the root must be a map.
pub fn parse_values_file(file: &str, text: &str) -> Result<Value, ValueOverrideError> {
    let v: Value = serde_saphyr::from_str(text).map_err(|e| ValueOverrideError::ValuesFile {
        file: file.to_string(),
        reason: e.to_string(),
    })?;
    match v {
        Value::Object(_) => Ok(v),
        Value::Null => Ok(Value::Object(Map::new())),
        _ => Err(ValueOverrideError::ValuesFile {
            file: file.to_string(),
            reason: "the top level must be a map of contract fields".to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn maps_merge_and_scalars_replace() {
        let mut base = json!({"service": {"name": "a", "version": "1.0.0"}, "tags": [1, 2]});
        merge_values(
            &mut base,
            &json!({"service": {"version": "2.0.0"}, "tags": [3]}),
        );
        assert_eq!(
            base,
            json!({"service": {"name": "a", "version": "2.0.0"}, "tags": [3]})
        );
    }

    #[test]
    fn named_arrays_merge_by_name() {
        let mut base = json!({"configurations": [
            {"name": "default", "schema": "configuration/schema.json", "values": {"A": 1}}
        ]});
        merge_values(
            &mut base,
            &json!({"configurations": [{"name": "default", "values": {"B": 2}}, {"name": "x", "ref": "oci://r/x"}]}),
        );
        assert_eq!(
            base,
            json!({"configurations": [
                {"name": "default", "schema": "configuration/schema.json", "values": {"A": 1, "B": 2}},
                {"name": "x", "ref": "oci://r/x"}
            ]})
        );
    }

    #[test]
    fn values_file_root_must_be_a_map() {
        assert!(parse_values_file("v.yaml", "- a\n- b\n").is_err());
        assert_eq!(parse_values_file("v.yaml", "").unwrap(), json!({}));
        assert_eq!(
            parse_values_file("v.yaml", "a: 1\n").unwrap(),
            json!({"a": 1})
        );
    }
}
