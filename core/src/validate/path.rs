//! Finding paths: dotted keys with bracketed indexes (`interfaces[0].port`).

use serde_json::Value;

/// Appends an object key to a display path, quoting keys that would be ambiguous.
pub fn key(parent: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$');
    match (parent.is_empty(), plain) {
        (true, true) => key.to_string(),
        (false, true) => format!("{parent}.{key}"),
        (_, false) => format!("{parent}[{}]", Value::String(key.to_string())),
    }
}

/// Appends an array index to a display path.
pub fn index(parent: &str, i: usize) -> String {
    format!("{parent}[{i}]")
}

/// Converts a JSON Pointer into `instance` to a display path under `prefix`. The
/// instance decides whether a numeric segment is an array index or an object key.
pub fn from_pointer(prefix: &str, instance: &Value, pointer: &str) -> String {
    let mut out = prefix.to_string();
    let mut current = Some(instance);
    for raw in pointer.split('/').skip(1) {
        let seg = raw.replace("~1", "/").replace("~0", "~");
        match current {
            Some(Value::Array(items)) => match seg.parse::<usize>() {
                Ok(i) => {
                    out = index(&out, i);
                    current = items.get(i);
                }
                Err(_) => {
                    out = key(&out, &seg);
                    current = None;
                }
            },
            Some(Value::Object(map)) => {
                out = key(&out, &seg);
                current = map.get(&seg);
            }
            _ => {
                out = match seg.parse::<usize>() {
                    Ok(i) => index(&out, i),
                    Err(_) => key(&out, &seg),
                };
                current = None;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pointers_become_dotted_paths() {
        let doc = json!({"interfaces": [{"port": 1}], "metadata": {"0": {"a.b": 1}}});
        assert_eq!(
            from_pointer("", &doc, "/interfaces/0/port"),
            "interfaces[0].port"
        );
        assert_eq!(
            from_pointer("", &doc, "/metadata/0/a.b"),
            "metadata.0[\"a.b\"]"
        );
        assert_eq!(from_pointer("", &doc, ""), "");
        assert_eq!(
            from_pointer("x.values", &doc, "/interfaces"),
            "x.values.interfaces"
        );
        assert_eq!(key("", "service"), "service");
    }
}
