//! Graph assembly: fetch level by level, then build the tree without I/O.

use super::{
    Conflict, DepRequest, Edge, EdgeType, FetchError, Fetched, Fetcher, Graph, Location, Node,
};
use crate::semver_range::{Constraint, parse_version_lenient};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

#[derive(Debug, Clone)]
pub struct GraphOptions {
    /// Add `configurations[].ref` / `policies[].ref` of the root as reference edges.
    pub with_references: bool,
    /// Only the root's reference edges, no dependencies.
    pub only_references: bool,
    /// Deepest dependency chain followed; deeper edges get an error.
    pub max_depth: usize,
    /// Most distinct contracts fetched for one graph.
    pub max_nodes: usize,
}

impl Default for GraphOptions {
    fn default() -> Self {
        Self {
            with_references: false,
            only_references: false,
            max_depth: 64,
            max_nodes: 10_000,
        }
    }
}

/// The graph plus every fetched contract, first occurrence per service name.
pub struct Resolution {
    pub graph: Graph,
    pub by_name: BTreeMap<String, Fetched>,
}

impl Location {
    /// Canonical identity shared with [`Fetcher::key`] answers.
    pub fn key(&self) -> String {
        match self {
            Location::Dir(p) => format!("dir:{}", p.display()),
            Location::Oci(r) => format!("oci:{r}"),
        }
    }
}

fn requests_of(f: &Fetched) -> Vec<DepRequest> {
    f.contract
        .dependencies
        .iter()
        .map(|d| DepRequest {
            base: f.location.clone(),
            reference: d.reference.clone(),
            compatibility: d.compatibility.clone(),
        })
        .collect()
}

/// Resolves the dependency graph of `root`.
pub fn build(root: &Fetched, fetcher: &dyn Fetcher, opts: &GraphOptions) -> Resolution {
    let mut keys: HashMap<DepRequest, Result<String, FetchError>> = HashMap::new();
    let mut results: HashMap<String, Result<Fetched, FetchError>> = HashMap::new();
    results.insert(root.location.key(), Ok(root.clone()));

    if !opts.only_references {
        let mut frontier = requests_of(root);
        let mut depth = 0;
        while !frontier.is_empty() && depth < opts.max_depth {
            depth += 1;
            let mut batch = Vec::new();
            let mut queued = HashSet::new();
            for req in frontier.drain(..) {
                let key = keys
                    .entry(req.clone())
                    .or_insert_with(|| fetcher.key(&req))
                    .clone();
                if let Ok(k) = key
                    && !results.contains_key(&k)
                    && results.len() + queued.len() < opts.max_nodes
                    && queued.insert(k.clone())
                {
                    batch.push((k, req));
                }
            }
            for (k, answer) in fetcher.fetch_all(batch) {
                if let Ok(f) = &answer {
                    frontier.extend(requests_of(f));
                }
                results.insert(k, answer);
            }
        }
    }

    let mut builder = TreeBuilder {
        fetcher,
        keys: &mut keys,
        results: &results,
        expanded: HashSet::new(),
        cycles: BTreeSet::new(),
        opts,
        by_name: BTreeMap::new(),
    };
    let root_key = root.location.key();
    builder.expanded.insert(root_key.clone());
    let mut path_keys = vec![root_key];
    let mut path_refs = vec![root.contract.service.name.clone()];
    let mut node = builder.expand(root, &mut path_keys, &mut path_refs, 0);
    node.reference = None;
    if opts.with_references || opts.only_references {
        node.dependencies.extend(reference_edges(root));
    }
    builder
        .by_name
        .entry(root.contract.service.name.clone())
        .or_insert_with(|| root.clone());

    let cycles = builder.cycles.into_iter().collect();
    let by_name = builder.by_name;
    let mut graph = Graph {
        root: node,
        cycles,
        conflicts: Vec::new(),
    };
    graph.conflicts = conflicts(&graph);
    Resolution { graph, by_name }
}

struct TreeBuilder<'a> {
    fetcher: &'a dyn Fetcher,
    keys: &'a mut HashMap<DepRequest, Result<String, FetchError>>,
    results: &'a HashMap<String, Result<Fetched, FetchError>>,
    expanded: HashSet<String>,
    cycles: BTreeSet<Vec<String>>,
    opts: &'a GraphOptions,
    by_name: BTreeMap<String, Fetched>,
}

