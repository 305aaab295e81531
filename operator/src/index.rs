//! In-memory index from watched objects (Services, workloads, EndpointSlices, HPAs) to the
//! Pactos that target them, fed by the Pacto watch. Watch events map through it in O(1)
//! instead of listing Pactos.

use std::collections::HashMap;
use std::sync::RwLock;

use pacto_crds::{ConfigBindingKind, Target, WorkloadKind};

use crate::eval::workload_of;
use crate::pacto_key::PactoKey;

#[derive(Clone, Debug, Default, PartialEq)]
struct Entry {
    service: Option<String>,
    workload: Option<(WorkloadKind, String)>,
    /// ConfigMaps named by `configBindings` (Secrets are never watched).
    config_maps: Vec<String>,
}

/// Pacto names under one index key, sorted: almost always one, so a vector, not a tree (a
/// `BTreeSet` node is ~280 bytes; at 10,000 Pactos the index is two entries per Pacto).
#[derive(Default)]
struct Names(Vec<Box<str>>);

impl Names {
    fn insert(&mut self, name: &str) {
        if let Err(at) = self.0.binary_search_by(|n| (**n).cmp(name)) {
            self.0.insert(at, name.into());
        }
    }

    fn remove(&mut self, name: &str) {
        if let Ok(at) = self.0.binary_search_by(|n| (**n).cmp(name)) {
            self.0.remove(at);
        }
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn keys(&self, ns: &str) -> Vec<PactoKey> {
        self.0.iter().map(|n| PactoKey::new(ns, n)).collect()
    }
}

#[derive(Default)]
struct Inner {
    by_service: HashMap<(String, String), Names>,
    by_workload: HashMap<(String, WorkloadKind, String), Names>,
    by_config_map: HashMap<(String, String), Names>,
    of: HashMap<PactoKey, Entry>,
}

/// The index; shared behind an `Arc`.
#[derive(Default)]
pub struct TargetIndex {
    inner: RwLock<Inner>,
}

impl TargetIndex {
    /// Records (or replaces) what a Pacto targets.
    pub fn upsert(&self, key: &PactoKey, target: Option<&Target>) {
        let entry = Entry {
            service: target.and_then(|t| t.service_name.clone()),
            workload: target.and_then(workload_of),
            config_maps: target.map(config_maps).unwrap_or_default(),
        };
        let Ok(mut g) = self.inner.write() else {
            return;
        };
        if g.of.get(key) == Some(&entry) {
            return;
        }
        Self::unlink(&mut g, key);
        let ns = key.namespace.clone();
        if let Some(s) = &entry.service {
            g.by_service
                .entry((ns.clone(), s.clone()))
                .or_default()
                .insert(&key.name);
        }
        for c in &entry.config_maps {
            g.by_config_map
                .entry((ns.clone(), c.clone()))
                .or_default()
                .insert(&key.name);
        }
        if let Some((k, n)) = &entry.workload {
            g.by_workload
                .entry((ns, *k, n.clone()))
                .or_default()
                .insert(&key.name);
        }
        g.of.insert(key.clone(), entry);
    }

    /// Forgets a deleted Pacto.
    pub fn remove(&self, key: &PactoKey) {
        if let Ok(mut g) = self.inner.write() {
            Self::unlink(&mut g, key);
        }
    }

    fn unlink(g: &mut Inner, key: &PactoKey) {
        let Some(old) = g.of.remove(key) else { return };
        if let Some(s) = old.service {
            let k = (key.namespace.clone(), s);
            if let Some(set) = g.by_service.get_mut(&k) {
                set.remove(&key.name);
                if set.is_empty() {
                    g.by_service.remove(&k);
                }
            }
        }
        for c in old.config_maps {
            let k = (key.namespace.clone(), c);
            if let Some(set) = g.by_config_map.get_mut(&k) {
                set.remove(&key.name);
                if set.is_empty() {
                    g.by_config_map.remove(&k);
                }
            }
        }
        if let Some((kind, n)) = old.workload {
            let k = (key.namespace.clone(), kind, n);
            if let Some(set) = g.by_workload.get_mut(&k) {
                set.remove(&key.name);
                if set.is_empty() {
                    g.by_workload.remove(&k);
                }
            }
        }
    }

    /// Pactos whose `target.serviceName` is `ns/name`.
    pub fn for_service(&self, ns: &str, name: &str) -> Vec<PactoKey> {
        let Ok(g) = self.inner.read() else {
            return Vec::new();
        };
        g.by_service
            .get(&(ns.to_string(), name.to_string()))
            .map(|s| s.keys(ns))
            .unwrap_or_default()
    }

