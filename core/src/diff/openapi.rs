//! OpenAPI deep diff: paths, methods, parameters, request bodies and responses, with
//! request schemas compared as service *input* and response schemas as *output*
//! (see [`super::jsonschema`] for the per-direction schema rules).
//!
//! | change                                   | added  | modified                 | removed |
//! |------------------------------------------|--------|--------------------------|---------|
//! | path, method                             | NON    | –                        | BRK     |
//! | parameter (`name:in`)                    | POT; BRK if required | BRK optional→required, NON required→optional, else POT | BRK |
//! | request body                             | POT; BRK if required | BRK optional→required | POT |
//! | request media type                       | NON    | schema: input rules      | BRK     |
//! | response (status code)                   | NON    | –                        | BRK     |
//! | response media type / schema             | NON    | schema: output rules     | BRK     |
//! | response header                          | NON    | POT                      | POT     |
//! | operation `security`                     | POT    | POT                      | POT     |
//!
//! Path-level parameters are merged into each operation (operation entries win), and
//! local `$ref`s (parameters, request bodies, responses, schemas) are resolved.

mod bodies;
mod parameters;

use super::change::{Change, ChangeType, Classification};
use super::jsonschema::{SchemaDirection, SchemaWalker};
use super::refs::deref;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

const METHODS: [&str; 8] = [
    "get", "post", "put", "delete", "patch", "options", "head", "trace",
];

/// Parameter fields compared by the dedicated rules (or documentation only).
const PARAM_SKIP: [&str; 7] = [
    "required",
    "schema",
    "description",
    "example",
    "examples",
    "deprecated",
    "$ref",
];

/// Changes between two OpenAPI (3.x, or Swagger 2.0) documents.
pub fn diff_openapi(old: &Value, new: &Value) -> Vec<Change> {
    let mut d = OpenApiDiff {
        old_root: old,
        new_root: new,
        schemas: SchemaWalker::new(old, new),
        out: Vec::new(),
    };
    d.paths();
    super::sort_changes(&mut d.out);
    d.out
}

struct OpenApiDiff<'a> {
    old_root: &'a Value,
    new_root: &'a Value,
    schemas: SchemaWalker<'a>,
    out: Vec<Change>,
}

/// Location of an operation, for paths and messages.
struct Op<'p> {
    /// `openapi.paths[/users].methods[GET]`
    path: &'p str,
    /// `GET /users`
    label: &'p str,
}

fn obj(v: Option<&Value>) -> Option<&Map<String, Value>> {
    v.and_then(Value::as_object)
}

fn union<'k>(
    a: Option<&'k Map<String, Value>>,
    b: Option<&'k Map<String, Value>>,
) -> BTreeSet<&'k str> {
    a.into_iter()
        .chain(b)
        .flat_map(|m| m.keys().map(String::as_str))
        .collect()
}

impl<'a> OpenApiDiff<'a> {
    fn push(
        &mut self,
        path: String,
        ct: ChangeType,
        cls: Classification,
        reason: String,
    ) -> &mut Change {
        self.out.push(Change::new(path, ct, cls, reason));
        let last = self.out.len() - 1;
        &mut self.out[last]
    }

    fn added_removed(
        &mut self,
        path: String,
        added: bool,
        label: &str,
        what: &str,
        add: Classification,
        rem: Classification,
    ) {
        let (ct, cls) = if added {
            (ChangeType::Added, add)
        } else {
            (ChangeType::Removed, rem)
        };
        let c = self.push(path, ct, cls, format!("{label} {what} {ct}"));
        if added {
            c.new_value = Some(Value::String(label.to_string()));
        } else {
            c.old_value = Some(Value::String(label.to_string()));
        }
    }

    fn paths(&mut self) {
        let (old_root, new_root) = (self.old_root, self.new_root);
        let (op, np) = (obj(old_root.get("paths")), obj(new_root.get("paths")));
        for key in union(op, np) {
            let path = format!("openapi.paths[{key}]");
            let a = op.and_then(|m| m.get(key)).map(|v| deref(old_root, v).0);
            let b = np.and_then(|m| m.get(key)).map(|v| deref(new_root, v).0);
            match (a, b) {
                (Some(a), Some(b)) => self.path_item(&path, key, a, b),
                (a, _) => self.added_removed(
                    path,
                    a.is_none(),
                    key,
                    "path",
                    Classification::NonBreaking,
                    Classification::Breaking,
                ),
            }
        }
    }

