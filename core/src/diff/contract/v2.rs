//! The sections compared by their 2.0 names as soon as either side is 2.0: `workload`,
//! `state.*`, `capabilities` (a 1.x side's `runtime.health`/`runtime.metrics` read as
//! the bound capabilities they migrate to) and `extensions`.

use serde_json::Value;
use std::collections::BTreeMap;

use super::legacy::LEGACY_EXTENSION;
use super::{Differ, json, keyed};
use crate::diff::change::ChangeType;
use crate::model::{Binding, Capability, CapabilityType, Contract, Endpoint, State};

/// The capabilities of a contract by assertion key (`health`, `metrics`,
/// `extension:<ref>`): 2.0 declares them, 1.x implies health and metrics.
fn capabilities(c: &Contract) -> BTreeMap<String, Capability> {
    let key = |cap: &Capability| match (cap.kind, &cap.reference) {
        (CapabilityType::Extension, Some(r)) => format!("extension:{r}"),
        (kind, _) => kind.as_str().to_string(),
    };
    if c.pacto_version.is_v2() {
        return keyed(c.capabilities.iter().map(|cap| (key(cap), cap.clone())));
    }
    let bound = |kind: CapabilityType, e: Endpoint| Capability {
        kind,
        reference: None,
        binding: Some(Binding {
            kind: "http".into(),
            interface: e.interface,
            path: e.path,
        }),
    };
    let implied = [
        c.health().map(|e| bound(CapabilityType::Health, e)),
        c.metrics().map(|e| bound(CapabilityType::Metrics, e)),
    ];
    keyed(implied.into_iter().flatten().map(|cap| (key(&cap), cap)))
}

fn summary(c: &Capability) -> Value {
    match (&c.reference, &c.binding) {
        (Some(r), _) => Value::String(format!("{} ({r})", c.kind.as_str())),
        (None, Some(b)) => Value::String(match &b.path {
            Some(path) => format!("{} on {} at {path}", c.kind.as_str(), b.interface),
            None => format!("{} on {}", c.kind.as_str(), b.interface),
        }),
        (None, None) => Value::String(c.kind.as_str().into()),
    }
}

impl Differ<'_> {
    pub(super) fn workload_and_state(&mut self, old: &Contract, new: &Contract) {
        self.field("workload", old.workload().as_ref(), new.workload().as_ref());
        // A missing state compares field by field against nothing, as the reference does.
        let (a, b) = (old.state(), new.state());
        let f = |s: Option<&State>| {
            (
                s.map(|s| s.kind),
                s.map(|s| s.persistence.scope),
                s.map(|s| s.persistence.durability),
                s.map(|s| s.data_criticality),
            )
        };
        let (x, y) = (f(a), f(b));
        self.field("state.type", x.0.as_ref(), y.0.as_ref());
        self.field("state.persistence.scope", x.1.as_ref(), y.1.as_ref());
        self.field("state.persistence.durability", x.2.as_ref(), y.2.as_ref());
        self.field("state.dataCriticality", x.3.as_ref(), y.3.as_ref());
    }

    /// Added / removed per assertion key; on both sides the binding (where the endpoint
    /// is served) is compared field by field.
    pub(super) fn capabilities(&mut self, old: &Contract, new: &Contract) {
        let (a, b) = (capabilities(old), capabilities(new));
        self.keyed_items("capabilities", &a, &b, summary, |d, p, x, y| {
            match (&x.binding, &y.binding) {
                (Some(bx), Some(by)) => {
                    d.field(
                        &format!("{p}.binding.interface"),
                        Some(&bx.interface),
                        Some(&by.interface),
                    );
                    d.field(
                        &format!("{p}.binding.path"),
                        bx.path.as_ref(),
                        by.path.as_ref(),
                    );
                }
                (bx, by) => d.field(&format!("{p}.binding"), bx.as_ref(), by.as_ref()),
            }
        });
    }

    /// Per namespaced key (the legacy extension is read as the 1.x fields it keeps).
    pub(super) fn extensions(&mut self, old: &Contract, new: &Contract) {
        let entries = |c: &Contract| {
            c.extensions
                .iter()
                .flatten()
                .filter(|(k, _)| k.as_str() != LEGACY_EXTENSION)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<BTreeMap<String, Value>>()
        };
        let (a, b) = (entries(old), entries(new));
        self.keyed_items("extensions", &a, &b, Value::clone, |d, p, x, y| {
            if x != y {
                d.emit(p.into(), ChangeType::Modified, Some(json(x)), Some(json(y)));
            }
        });
    }
}