    /// Pactos whose workload is `kind ns/name`.
    pub fn for_workload(&self, ns: &str, kind: WorkloadKind, name: &str) -> Vec<PactoKey> {
        let Ok(g) = self.inner.read() else {
            return Vec::new();
        };
        g.by_workload
            .get(&(ns.to_string(), kind, name.to_string()))
            .map(|s| s.keys(ns))
            .unwrap_or_default()
    }

    /// Pactos whose `target.configBindings` name ConfigMap `ns/name`.
    pub fn for_config_map(&self, ns: &str, name: &str) -> Vec<PactoKey> {
        let Ok(g) = self.inner.read() else {
            return Vec::new();
        };
        g.by_config_map
            .get(&(ns.to_string(), name.to_string()))
            .map(|s| s.keys(ns))
            .unwrap_or_default()
    }

    /// Pactos indexed in `ns` (`None`: all).
    pub fn keys_in(&self, ns: Option<&str>) -> Vec<PactoKey> {
        let Ok(g) = self.inner.read() else {
            return Vec::new();
        };
        g.of.keys()
            .filter(|k| ns.is_none_or(|n| k.namespace == n))
            .cloned()
            .collect()
    }

    pub fn len(&self) -> usize {
        self.inner.read().map(|g| g.of.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The ConfigMaps a target binds, sorted and deduplicated.
fn config_maps(t: &Target) -> Vec<String> {
    let mut names: Vec<String> = t
        .config_bindings
        .iter()
        .filter(|b| b.kind == ConfigBindingKind::ConfigMap)
        .map(|b| b.name.clone())
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use pacto_crds::WorkloadRef;

    fn t(svc: Option<&str>, wl: Option<(WorkloadKind, &str)>) -> Target {
        Target {
            service_name: svc.map(str::to_string),
            workload_ref: wl.map(|(kind, n)| WorkloadRef {
                kind: Some(kind),
                name: n.to_string(),
            }),
            ..Target::default()
        }
    }

    #[test]
    fn maps_by_namespace_kind_and_name() {
        let ix = TargetIndex::default();
        let a = PactoKey::new("ns", "a");
        ix.upsert(&a, Some(&t(Some("api"), None)));
        ix.upsert(
            &PactoKey::new("ns", "b"),
            Some(&t(Some("api"), Some((WorkloadKind::StatefulSet, "db")))),
        );
        ix.upsert(&PactoKey::new("other", "c"), Some(&t(Some("api"), None)));
        assert_eq!(ix.for_service("ns", "api").len(), 2);
        assert_eq!(
            ix.for_workload("ns", WorkloadKind::Deployment, "api"),
            vec![a.clone()]
        );
        assert!(
            ix.for_workload("ns", WorkloadKind::StatefulSet, "api")
                .is_empty(),
            "kind matters"
        );
        assert_eq!(
            ix.for_workload("ns", WorkloadKind::StatefulSet, "db"),
            vec![PactoKey::new("ns", "b")]
        );

        ix.upsert(&a, Some(&t(Some("web"), None)));
        assert_eq!(ix.for_service("ns", "api"), vec![PactoKey::new("ns", "b")]);
        assert_eq!(ix.for_service("ns", "web"), vec![a.clone()]);
        ix.remove(&a);
        assert!(ix.for_service("ns", "web").is_empty());
        assert_eq!(ix.len(), 2);
        ix.upsert(&PactoKey::new("ns", "ref"), None);
        assert_eq!(ix.len(), 3);
    }

    #[test]
    fn maps_bound_config_maps_but_not_secrets() {
        use pacto_crds::ConfigBinding;
        let bind = |kind, name: &str| ConfigBinding {
            configuration: "c".into(),
            kind,
            name: name.into(),
            key: None,
            format: None,
        };
        let ix = TargetIndex::default();
        let a = PactoKey::new("ns", "a");
        let mut target = t(Some("api"), None);
        target.config_bindings = vec![
            bind(ConfigBindingKind::ConfigMap, "app"),
            bind(ConfigBindingKind::ConfigMap, "app"),
            bind(ConfigBindingKind::Secret, "creds"),
        ];
        ix.upsert(&a, Some(&target));
        assert_eq!(ix.for_config_map("ns", "app"), vec![a.clone()]);
        assert!(ix.for_config_map("ns", "creds").is_empty());
        assert!(ix.for_config_map("other", "app").is_empty());
        target.config_bindings.clear();
        ix.upsert(&a, Some(&target));
        assert!(ix.for_config_map("ns", "app").is_empty());
    }
}
