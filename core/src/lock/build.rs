//! Lock entries from resolved facts: the dependency closure from a resolved
//! [`graph::Resolution`](crate::graph::Resolution), and the configuration/policy
//! reference closure through a [`RefResolver`]. No I/O here: digests, pulls and
//! directories are behind the closures and trait the caller passes.

use super::LockError;
use super::hash::content_hash;
use super::model::{Entry, Reference, SOURCE_LOCAL, SOURCE_OCI};
use crate::graph::{Edge, EdgeType, Fetched, Location, Node, Resolution};
use crate::model::Contract;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The transitive dependency closure, one entry per service. `digest_of` gives the
/// manifest digest of a resolved registry contract (the caller's registry HEAD).
///
/// Fails closed: a version conflict is `LOCK_CONFLICT`; an edge that did not resolve
/// (including a cycle) or a digest that cannot be had is `LOCK_UNRESOLVED`.
pub fn dependencies(
    res: &Resolution,
    digest_of: &mut dyn FnMut(&Fetched) -> Result<String, String>,
) -> Result<Vec<Entry>, LockError> {
    if let Some(c) = res.graph.conflicts.first() {
        return Err(LockError::Conflict {
            service: c.name.clone(),
        });
    }
    if let Some(e) = first_failed_edge(&res.graph.root) {
        return Err(LockError::Unresolved {
            reference: e.reference.clone(),
            reason: e.error.clone().unwrap_or_default(),
        });
    }
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    visit(res, &res.graph.root, &mut seen, &mut out, digest_of)?;
    Ok(out)
}

/// Depth-first in declaration order: the first occurrence of a node is the expanded
/// one (later ones are shallow `shared` copies), so its `dependsOn` is complete.
fn visit(
    res: &Resolution,
    n: &Node,
    seen: &mut HashSet<String>,
    out: &mut Vec<Entry>,
    digest_of: &mut dyn FnMut(&Fetched) -> Result<String, String>,
) -> Result<(), LockError> {
    for e in &n.dependencies {
        if let (EdgeType::Dependency, Some(child)) = (e.edge_type, &e.node)
            && seen.insert(child.name.clone())
        {
            out.push(entry(res, e, child, digest_of)?);
            visit(res, child, seen, out, digest_of)?;
        }
    }
    Ok(())
}

fn entry(
    res: &Resolution,
    edge: &Edge,
    node: &Node,
    digest_of: &mut dyn FnMut(&Fetched) -> Result<String, String>,
) -> Result<Entry, LockError> {
    let unresolved = |reason: String| LockError::Unresolved {
        reference: edge.reference.clone(),
        reason,
    };
    let fetched = res
        .by_name
        .get(&node.name)
        .ok_or_else(|| unresolved(format!("{} was not fetched", node.name)))?;
    let mut e = Entry {
        name: node.name.clone(),
        constraint: edge.compatibility.clone(),
        version: node.version.clone(),
        depends_on: node
            .dependencies
            .iter()
            .filter(|d| d.edge_type == EdgeType::Dependency)
            .filter_map(|d| d.node.as_ref().map(|n| n.name.clone()))
            .collect(),
        ..Entry::default()
    };
    match &fetched.location {
        Location::Dir(_) => {
            e.source = SOURCE_LOCAL.into();
            e.path = local_path(&edge.reference);
            e.content_hash = content_hash(&fetched.bundle);
        }
        Location::Oci(_) => {
            e.source = SOURCE_OCI.into();
            e.reference = edge.reference.clone();
            e.digest = digest_of(fetched).map_err(unresolved)?;
        }
    }
    Ok(e)
}

/// A local ref as the lock records it: the path, without `file://`.
pub fn local_path(reference: &str) -> String {
    reference
        .strip_prefix("file://")
        .unwrap_or(reference)
        .to_string()
}

fn first_failed_edge(n: &Node) -> Option<&Edge> {
    n.dependencies.iter().find_map(|e| {
        if e.edge_type != EdgeType::Dependency {
            return None;
        }
        if e.error.is_some() {
            return Some(e);
        }
        e.node.as_ref().and_then(first_failed_edge)
    })
}

/// What one declared configuration/policy ref resolved to.
#[derive(Clone)]
pub struct ResolvedRef {
    /// `source`, `ref`/`path`, `version` and `digest`/`contentHash` (declaration
    /// fields are filled by the walk).
    pub entry: Reference,
    /// The referenced contract and where it lives, to follow its own references.
    pub child: Option<(Contract, Location)>,
}

/// Resolves one declared ref, seen from the directory/registry of its declarer.
pub trait RefResolver {
    fn resolve(&self, reference: &str, base: &Location) -> Result<ResolvedRef, String>;
}

/// `(kind, name, ref)` of every configuration/policy of `c` that has a ref.
pub fn declared_refs(c: &Contract) -> Vec<(&'static str, String, String)> {
    let name = |n: &Option<String>| n.clone().unwrap_or_else(|| "default".to_string());
    let configs = c
        .all_configurations()
        .into_iter()
        .filter_map(|(_, s)| s.reference.clone().map(|r| ("config", name(&s.name), r)));
    let policies = c
        .all_policies()
        .into_iter()
        .filter_map(|(_, p)| p.reference.clone().map(|r| ("policy", name(&p.name), r)));
    configs
        .chain(policies)
        .filter(|(_, _, r)| !r.is_empty())
        .collect()
}

/// The transitive configuration/policy reference closure: one entry per declaration,
/// `from` naming the declaring contract by content (`""` for the root). The walk
/// follows each resolved bundle once, so cycles end.
pub fn references(
    root: &Contract,
    base: &Location,
    resolver: &dyn RefResolver,
) -> Result<Vec<Reference>, LockError> {
    struct Walk<'a> {
        resolver: &'a dyn RefResolver,
        walked: HashSet<String>,
        memo: HashMap<(String, String), ResolvedRef>,
        seen: BTreeMap<(String, String, String), Reference>,
    }
    impl Walk<'_> {
        fn walk(&mut self, c: &Contract, base: &Location, from: &str) -> Result<(), LockError> {
            let mut declared = BTreeSet::new();
            for (kind, name, reference) in declared_refs(c) {
                if !declared.insert((kind, name.clone())) {
                    return Err(LockError::DuplicateDeclaration {
                        kind: kind.into(),
                        name,
                        from: if from.is_empty() {
                            "the root contract".into()
                        } else {
                            from.into()
                        },
                    });
                }
                let key = (base.key(), reference.clone());
                if !self.memo.contains_key(&key) {
                    let r = self.resolver.resolve(&reference, base).map_err(|reason| {
                        LockError::Unresolved {
                            reference: reference.clone(),
                            reason,
                        }
                    })?;
                    self.memo.insert(key.clone(), r);
                }
                let ResolvedRef {
                    entry: pinned,
                    child,
                } = self.memo[&key].clone();
                let entry = Reference {
                    from: from.to_string(),
                    kind: kind.to_string(),
                    name,
                    ..pinned
                };
                let id = (entry.from.clone(), entry.kind.clone(), entry.name.clone());
                if self.seen.contains_key(&id) {
                    continue;
                }
                self.seen.insert(id, entry.clone());
                if let Some((child, loc)) = child
                    && self.walked.insert(loc.key())
                {
                    self.walk(&child, &loc, &entry.destination_id())?;
                }
            }
            Ok(())
        }
    }
    let mut w = Walk {
        resolver,
        walked: HashSet::new(),
        memo: HashMap::new(),
        seen: BTreeMap::new(),
    };
    w.walk(root, base, "")?;
    Ok(w.seen.into_values().collect())
}
