//! Local `$ref` resolution ("#/components/schemas/X") shared by the spec differs.

use serde_json::Value;

use crate::percent::percent_decode;

/// Longest `$ref` chain followed before giving up (a ref to a ref to ...).
const MAX_CHAIN: usize = 32;

/// Resolves a local JSON pointer such as `#/components/schemas/User` against `root`.
/// Remote refs (`other.yaml#/X`, URLs) are not resolved.
pub fn resolve_pointer<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    if pointer.is_empty() {
        return Some(root);
    }
    if !pointer.starts_with('/') {
        return None;
    }
    let mut cur = root;
    for raw in pointer[1..].split('/') {
        let seg = unescape(raw);
        cur = match cur {
            Value::Object(m) => m.get(seg.as_str())?,
            Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// URI-fragment decoding (`%xx`, first) then JSON pointer unescaping (`~1` → `/`,
/// `~0` → `~`), the order RFC 6901 prescribes for pointers inside a `#` fragment.
/// A segment that decodes to invalid UTF-8 is used as written.
fn unescape(seg: &str) -> String {
    percent_decode(seg)
        .unwrap_or_else(|_| seg.to_string())
        .replace("~1", "/")
        .replace("~0", "~")
}

/// The `$ref` string of a node, if it is a reference object.
pub fn ref_of(v: &Value) -> Option<&str> {
    v.get("$ref").and_then(Value::as_str)
}

/// Follows `$ref` chains from `v` within `root`. Returns the target and the last ref
/// followed (for cycle detection). An unresolvable ref yields the reference object
/// itself, so callers still compare the ref strings.
pub fn deref<'a>(root: &'a Value, v: &'a Value) -> (&'a Value, Option<&'a str>) {
    let mut cur = v;
    let mut last = None;
    for _ in 0..MAX_CHAIN {
        let Some(r) = ref_of(cur) else {
            return (cur, last);
        };
        match resolve_pointer(root, r) {
            Some(t) => {
                last = Some(r);
                cur = t;
            }
            None => return (cur, last),
        }
    }
    (cur, last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resolves_escaped_pointers_and_chains() {
        let root = json!({
            "paths": {"/users": {"get": 1}},
            "components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {"type": "string"}}}
        });
        assert_eq!(
            resolve_pointer(&root, "#/paths/~1users/get"),
            Some(&json!(1))
        );
        assert_eq!(
            resolve_pointer(&root, "#/paths/%7E1users/get"),
            Some(&json!(1))
        );
        assert_eq!(resolve_pointer(&root, "#/paths/missing"), None);
        let a = json!({"$ref": "#/components/schemas/A"});
        let (t, last) = deref(&root, &a);
        assert_eq!(t, &json!({"type": "string"}));
        assert_eq!(last, Some("#/components/schemas/B"));
    }

    #[test]
    fn cyclic_and_remote_refs_terminate() {
        let root = json!({"a": {"$ref": "#/b"}, "b": {"$ref": "#/a"}});
        let start = json!({"$ref": "#/a"});
        let (t, _) = deref(&root, &start);
        assert!(ref_of(t).is_some());
        let remote = json!({"$ref": "other.yaml#/x"});
        assert_eq!(deref(&root, &remote).0, &remote);
    }
}
