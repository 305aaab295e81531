//! Contract-level diff: every v1.x rule of [`super::rules`], then deep diffs of the
//! bundled specs and schemas, plus the informational SBOM diff.

mod operations;
mod specs;

use super::asyncapi::diff_asyncapi;
use super::change::{Change, ChangeType, Classification, overall};
use super::jsonschema::{SchemaDirection, diff_json_schema};
use super::openapi::diff_openapi;
use super::rules;
use super::sbom::{SbomDiff, diff_sbom, load_sbom};
use crate::bundle::Bundle;
use crate::model::{Contract, Owner, Protocol, Service};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContractDiff {
    pub classification: Classification,
    pub changes: Vec<Change>,
    pub sbom_diff: Option<SbomDiff>,
}

/// Compares two contracts with their bundles (for the spec files they reference).
///
/// ```
/// use pacto_core::Bundle;
/// use pacto_core::diff::{Classification, diff_contracts};
/// use pacto_core::validate::{ValidateOptions, validate_bundle};
///
/// let contract = |yaml: &str| {
///     let mut bundle = Bundle::new();
///     bundle.insert("pacto.yaml", yaml.as_bytes().to_vec());
///     let report = validate_bundle(&bundle, &ValidateOptions::default());
///     (report.contract.expect("a valid contract"), bundle)
/// };
/// let head = "pactoVersion: \"1.0\"\nservice: {name: orders, version: 1.0.0, owner: team/shop}\n";
/// let (old, old_bundle) = contract(&format!(
///     "{head}interfaces:\n  - {{name: api, type: http, port: 8080}}\n  - {{name: admin, type: http, port: 9090}}\n"
/// ));
/// let (new, new_bundle) = contract(&format!("{head}interfaces:\n  - {{name: api, type: http, port: 8080}}\n"));
///
/// let diff = diff_contracts(&old, &old_bundle, &new, &new_bundle);
/// // Removing an interface breaks its consumers.
/// assert_eq!(diff.classification, Classification::Breaking);
/// assert!(diff.changes.iter().any(|c| c.path.starts_with("interfaces")));
/// // A contract compared with itself has no changes.
/// assert!(diff_contracts(&old, &old_bundle, &old, &old_bundle).changes.is_empty());
/// ```
pub fn diff_contracts(
    old: &Contract,
    old_bundle: &Bundle,
    new: &Contract,
    new_bundle: &Bundle,
) -> ContractDiff {
    let mut d = Differ {
        old_bundle,
        new_bundle,
        out: Vec::new(),
    };
    d.field(
        "pactoVersion",
        Some(&old.pacto_version),
        Some(&new.pacto_version),
    );
    d.service(&old.service, &new.service);
    d.interfaces(old, new);
    d.configurations(old, new);
    d.policies(old, new);
    d.runtime(old.runtime.as_ref(), new.runtime.as_ref());
    d.scaling(old.scaling.as_ref(), new.scaling.as_ref());
    d.dependencies(old, new);
    d.readiness(old.readiness.as_ref(), new.readiness.as_ref());
    let mut changes = d.out;
    super::sort_changes(&mut changes);
    // An unreadable SBOM is treated as absent: the SBOM diff is informational only.
    let old_sbom = load_sbom(old_bundle).ok().flatten();
    let new_sbom = load_sbom(new_bundle).ok().flatten();
    ContractDiff {
        classification: overall(&changes),
        sbom_diff: diff_sbom(old_sbom.as_ref(), new_sbom.as_ref()),
        changes,
    }
}

struct Differ<'b> {
    old_bundle: &'b Bundle,
    new_bundle: &'b Bundle,
    out: Vec<Change>,
}

fn json<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// First entry per key wins (duplicates are a validation error reported elsewhere).
fn keyed<T, K: Ord>(items: impl IntoIterator<Item = (K, T)>) -> BTreeMap<K, T> {
    let mut m = BTreeMap::new();
    for (k, v) in items {
        m.entry(k).or_insert(v);
    }
    m
}

