//! `--set key=value` expressions: a path of keys, indexes and item names, and a scalar
//! whose type is inferred.

use serde_json::{Map, Value};

use super::ValueOverrideError;
use super::merge::item_name;

/// Infers a `--set` value's type: integer, then float, then boolean, then string.
pub fn infer_scalar(s: &str) -> Value {
    if let Ok(i) = s.parse::<i64>() {
        return Value::from(i);
    }
    if let Ok(f) = s.parse::<f64>()
        && f.is_finite()
        && !s.eq_ignore_ascii_case("inf")
        && !s.eq_ignore_ascii_case("nan")
        && let Some(n) = serde_json::Number::from_f64(f)
    {
        return Value::Number(n);
    }
    match s {
        "true" | "True" | "TRUE" | "t" | "T" => Value::Bool(true),
        "false" | "False" | "FALSE" | "f" | "F" => Value::Bool(false),
        _ => Value::String(s.to_string()),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Key(String),
    Index(usize),
    Name(String),
}

/// Splits `a.b[0].c[name]` into segments; `\.` escapes a literal dot in a key.
fn parse_path(path: &str) -> Result<Vec<Segment>, ValueOverrideError> {
    let bad = |reason: &str| ValueOverrideError::InvalidPath {
        path: path.to_string(),
        reason: reason.to_string(),
    };
    let mut segs = Vec::new();
    let mut key = String::new();
    let mut chars = path.chars().peekable();
    let mut after_bracket = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'.') => {
                key.push('.');
                chars.next();
            }
            '.' => {
                if key.is_empty() && !after_bracket {
                    return Err(bad("empty key segment"));
                }
                if !key.is_empty() {
                    segs.push(Segment::Key(std::mem::take(&mut key)));
                }
                after_bracket = false;
            }
            '[' => {
                if !key.is_empty() {
                    segs.push(Segment::Key(std::mem::take(&mut key)));
                } else if segs.is_empty() {
                    return Err(bad("a path cannot start with an index"));
                }
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some(']') => break,
                        Some(ch) => inner.push(ch),
                        None => return Err(bad("missing ']'")),
                    }
                }
                if inner.is_empty() {
                    return Err(bad("empty index []"));
                }
                segs.push(match inner.parse::<usize>() {
                    Ok(i) => Segment::Index(i),
                    Err(_) => Segment::Name(inner),
                });
                after_bracket = true;
            }
            c => {
                if after_bracket {
                    return Err(bad("expected '.' or '[' after ']'"));
                }
                key.push(c);
            }
        }
    }
    if !key.is_empty() {
        segs.push(Segment::Key(key));
    } else if !after_bracket {
        return Err(bad("empty key segment"));
    }
    Ok(segs)
}

/// Applies one `key=value` expression to `doc`. Missing map keys are created; array
/// indexes must exist (`[2]`) or name an item (`[default]` selects the item whose
/// `name` is `default`).
pub fn apply_set(doc: &mut Value, expr: &str) -> Result<(), ValueOverrideError> {
    let (path, raw) = expr
        .split_once('=')
        .ok_or_else(|| ValueOverrideError::InvalidSet(expr.to_string()))?;
    if path.trim().is_empty() {
        return Err(ValueOverrideError::InvalidSet(expr.to_string()));
    }
    let segs = parse_path(path)?;
    let value = infer_scalar(raw);
    let mut cur = doc;
    let mut at = String::new();
    for (i, seg) in segs.iter().enumerate() {
        let last = i + 1 == segs.len();
        match seg {
            Segment::Key(k) => {
                if cur.is_null() {
                    *cur = Value::Object(Map::new());
                }
                let Value::Object(map) = cur else {
                    return Err(ValueOverrideError::ExpectedMap {
                        path: path.to_string(),
                        at: display_at(&at),
                    });
                };
                push_at(&mut at, k);
                if last {
                    map.insert(k.clone(), value);
                    return Ok(());
                }
                cur = map.entry(k.clone()).or_insert(Value::Null);
            }
            Segment::Index(idx) => {
                let Value::Array(items) = cur else {
                    return Err(ValueOverrideError::ExpectedArray {
                        path: path.to_string(),
                        at: display_at(&at),
                    });
                };
                let len = items.len();
                let Some(slot) = items.get_mut(*idx) else {
                    return Err(ValueOverrideError::IndexOutOfBounds {
                        path: path.to_string(),
                        at: display_at(&at),
                        index: *idx,
                        len,
                    });
                };
                at.push_str(&format!("[{idx}]"));
                if last {
                    *slot = value;
                    return Ok(());
                }
                cur = slot;
            }
            Segment::Name(name) => {
                let Value::Array(items) = cur else {
                    return Err(ValueOverrideError::ExpectedArray {
                        path: path.to_string(),
                        at: display_at(&at),
                    });
                };
                let Some(slot) = items.iter_mut().find(|x| item_name(x) == Some(name)) else {
                    return Err(ValueOverrideError::NoSuchName {
                        path: path.to_string(),
                        at: display_at(&at),
                        name: name.clone(),
                    });
                };
                at.push_str(&format!("[{name}]"));
                if last {
                    *slot = value;
                    return Ok(());
                }
                cur = slot;
            }
        }
    }
    Ok(())
}

