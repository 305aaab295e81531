//! Parameters: added, removed, required-ness and their other fields.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

use super::{Op, OpenApiDiff, PARAM_SKIP, is_required};
use crate::diff::change::{ChangeType, Classification};
use crate::diff::jsonschema::{SchemaDirection, unchanged};

impl<'a> OpenApiDiff<'a> {
    pub(super) fn parameters(
        &mut self,
        op: &Op<'_>,
        a: &BTreeMap<String, &'a Value>,
        b: &BTreeMap<String, &'a Value>,
    ) {
        let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        for k in keys {
            let (pa, pb) = (a.get(k).copied(), b.get(k).copied());
            if let (Some(x), Some(y)) = (pa, pb)
                && unchanged(x, y)
            {
                continue;
            }
            let path = format!("{}.parameters[{k}]", op.path);
            let label = match pa.or(pb) {
                Some(p) => param_label(op.label, p),
                None => continue,
            };
            match (pa, pb) {
                (Some(x), Some(y)) => self.parameter(&path, &label, x, y),
                (None, Some(y)) => {
                    let cls = if is_required(y) {
                        Classification::Breaking
                    } else {
                        Classification::PotentialBreaking
                    };
                    let req = if is_required(y) {
                        "required"
                    } else {
                        "optional"
                    };
                    let c = self.push(
                        path,
                        ChangeType::Added,
                        cls,
                        format!("{label} added ({req})"),
                    );
                    c.new_value = Some(Value::String(label));
                }
                (Some(_), None) => {
                    let c = self.push(
                        path,
                        ChangeType::Removed,
                        Classification::Breaking,
                        format!("{label} removed"),
                    );
                    c.old_value = Some(Value::String(label));
                }
                (None, None) => {}
            }
        }
    }

    fn parameter(&mut self, path: &str, label: &str, x: &'a Value, y: &'a Value) {
        let (rx, ry) = (is_required(x), is_required(y));
        if rx != ry {
            let (cls, what) = if ry {
                (Classification::Breaking, "is now required")
            } else {
                (Classification::NonBreaking, "is now optional")
            };
            let c = self.push(
                format!("{path}.required"),
                ChangeType::Modified,
                cls,
                format!("{label} {what}"),
            );
            c.old_value = Some(Value::Bool(rx));
            c.new_value = Some(Value::Bool(ry));
        }
        self.optional_schema(
            &format!("{path}.schema"),
            label,
            x.get("schema"),
            y.get("schema"),
            SchemaDirection::Input,
        );
        let (sx, sy) = (other_fields(x), other_fields(y));
        if sx != sy {
            let owned = |m: BTreeMap<&String, &Value>| {
                Value::Object(m.into_iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            };
            let c = self.push(
                path.to_string(),
                ChangeType::Modified,
                Classification::PotentialBreaking,
                format!("{label} modified"),
            );
            c.old_value = Some(owned(sx));
            c.new_value = Some(owned(sy));
        }
    }
}

/// Parameter fields not covered by the dedicated rules, in key order.
fn other_fields(v: &Value) -> BTreeMap<&String, &Value> {
    v.as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| !PARAM_SKIP.contains(&k.as_str()) && !k.starts_with("x-"))
        .collect()
}

fn param_label(op_label: &str, p: &Value) -> String {
    let name = p.get("name").and_then(Value::as_str).unwrap_or("");
    let loc = p.get("in").and_then(Value::as_str).unwrap_or("");
    format!("{op_label} {loc} param '{name}'")
}