impl Differ<'_> {
    fn emit(&mut self, path: String, ct: ChangeType, old: Option<Value>, new: Option<Value>) {
        let cls = rules::classify(&path, ct);
        let mut c = Change::new(path.clone(), ct, cls, format!("{path} {ct}"));
        c.old_value = old;
        c.new_value = new;
        self.out.push(c);
    }

    /// An optional field: added, removed or modified by presence and equality.
    fn field<T: Serialize>(&mut self, path: &str, a: Option<&T>, b: Option<&T>) {
        match (a, b) {
            (None, None) => {}
            (None, Some(y)) => self.emit(path.into(), ChangeType::Added, None, Some(json(y))),
            (Some(x), None) => self.emit(path.into(), ChangeType::Removed, Some(json(x)), None),
            (Some(x), Some(y)) => {
                // Compared as JSON so NaN (rendered null) equals itself.
                let (jx, jy) = (json(x), json(y));
                if jx != jy {
                    self.emit(path.into(), ChangeType::Modified, Some(jx), Some(jy));
                }
            }
        }
    }

    /// A keyed collection: `on_both` compares entries present on both sides.
    fn keyed_items<T>(
        &mut self,
        prefix: &str,
        a: &BTreeMap<String, T>,
        b: &BTreeMap<String, T>,
        value: impl Fn(&T) -> Value,
        mut on_both: impl FnMut(&mut Self, &str, &T, &T),
    ) {
        let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        for k in keys {
            let path = format!("{prefix}[{k}]");
            match (a.get(k), b.get(k)) {
                (Some(x), Some(y)) => on_both(self, &path, x, y),
                (None, Some(y)) => self.emit(path, ChangeType::Added, None, Some(value(y))),
                (Some(x), None) => self.emit(path, ChangeType::Removed, Some(value(x)), None),
                (None, None) => {}
            }
        }
    }

    fn service(&mut self, a: &Service, b: &Service) {
        self.field("service.name", Some(&a.name), Some(&b.name));
        self.field("service.version", Some(&a.version), Some(&b.version));
        match (&a.owner, &b.owner) {
            (Some(Owner::Info(x)), Some(Owner::Info(y))) => {
                self.field("service.owner.team", x.team.as_ref(), y.team.as_ref());
                self.field("service.owner.dri", x.dri.as_ref(), y.dri.as_ref());
                let contacts = |o: &crate::model::OwnerInfo| {
                    keyed(
                        o.contacts
                            .iter()
                            .map(|c| (format!("{}:{}", c.kind, c.value), c.clone())),
                    )
                };
                self.keyed_items(
                    "service.owner.contacts",
                    &contacts(x),
                    &contacts(y),
                    json,
                    |d, p, x, y| {
                        if x != y {
                            d.emit(p.into(), ChangeType::Modified, Some(json(x)), Some(json(y)));
                        }
                    },
                );
            }
            (x, y) => self.field("service.owner", x.as_ref(), y.as_ref()),
        }
        match (&a.image, &b.image) {
            (Some(x), Some(y)) => {
                self.field("service.image.ref", Some(&x.reference), Some(&y.reference));
                self.field("service.image.private", Some(&x.private), Some(&y.private));
            }
            (x, y) => self.field("service.image", x.as_ref(), y.as_ref()),
        }
        match (&a.chart, &b.chart) {
            (Some(x), Some(y)) => {
                self.field("service.chart.ref", Some(&x.reference), Some(&y.reference));
                self.field("service.chart.version", Some(&x.version), Some(&y.version));
            }
            (x, y) => self.field("service.chart", x.as_ref(), y.as_ref()),
        }
    }

    fn interfaces(&mut self, old: &Contract, new: &Contract) {
        let a = keyed(old.interfaces.iter().map(|i| (i.name.clone(), i)));
        let b = keyed(new.interfaces.iter().map(|i| (i.name.clone(), i)));
        self.keyed_items(
            "interfaces",
            &a,
            &b,
            |i| Value::String(i.name.clone()),
            |d, p, x, y| {
                d.field(&format!("{p}.type"), Some(&x.kind), Some(&y.kind));
                d.field(&format!("{p}.port"), x.port.as_ref(), y.port.as_ref());
                d.field(
                    &format!("{p}.visibility"),
                    Some(&x.visibility),
                    Some(&y.visibility),
                );
                let field = y.spec_field();
                d.field(
                    &format!("{p}.{field}"),
                    x.spec_file().map(str::to_string).as_ref(),
                    y.spec_file().map(str::to_string).as_ref(),
                );
                if x.protocol() != y.protocol() {
                    return; // different protocols: the type change already says it all
                }
                let (Some(xc), Some(yc)) = (x.spec_file(), y.spec_file()) else {
                    return;
                };
                let (xc, yc) = (xc.to_string(), yc.to_string());
                let at = format!("{p}.{field}");
                match x.protocol() {
                    Protocol::Http => d.deep(&at, "OpenAPI spec", &xc, &yc, diff_openapi),
                    Protocol::Event => d.deep(&at, "AsyncAPI spec", &xc, &yc, diff_asyncapi),
                    Protocol::Grpc => d.deep_proto(&xc, &yc),
                }
            },
        );
    }

    fn configurations(&mut self, old: &Contract, new: &Contract) {
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

    fn policies(&mut self, old: &Contract, new: &Contract) {
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