fn push_at(at: &mut String, key: &str) {
    if !at.is_empty() {
        at.push('.');
    }
    at.push_str(key);
}

fn display_at(at: &str) -> String {
    if at.is_empty() {
        "the document root".to_string()
    } else {
        at.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn set_infers_types() {
        assert_eq!(infer_scalar("3"), json!(3));
        assert_eq!(infer_scalar("1.5"), json!(1.5));
        assert_eq!(infer_scalar("true"), json!(true));
        assert_eq!(infer_scalar("1.0.0"), json!("1.0.0"));
        assert_eq!(infer_scalar("nan"), json!("nan"));
        assert_eq!(infer_scalar(""), json!(""));
    }

    #[test]
    fn set_walks_maps_indexes_and_names() {
        let mut doc = json!({"interfaces": [{"name": "api", "port": 80}], "configurations": [{"name": "default"}]});
        apply_set(&mut doc, "interfaces[0].port=8080").unwrap();
        apply_set(&mut doc, "configurations[default].values.LOG_LEVEL=debug").unwrap();
        apply_set(&mut doc, "metadata.labels.tier=gold").unwrap();
        apply_set(&mut doc, "metadata.labels.a\\.b=1").unwrap();
        assert_eq!(doc["interfaces"][0]["port"], json!(8080));
        assert_eq!(
            doc["configurations"][0]["values"]["LOG_LEVEL"],
            json!("debug")
        );
        assert_eq!(doc["metadata"]["labels"]["tier"], json!("gold"));
        assert_eq!(doc["metadata"]["labels"]["a.b"], json!(1));
    }

    #[test]
    fn set_errors_name_the_problem() {
        let mut doc = json!({"interfaces": [{"name": "api"}], "service": {"name": "x"}});
        assert_eq!(
            apply_set(&mut doc, "novalue"),
            Err(ValueOverrideError::InvalidSet("novalue".into()))
        );
        assert!(matches!(
            apply_set(&mut doc, "interfaces[3].port=1"),
            Err(ValueOverrideError::IndexOutOfBounds {
                index: 3,
                len: 1,
                ..
            })
        ));
        assert!(matches!(
            apply_set(&mut doc, "service[0]=1"),
            Err(ValueOverrideError::ExpectedArray { .. })
        ));
        assert!(matches!(
            apply_set(&mut doc, "service.name.first=1"),
            Err(ValueOverrideError::ExpectedMap { .. })
        ));
        assert!(matches!(
            apply_set(&mut doc, "interfaces[web].port=1"),
            Err(ValueOverrideError::NoSuchName { .. })
        ));
        assert!(matches!(
            apply_set(&mut doc, "a..b=1"),
            Err(ValueOverrideError::InvalidPath { .. })
        ));
        assert!(matches!(
            apply_set(&mut doc, "a[0=1"),
            Err(ValueOverrideError::InvalidPath { .. })
        ));
        assert!(matches!(
            apply_set(&mut doc, "=1"),
            Err(ValueOverrideError::InvalidSet(_))
        ));
    }
}