    fn path_item(&mut self, path: &str, key: &str, a: &'a Value, b: &'a Value) {
        let (old_root, new_root) = (self.old_root, self.new_root);
        let a_common = params(old_root, a.get("parameters"));
        let b_common = params(new_root, b.get("parameters"));
        for m in METHODS {
            let upper = m.to_ascii_uppercase();
            let op_path = format!("{path}.methods[{upper}]");
            let label = format!("{upper} {key}");
            match (a.get(m), b.get(m)) {
                (Some(x), Some(y)) => {
                    let mut pa = a_common.clone();
                    pa.extend(params(old_root, x.get("parameters")));
                    let mut pb = b_common.clone();
                    pb.extend(params(new_root, y.get("parameters")));
                    let op = Op {
                        path: &op_path,
                        label: &label,
                    };
                    self.parameters(&op, &pa, &pb);
                    self.request_body(&op, x, y);
                    self.responses(&op, x, y);
                    self.security(&op, x.get("security"), y.get("security"));
                }
                (None, None) => {}
                (x, _) => self.added_removed(
                    op_path,
                    x.is_none(),
                    &label,
                    "method",
                    Classification::NonBreaking,
                    Classification::Breaking,
                ),
            }
        }
    }

    /// A schema slot that may be absent on either side.
    fn optional_schema(
        &mut self,
        path: &str,
        label: &str,
        a: Option<&'a Value>,
        b: Option<&'a Value>,
        dir: SchemaDirection,
    ) {
        match (a, b) {
            (Some(x), Some(y)) => self.schemas.diff(path, x, y, dir, &mut self.out),
            (None, None) => {}
            (None, Some(_)) => {
                let cls = match dir {
                    SchemaDirection::Output => Classification::NonBreaking,
                    _ => Classification::PotentialBreaking,
                };
                self.push(
                    path.to_string(),
                    ChangeType::Added,
                    cls,
                    format!("{label} schema added"),
                );
            }
            (Some(_), None) => {
                let cls = match dir {
                    SchemaDirection::Output => Classification::Breaking,
                    _ => Classification::PotentialBreaking,
                };
                self.push(
                    path.to_string(),
                    ChangeType::Removed,
                    cls,
                    format!("{label} schema removed"),
                );
            }
        }
    }

    /// Response headers never escalate beyond POTENTIAL_BREAKING.
    fn security(&mut self, op: &Op<'_>, a: Option<&Value>, b: Option<&Value>) {
        if a == b {
            return;
        }
        let ct = match (a, b) {
            (None, _) => ChangeType::Added,
            (_, None) => ChangeType::Removed,
            _ => ChangeType::Modified,
        };
        let c = self.push(
            format!("{}.security", op.path),
            ct,
            Classification::PotentialBreaking,
            format!("{} security requirements {ct}", op.label),
        );
        c.old_value = a.cloned();
        c.new_value = b.cloned();
    }
}

/// Parameters of a path item or operation keyed `name:in`, refs resolved.
fn params<'a>(root: &'a Value, list: Option<&'a Value>) -> BTreeMap<String, &'a Value> {
    let mut out = BTreeMap::new();
    for p in list.and_then(Value::as_array).into_iter().flatten() {
        let p = deref(root, p).0;
        let name = p.get("name").and_then(Value::as_str).unwrap_or("");
        let loc = p.get("in").and_then(Value::as_str).unwrap_or("");
        out.insert(format!("{name}:{loc}"), p);
    }
    out
}

/// `required: true`, or a path parameter (always required by OpenAPI).
fn is_required(v: &Value) -> bool {
    v.get("required") == Some(&Value::Bool(true))
        || v.get("in").and_then(Value::as_str) == Some("path")
}
