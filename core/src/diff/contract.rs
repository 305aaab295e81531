//! Contract-level diff: every rule of [`super::rules`] over the normalised view of both
//! contracts (so 1.x and 2.0 contracts compare by meaning), then deep diffs of the
//! bundled specs and schemas, plus the informational SBOM diff.

mod legacy;
mod operations;
mod sections;
mod specs;
mod v2;

pub use legacy::LEGACY_EXTENSION;

use super::asyncapi::diff_asyncapi;
use super::change::{Change, ChangeType, Classification, overall};
use super::openapi::diff_openapi;
use super::rules;
use super::sbom::{SbomDiff, diff_sbom, load_sbom};
use crate::bundle::Bundle;
use crate::model::{Contract, Owner, OwnerInfo, Protocol, Service};
use legacy::Legacy;
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
        old_v2: old.pacto_version.is_v2(),
        new_v2: new.pacto_version.is_v2(),
        out: Vec::new(),
    };
    let (lx, ly) = (Legacy::of(old), Legacy::of(new));
    d.version(old, new);
    d.service(&old.service, &new.service);
    d.image_and_chart(&lx, &ly);
    d.interfaces(old, new, &lx, &ly);
    d.configurations(old, new);
    d.policies(old, new);
    if d.v1_only() {
        d.runtime(old.runtime.as_ref(), new.runtime.as_ref());
    } else {
        d.workload_and_state(old, new);
        d.capabilities(old, new);
        d.lifecycle_and_probes(&lx, &ly);
    }
    d.scaling_legacy(&lx, &ly);
    d.dependencies(old, new);
    d.readiness(old.readiness.as_ref(), new.readiness.as_ref());
    d.extensions(old, new);
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
    /// The format version of each side: the 2.0 paths (`workload`, `state.*`,
    /// `capabilities`, `readiness.claims`) are used as soon as either side is 2.0.
    old_v2: bool,
    new_v2: bool,
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
    /// Both sides are 1.x: the 1.x paths and sections, exactly as before 2.0 existed.
    fn v1_only(&self) -> bool {
        !self.old_v2 && !self.new_v2
    }

    fn emit(&mut self, path: String, ct: ChangeType, old: Option<Value>, new: Option<Value>) {
        let cls = rules::classify_change(&path, ct, old.as_ref(), new.as_ref());
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

    /// `pactoVersion`; across a major version the reason says what the other changes are.
    fn version(&mut self, old: &Contract, new: &Contract) {
        let (a, b) = (old.pacto_version, new.pacto_version);
        if a == b {
            return;
        }
        let before = self.out.len();
        self.field("pactoVersion", Some(&a), Some(&b));
        if a.is_v2() != b.is_v2() {
            let lacks = if b.is_v2() { "2.0" } else { "1.x" };
            if let Some(c) = self.out.get_mut(before) {
                c.reason = format!(
                    "pactoVersion {a} -> {b}: the contract format changed major version; \
                     fields that {lacks} cannot express are listed as their own changes, \
                     fields whose meaning is unchanged are compared through the normalised view"
                );
            }
        }
    }

    fn service(&mut self, a: &Service, b: &Service) {
        self.field("service.name", Some(&a.name), Some(&b.name));
        self.field("service.version", Some(&a.version), Some(&b.version));
        // A plain owner string is the structured owner's `team` (how 2.0 spells it).
        let as_info = |o: &Owner| match o {
            Owner::Name(s) => OwnerInfo {
                team: Some(s.clone()),
                dri: None,
                contacts: vec![],
            },
            Owner::Info(i) => i.clone(),
        };
        match (&a.owner, &b.owner) {
            (Some(x), Some(y)) if !matches!((x, y), (Owner::Name(_), Owner::Name(_))) => {
                let (x, y) = (&as_info(x), &as_info(y));
                self.field("service.owner.team", x.team.as_ref(), y.team.as_ref());
                self.field("service.owner.dri", x.dri.as_ref(), y.dri.as_ref());
                let contacts = |o: &OwnerInfo| {
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
    }

    /// Keyed by name. The type is compared by protocol (1.x `http` and 2.0 `openapi` are
    /// one), the spec file whatever field names it (`contract` / `ref`), the port through
    /// the legacy view (a 2.0 contract keeps it only in the legacy extension).
    fn interfaces(&mut self, old: &Contract, new: &Contract, lx: &Legacy, ly: &Legacy) {
        let field = if self.new_v2 { "ref" } else { "contract" };
        let a = keyed(old.interfaces.iter().map(|i| (i.name.clone(), i)));
        let b = keyed(new.interfaces.iter().map(|i| (i.name.clone(), i)));
        self.keyed_items(
            "interfaces",
            &a,
            &b,
            |i| Value::String(i.name.clone()),
            |d, p, x, y| {
                if x.protocol() != y.protocol() {
                    d.field(&format!("{p}.type"), Some(&x.kind), Some(&y.kind));
                }
                d.carried(
                    &format!("{p}.port"),
                    lx.ports.get(&x.name),
                    ly.ports.get(&y.name),
                );
                d.field(
                    &format!("{p}.visibility"),
                    Some(&x.visibility),
                    Some(&y.visibility),
                );
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
}
