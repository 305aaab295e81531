//! Request bodies, responses, their media types and headers.

use serde_json::Value;

use super::{Op, OpenApiDiff, is_required, obj, union};
use crate::diff::change::{ChangeType, Classification};
use crate::diff::jsonschema::SchemaDirection;
use crate::diff::refs::deref;

impl<'a> OpenApiDiff<'a> {
    pub(super) fn request_body(&mut self, op: &Op<'_>, x: &'a Value, y: &'a Value) {
        let path = format!("{}.request-body", op.path);
        let label = format!("{} request body", op.label);
        let a = x.get("requestBody").map(|v| deref(self.old_root, v).0);
        let b = y.get("requestBody").map(|v| deref(self.new_root, v).0);
        match (a, b) {
            (None, None) => {}
            (None, Some(b)) => {
                let cls = if is_required(b) {
                    Classification::Breaking
                } else {
                    Classification::PotentialBreaking
                };
                let c = self.push(path, ChangeType::Added, cls, format!("{label} added"));
                c.new_value = Some(Value::String(label));
            }
            (Some(_), None) => {
                let c = self.push(
                    path,
                    ChangeType::Removed,
                    Classification::PotentialBreaking,
                    format!("{label} removed"),
                );
                c.old_value = Some(Value::String(label));
            }
            (Some(a), Some(b)) => {
                let (ra, rb) = (is_required(a), is_required(b));
                if ra != rb {
                    let cls = if rb {
                        Classification::Breaking
                    } else {
                        Classification::NonBreaking
                    };
                    let what = if rb {
                        "is now required"
                    } else {
                        "is now optional"
                    };
                    let c = self.push(
                        format!("{path}.required"),
                        ChangeType::Modified,
                        cls,
                        format!("{label} {what}"),
                    );
                    c.old_value = Some(Value::Bool(ra));
                    c.new_value = Some(Value::Bool(rb));
                }
                self.content(
                    &path,
                    &label,
                    a.get("content"),
                    b.get("content"),
                    SchemaDirection::Input,
                );
            }
        }
    }

    pub(super) fn responses(&mut self, op: &Op<'_>, x: &'a Value, y: &'a Value) {
        let (ra, rb) = (obj(x.get("responses")), obj(y.get("responses")));
        for code in union(ra, rb) {
            let path = format!("{}.responses[{code}]", op.path);
            let label = format!("{} response {code}", op.label);
            let a = ra
                .and_then(|m| m.get(code))
                .map(|v| deref(self.old_root, v).0);
            let b = rb
                .and_then(|m| m.get(code))
                .map(|v| deref(self.new_root, v).0);
            match (a, b) {
                (Some(a), Some(b)) => {
                    self.content(
                        &path,
                        &label,
                        a.get("content"),
                        b.get("content"),
                        SchemaDirection::Output,
                    );
                    // Swagger 2.0 puts the schema on the response itself.
                    self.optional_schema(
                        &format!("{path}.schema"),
                        &label,
                        a.get("schema"),
                        b.get("schema"),
                        SchemaDirection::Output,
                    );
                    self.headers(&path, &label, a.get("headers"), b.get("headers"));
                }
                (a, _) => {
                    let c = if a.is_none() {
                        self.push(
                            path,
                            ChangeType::Added,
                            Classification::NonBreaking,
                            format!("{label} added"),
                        )
                    } else {
                        self.push(
                            path,
                            ChangeType::Removed,
                            Classification::Breaking,
                            format!("{label} removed"),
                        )
                    };
                    let v = Some(Value::String(label));
                    if a.is_none() {
                        c.new_value = v;
                    } else {
                        c.old_value = v;
                    }
                }
            }
        }
    }

    /// Media types of a request body or response: added NON, removed BREAKING.
    fn content(
        &mut self,
        path: &str,
        label: &str,
        a: Option<&'a Value>,
        b: Option<&'a Value>,
        dir: SchemaDirection,
    ) {
        let (ma, mb) = (obj(a), obj(b));
        for mt in union(ma, mb) {
            let p = format!("{path}.content[{mt}]");
            let l = format!("{label} {mt}");
            match (ma.and_then(|m| m.get(mt)), mb.and_then(|m| m.get(mt))) {
                (Some(x), Some(y)) => self.optional_schema(
                    &format!("{p}.schema"),
                    &l,
                    x.get("schema"),
                    y.get("schema"),
                    dir,
                ),
                (x, _) => self.added_removed(
                    p,
                    x.is_none(),
                    &l,
                    "media type",
                    Classification::NonBreaking,
                    Classification::Breaking,
                ),
            }
        }
    }

    fn headers(&mut self, path: &str, label: &str, a: Option<&'a Value>, b: Option<&'a Value>) {
        let (ha, hb) = (obj(a), obj(b));
        for h in union(ha, hb) {
            let p = format!("{path}.headers[{h}]");
            let x = ha.and_then(|m| m.get(h)).map(|v| deref(self.old_root, v).0);
            let y = hb.and_then(|m| m.get(h)).map(|v| deref(self.new_root, v).0);
            let (ct, cls) = match (x, y) {
                (None, Some(_)) => (ChangeType::Added, Classification::NonBreaking),
                (Some(_), None) => (ChangeType::Removed, Classification::PotentialBreaking),
                (Some(x), Some(y)) if x != y => {
                    (ChangeType::Modified, Classification::PotentialBreaking)
                }
                _ => continue,
            };
            let c = self.push(p, ct, cls, format!("{label} header '{h}' {ct}"));
            c.old_value = x.cloned();
            c.new_value = y.cloned();
        }
    }
}
