//! Who depends on whom, from a set of contracts: each contract's dependencies, reversed.

use super::walk::Edge;
use crate::model::Contract;
use std::collections::{BTreeMap, BTreeSet};

/// The direct dependents of every service named by a set of contracts.
#[derive(Debug, Clone, Default)]
pub struct DependentsIndex {
    names: BTreeSet<String>,
    by_target: BTreeMap<String, Vec<Edge>>,
}

impl DependentsIndex {
    /// Indexes `contracts` (one per service). A dependency names its target by `name`, or
    /// by its ref's last segment when unnamed (`Dependency::key`); a `-pacto` suffix is
    /// dropped when only the shorter name is a known service (the dashboard's rule).
    pub fn new<'a>(contracts: impl IntoIterator<Item = &'a Contract>) -> Self {
        let contracts: Vec<&Contract> = contracts.into_iter().collect();
        let names: BTreeSet<String> = contracts.iter().map(|c| c.service.name.clone()).collect();
        let mut by_target: BTreeMap<String, Vec<Edge>> = BTreeMap::new();
        for c in &contracts {
            for d in &c.dependencies {
                let key = d.key();
                let target = match key.strip_suffix("-pacto") {
                    Some(short) if !names.contains(&key) && names.contains(short) => {
                        short.to_string()
                    }
                    _ => key,
                };
                by_target.entry(target).or_default().push(Edge::new(
                    c.service.name.clone(),
                    d.required,
                    Some(&d.compatibility),
                ));
            }
        }
        for edges in by_target.values_mut() {
            edges.sort_by(|a, b| a.name.cmp(&b.name));
        }
        DependentsIndex { names, by_target }
    }

    /// The services that declare a dependency on `name`, by name.
    pub fn dependents(&self, name: &str) -> Vec<Edge> {
        self.by_target.get(name).cloned().unwrap_or_default()
    }

    /// Some contract is `name` or depends on it.
    pub fn knows(&self, name: &str) -> bool {
        self.names.contains(name) || self.by_target.contains_key(name)
    }
}
