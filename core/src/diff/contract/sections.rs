//! Configurations and policies, keyed by name (the 1.0 singular forms as `default`).

use serde_json::Value;
use std::collections::BTreeSet;

use super::{Differ, keyed};
use crate::diff::jsonschema::{SchemaDirection, diff_json_schema};
use crate::model::Contract;

impl Differ<'_> {
    pub(super) fn configurations(&mut self, old: &Contract, new: &Contract) {
        let named = |c: &Contract| {
            keyed(
                c.all_configurations()
                    .into_iter()
                    .map(|(_, c)| (c.display_name().to_string(), c)),
            )
        };
        let (a, b) = (named(old), named(new));
        self.keyed_items(
            "configurations",
            &a,
            &b,
            |c| Value::String(c.display_name().into()),
            |d, p, x, y| {
                d.field(&format!("{p}.schema"), x.schema.as_ref(), y.schema.as_ref());
                d.field(
                    &format!("{p}.ref"),
                    x.reference.as_ref(),
                    y.reference.as_ref(),
                );
                d.values(p, x.values.as_ref(), y.values.as_ref());
                // 2.0 only (mandatory there); a 1.x configuration says nothing about it,
                // so a migration's `required` is no change.
                if let (Some(rx), Some(ry)) = (x.required, y.required) {
                    d.field(&format!("{p}.required"), Some(&rx), Some(&ry));
                }
                if let (Some(xs), Some(ys)) = (&x.schema, &y.schema) {
                    let at = format!("{p}.schema");
                    d.deep(&at, "configuration schema", xs, ys, |a, b| {
                        diff_json_schema(&at, a, b, SchemaDirection::Input)
                    });
                }
            },
        );
    }

    /// Default values shipped with a configuration, per top-level key (always NON).
    fn values(&mut self, path: &str, a: Option<&Value>, b: Option<&Value>) {
        match (a, b) {
            (Some(Value::Object(x)), Some(Value::Object(y))) => {
                let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
                for k in keys {
                    self.field(
                        &format!("{path}.values[{k}]"),
                        x.get(k.as_str()),
                        y.get(k.as_str()),
                    );
                }
            }
            (x, y) => self.field(&format!("{path}.values"), x, y),
        }
    }

    pub(super) fn policies(&mut self, old: &Contract, new: &Contract) {
        let named = |c: &Contract| {
            keyed(
                c.all_policies()
                    .into_iter()
                    .map(|(_, p)| (p.display_name().to_string(), p)),
            )
        };
        let (a, b) = (named(old), named(new));
        self.keyed_items(
            "policies",
            &a,
            &b,
            |p| Value::String(p.display_name().into()),
            |d, p, x, y| {
                d.field(&format!("{p}.schema"), x.schema.as_ref(), y.schema.as_ref());
                d.field(
                    &format!("{p}.ref"),
                    x.reference.as_ref(),
                    y.reference.as_ref(),
                );
                // Absent means `contract` (2.0's only target, what a 1.x policy checks).
                let target = |t: &Option<String>| t.clone().unwrap_or_else(|| "contract".into());
                d.field(
                    &format!("{p}.target"),
                    Some(&target(&x.target)),
                    Some(&target(&y.target)),
                );
                if let (Some(xs), Some(ys)) = (&x.schema, &y.schema) {
                    let at = format!("{p}.schema");
                    d.deep(&at, "policy schema", xs, ys, |a, b| {
                        diff_json_schema(&at, a, b, SchemaDirection::Policy)
                    });
                }
            },
        );
    }
}