impl TreeBuilder<'_> {
    fn expand(
        &mut self,
        f: &Fetched,
        path_keys: &mut Vec<String>,
        path_refs: &mut Vec<String>,
        depth: usize,
    ) -> Node {
        let mut node = shallow(f);
        if self.opts.only_references {
            return node;
        }
        for (req, dep) in requests_of(f).into_iter().zip(&f.contract.dependencies) {
            let mut edge = Edge {
                reference: dep.reference.clone(),
                required: dep.required,
                compatibility: dep.compatibility.clone(),
                edge_type: EdgeType::Dependency,
                node: None,
                error: None,
                shared: false,
                warning: None,
            };
            let fetcher = self.fetcher;
            let key = self
                .keys
                .entry(req.clone())
                .or_insert_with(|| fetcher.key(&req))
                .clone();
            match key {
                Err(e) => edge.error = Some(e.to_string()),
                Ok(k) if path_keys.contains(&k) => {
                    edge.error = Some(format!("cycle detected: {}", dep.reference));
                    let mut cycle = path_refs.clone();
                    cycle.push(dep.reference.clone());
                    self.cycles.insert(cycle);
                }
                Ok(k) if self.expanded.contains(&k) => {
                    if let Some(Ok(child)) = self.results.get(&k) {
                        edge.node = Some(shallow(child));
                        edge.shared = true;
                    } else if let Some(Err(e)) = self.results.get(&k) {
                        edge.error = Some(e.to_string());
                    }
                }
                Ok(k) => match self.results.get(&k) {
                    None if depth + 1 >= self.opts.max_depth => {
                        edge.error = Some(format!(
                            "not resolved: the dependency chain is deeper than {} levels",
                            self.opts.max_depth
                        ));
                    }
                    None => {
                        edge.error = Some(format!(
                            "not resolved: more than {} contracts in the graph",
                            self.opts.max_nodes
                        ));
                    }
                    Some(Err(e)) => edge.error = Some(e.to_string()),
                    Some(Ok(child)) => {
                        self.expanded.insert(k.clone());
                        self.by_name
                            .entry(child.contract.service.name.clone())
                            .or_insert_with(|| child.clone());
                        path_keys.push(k);
                        path_refs.push(dep.reference.clone());
                        edge.node = Some(self.expand(child, path_keys, path_refs, depth + 1));
                        path_keys.pop();
                        path_refs.pop();
                    }
                },
            }
            if let Some(child) = &edge.node {
                edge.warning = compatibility_warning(&edge.compatibility, &child.version);
            }
            node.dependencies.push(edge);
        }
        node
    }
}

/// Why a resolved version does not satisfy the edge's `compatibility` range, if it does
/// not. Checked for explicitly tagged refs too: a pinned tag can drift from the range.
/// An unparsable range is left to validation (`INVALID_COMPATIBILITY`).
fn compatibility_warning(compatibility: &str, version: &str) -> Option<String> {
    let range = compatibility.trim();
    if range.is_empty() {
        return None;
    }
    let constraint = Constraint::parse(range).ok()?;
    match parse_version_lenient(version) {
        None => Some(format!(
            "version {version:?} is not semver, so compatibility {range:?} cannot be checked"
        )),
        Some(v) if !constraint.matches(&v) => Some(format!(
            "resolved version {version} does not satisfy compatibility {range:?}"
        )),
        Some(_) => None,
    }
}

fn shallow(f: &Fetched) -> Node {
    Node {
        name: f.contract.service.name.clone(),
        version: f.contract.service.version.clone(),
        reference: Some(f.resolved_ref.clone()),
        local: matches!(f.location, Location::Dir(_)),
        dependencies: Vec::new(),
    }
}

/// Distinct configuration and policy refs of the root, as unresolved reference edges.
fn reference_edges(root: &Fetched) -> Vec<Edge> {
    let mut seen = BTreeSet::new();
    let refs = root
        .contract
        .all_configurations()
        .into_iter()
        .filter_map(|(_, c)| c.reference)
        .chain(
            root.contract
                .all_policies()
                .into_iter()
                .filter_map(|(_, p)| p.reference),
        );
    refs.filter(|r| !r.is_empty() && seen.insert(r.clone()))
        .map(|r| Edge {
            reference: r,
            required: false,
            compatibility: String::new(),
            edge_type: EdgeType::Reference,
            node: None,
            error: None,
            shared: false,
            warning: None,
        })
        .collect()
}

/// Service names resolved at more than one version.
fn conflicts(graph: &Graph) -> Vec<Conflict> {
    let mut versions: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for n in graph.nodes() {
        versions.entry(&n.name).or_default().insert(&n.version);
    }
    versions
        .into_iter()
        .filter(|(_, v)| v.len() > 1)
        .map(|(name, v)| Conflict {
            name: name.to_string(),
            versions: v.into_iter().map(|ver| format!("{name}@{ver}")).collect(),
        })
        .collect()
}
