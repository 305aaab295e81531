//! Edits of JSON documents by JSON pointer, for tests that derive a case from a base fixture.
//! A pointer that does not fit the document is a bug in the test: these panic and say why.

use serde_json::Value;

/// Sets `ptr` (its parent must exist); arrays accept an index or `-` to append.
pub fn set(v: &mut Value, ptr: &str, new: Value) {
    let (parent, last) = split(ptr);
    match v
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("no {parent}"))
    {
        Value::Object(m) => {
            m.insert(last.to_string(), new);
        }
        Value::Array(a) if last == "-" => a.push(new),
        Value::Array(a) => a[index(last)] = new,
        other => panic!("cannot set in {other}"),
    }
}

/// Removes `ptr`, which must exist (an object key or an array index).
pub fn del(v: &mut Value, ptr: &str) {
    let (parent, last) = split(ptr);
    match v
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("no {parent}"))
    {
        Value::Object(m) => {
            m.remove(last).unwrap_or_else(|| panic!("no {ptr}"));
        }
        Value::Array(a) => {
            a.remove(index(last));
        }
        other => panic!("cannot delete in {other}"),
    }
}

fn split(ptr: &str) -> (&str, &str) {
    ptr.rsplit_once('/')
        .unwrap_or_else(|| panic!("{ptr:?} is not a JSON pointer"))
}

fn index(s: &str) -> usize {
    s.parse()
        .unwrap_or_else(|_| panic!("{s:?} is not an array index"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sets_appends_and_deletes() {
        let mut v = json!({"a": {"b": 1}, "l": [1, 2]});
        set(&mut v, "/a/c", json!(2));
        set(&mut v, "/l/-", json!(3));
        set(&mut v, "/l/0", json!(0));
        del(&mut v, "/a/b");
        del(&mut v, "/l/1");
        assert_eq!(v, json!({"a": {"c": 2}, "l": [0, 3]}));
    }

    #[test]
    #[should_panic(expected = "no /a/x")]
    fn deleting_a_missing_key_panics() {
        del(&mut json!({"a": {}}), "/a/x");
    }
}
