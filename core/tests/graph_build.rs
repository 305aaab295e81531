//! Graph assembly over an in-memory fetcher: sharing, cycles, conflicts, errors.

use pacto_core::Bundle;
use pacto_core::graph::{
    DepRequest, EdgeType, FetchError, Fetched, Fetcher, GraphChangeType, GraphOptions, Location,
    build, diff_graphs,
};
use pacto_core::model::Contract;
use serde_json::json;
use std::cell::RefCell;
use std::collections::HashMap;

fn contract(name: &str, version: &str, deps: &[&str]) -> Contract {
    let deps: Vec<_> = deps
        .iter()
        .map(|r| json!({"ref": r, "compatibility": "^1.0.0", "required": true}))
        .collect();
    serde_json::from_value(json!({
        "pactoVersion": "1.0",
        "service": {"name": name, "version": version},
        "dependencies": deps,
        "configuration": {"ref": "oci://reg/platform-config"},
        "policy": {"ref": "oci://reg/platform-policy"},
    }))
    .unwrap()
}

/// Refs are `oci://reg/<name>`; the fetcher serves a fixed table and counts fetches.
struct TableFetcher {
    table: HashMap<String, Contract>,
    fetched: RefCell<Vec<String>>,
}

impl TableFetcher {
    fn new(entries: Vec<(&str, Contract)>) -> Self {
        Self {
            table: entries
                .into_iter()
                .map(|(k, c)| (k.to_string(), c))
                .collect(),
            fetched: RefCell::new(Vec::new()),
        }
    }
}

impl Fetcher for TableFetcher {
    fn key(&self, req: &DepRequest) -> Result<String, FetchError> {
        if req.reference.starts_with("bad") {
            return Err(FetchError::Unavailable(format!(
                "invalid reference {}",
                req.reference
            )));
        }
        Ok(format!("oci:{}", req.reference))
    }

    fn fetch_all(
        &self,
        batch: Vec<(String, DepRequest)>,
    ) -> Vec<(String, Result<Fetched, FetchError>)> {
        batch
            .into_iter()
            .map(|(k, req)| {
                self.fetched.borrow_mut().push(req.reference.clone());
                let r = self
                    .table
                    .get(&req.reference)
                    .cloned()
                    .map(|c| Fetched {
                        contract: c,
                        bundle: Bundle::new(),
                        location: Location::Oci(req.reference.clone()),
                        resolved_ref: req.reference.clone(),
                    })
                    .ok_or_else(|| {
                        FetchError::Unavailable(format!("artifact not found: {}", req.reference))
                    });
                (k, r)
            })
            .collect()
    }
}

fn root(c: Contract) -> Fetched {
    Fetched {
        contract: c,
        bundle: Bundle::new(),
        location: Location::Dir("/work/app".into()),
        resolved_ref: ".".into(),
    }
}

#[test]
fn shared_nodes_are_fetched_once_and_marked() {
    let f = TableFetcher::new(vec![
        ("oci://reg/a", contract("a", "1.0.0", &["oci://reg/c"])),
        ("oci://reg/b", contract("b", "1.0.0", &["oci://reg/c"])),
        ("oci://reg/c", contract("c", "1.0.0", &[])),
    ]);
    let r = build(
        &root(contract("app", "1.0.0", &["oci://reg/a", "oci://reg/b"])),
        &f,
        &GraphOptions::default(),
    );
    let g = r.graph;
    let a = g.root.dependencies[0].node.as_ref().unwrap();
    let b = g.root.dependencies[1].node.as_ref().unwrap();
    assert!(!a.dependencies[0].shared);
    assert!(b.dependencies[0].shared);
    assert_eq!(b.dependencies[0].node.as_ref().unwrap().name, "c");
    let mut fetched = f.fetched.borrow().clone();
    fetched.sort();
    assert_eq!(fetched, vec!["oci://reg/a", "oci://reg/b", "oci://reg/c"]);
    assert!(g.cycles.is_empty() && g.conflicts.is_empty());
    assert_eq!(r.by_name.len(), 4);
}

#[test]
fn cycles_are_reported_without_looping() {
    let f = TableFetcher::new(vec![
        ("oci://reg/a", contract("a", "1.0.0", &["oci://reg/b"])),
        ("oci://reg/b", contract("b", "1.0.0", &["oci://reg/a"])),
    ]);
    let g = build(
        &root(contract("app", "1.0.0", &["oci://reg/a"])),
        &f,
        &GraphOptions::default(),
    )
    .graph;
    assert_eq!(
        g.cycles,
        vec![vec!["app", "oci://reg/a", "oci://reg/b", "oci://reg/a"]]
    );
    let b = g.root.dependencies[0].node.as_ref().unwrap().dependencies[0]
        .node
        .as_ref()
        .unwrap();
    assert_eq!(
        b.dependencies[0].error.as_deref(),
        Some("cycle detected: oci://reg/a")
    );
}

#[test]
fn conflicts_and_failing_edges_do_not_abort() {
    let f = TableFetcher::new(vec![
        ("oci://reg/a", contract("a", "1.0.0", &["oci://reg/c2"])),
        ("oci://reg/c1", contract("c", "1.0.0", &[])),
        ("oci://reg/c2", contract("c", "2.0.0", &[])),
    ]);
    let g = build(
        &root(contract(
            "app",
            "1.0.0",
            &[
                "oci://reg/a",
                "oci://reg/c1",
                "oci://reg/missing",
                "bad ref",
            ],
        )),
        &f,
        &GraphOptions::default(),
    )
    .graph;
    assert_eq!(g.conflicts.len(), 1);
    assert_eq!(g.conflicts[0].name, "c");
    assert_eq!(g.conflicts[0].versions, vec!["c@1.0.0", "c@2.0.0"]);
    assert_eq!(
        g.root.dependencies[2].error.as_deref(),
        Some("artifact not found: oci://reg/missing")
    );
    assert_eq!(
        g.root.dependencies[3].error.as_deref(),
        Some("invalid reference bad ref")
    );
    assert!(g.root.dependencies[0].node.is_some());
}

#[test]
fn reference_edges_are_added_or_exclusive() {
    let f = TableFetcher::new(vec![("oci://reg/a", contract("a", "1.0.0", &[]))]);
    let app = root(contract("app", "1.0.0", &["oci://reg/a"]));
    let opts = GraphOptions {
        with_references: true,
        ..GraphOptions::default()
    };
    let g = build(&app, &f, &opts).graph;
    let kinds: Vec<_> = g.root.dependencies.iter().map(|e| e.edge_type).collect();
    assert_eq!(
        kinds,
        vec![
            EdgeType::Dependency,
            EdgeType::Reference,
            EdgeType::Reference
        ]
    );

    let only = GraphOptions {
        only_references: true,
        ..GraphOptions::default()
    };
    let f = TableFetcher::new(vec![]);
    let g = build(&app, &f, &only).graph;
    assert!(
        g.root
            .dependencies
            .iter()
            .all(|e| e.edge_type == EdgeType::Reference)
    );
    assert!(f.fetched.borrow().is_empty());
}

#[test]
fn depth_limit_stops_long_chains() {
    let mut entries = Vec::new();
    for i in 0..10 {
        let next = format!("oci://reg/n{}", i + 1);
        entries.push((
            format!("oci://reg/n{i}"),
            contract(&format!("n{i}"), "1.0.0", &[&next]),
        ));
    }
    let f = TableFetcher::new(
        entries
            .iter()
            .map(|(k, c)| (k.as_str(), c.clone()))
            .collect(),
    );
    let opts = GraphOptions {
        max_depth: 4,
        ..GraphOptions::default()
    };
    let g = build(
        &root(contract("app", "1.0.0", &["oci://reg/n0"])),
        &f,
        &opts,
    )
    .graph;
    let mut n = &g.root;
    let mut depth = 0;
    while let Some(child) = n.dependencies.first().and_then(|e| e.node.as_ref()) {
        n = child;
        depth += 1;
    }
    assert_eq!(depth, 4);
    assert!(
        n.dependencies[0]
            .error
            .as_deref()
            .unwrap()
            .contains("deeper than 4")
    );
}

#[test]
fn graph_diff_matches_children_by_name() {
    let old_f = TableFetcher::new(vec![
        ("oci://reg/cache", contract("cache", "1.0.0", &[])),
        ("oci://reg/old", contract("old-dep", "1.0.0", &[])),
    ]);
    let new_f = TableFetcher::new(vec![
        ("oci://reg/cache", contract("cache", "2.0.0", &[])),
        ("oci://reg/new", contract("new-dep", "1.0.0", &[])),
    ]);
    let old = build(
        &root(contract(
            "app",
            "1.0.0",
            &["oci://reg/cache", "oci://reg/old"],
        )),
        &old_f,
        &GraphOptions::default(),
    )
    .graph;
    let new = build(
        &root(contract(
            "app",
            "1.0.0",
            &["oci://reg/cache", "oci://reg/new"],
        )),
        &new_f,
        &GraphOptions::default(),
    )
    .graph;
    let d = diff_graphs(&old, &new).unwrap();
    let summary: Vec<_> = d
        .changes
        .iter()
        .map(|c| (c.name.as_str(), c.change_type))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("cache", GraphChangeType::VersionChanged),
            ("new-dep", GraphChangeType::Added),
            ("old-dep", GraphChangeType::Removed),
        ]
    );
    assert!(diff_graphs(&old, &old).is_none());
}

#[test]
fn root_version_change_alone_is_no_graph_change() {
    let f = TableFetcher::new(vec![("oci://reg/a", contract("a", "1.0.0", &[]))]);
    let old = build(
        &root(contract("app", "1.0.0", &["oci://reg/a"])),
        &f,
        &GraphOptions::default(),
    )
    .graph;
    let new = build(
        &root(contract("app", "2.0.0", &["oci://reg/a"])),
        &f,
        &GraphOptions::default(),
    )
    .graph;
    assert!(diff_graphs(&old, &new).is_none());
}

#[test]
fn resolved_versions_outside_the_compatibility_range_warn() {
    // Every edge in `contract` asks for ^1.0.0.
    let f = TableFetcher::new(vec![
        ("oci://reg/ok:1.2.0", contract("ok", "1.2.0", &[])),
        ("oci://reg/old:2.0.0", contract("old", "2.0.0", &[])),
        ("oci://reg/odd:x", contract("odd", "banana", &[])),
    ]);
    let g = build(
        &root(contract(
            "app",
            "1.0.0",
            &[
                "oci://reg/ok:1.2.0",
                "oci://reg/old:2.0.0",
                "oci://reg/odd:x",
            ],
        )),
        &f,
        &GraphOptions::default(),
    )
    .graph;
    let deps = &g.root.dependencies;
    assert_eq!(deps[0].warning, None);
    let w = deps[1].warning.as_deref().unwrap_or_default();
    assert!(w.contains("2.0.0") && w.contains("^1.0.0"), "{w}");
    assert!(
        deps[2]
            .warning
            .as_deref()
            .is_some_and(|w| w.contains("not semver")),
        "{:?}",
        deps[2].warning
    );
}

/// `fixtures/graph-mixed/<name>` loaded as a graph root through the local fetcher.
fn mixed_root(name: &str) -> Fetched {
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/graph-mixed");
    let req = DepRequest {
        base: Location::Dir(base),
        reference: name.to_string(),
        compatibility: String::new(),
    };
    let f = pacto_core::graph::local::LocalFetcher::default();
    let key = f.key(&req).expect("fixture dir");
    let (_, fetched) = f.fetch_all(vec![(key, req)]).pop().expect("one answer");
    fetched.expect("fixture is a valid contract")
}

/// name@version (pactoVersion) of each node, depth-first.
fn mixed_nodes(r: &pacto_core::graph::Resolution) -> Vec<String> {
    r.graph
        .nodes()
        .iter()
        .map(|n| format!("{}@{}", n.name, n.version))
        .collect()
}

#[test]
fn a_1_x_root_resolves_2_0_dependencies_and_back() {
    let root = mixed_root("app-v1");
    assert_eq!(root.contract.pacto_version, pacto_core::PactoVersion::V1_2);
    let f = pacto_core::graph::local::LocalFetcher::default();
    let r = build(&root, &f, &GraphOptions::default());
    let g = &r.graph;
    assert_eq!(
        mixed_nodes(&r),
        vec![
            "app@1.0.0",
            "api@2.1.0",
            "db@16.4.0",
            "worker@2.5.0",
            "worker@2.5.0"
        ]
    );
    let api = &g.root.dependencies[0];
    assert!(api.error.is_none() && api.warning.is_none(), "{api:?}");
    let api_node = api.node.as_ref().expect("api resolved");
    // 2.0 -> 1.x: the range ">=16.0.0, <17.0.0" holds for 16.4.0.
    let db = &api_node.dependencies[0];
    assert_eq!(db.node.as_ref().map(|n| n.version.as_str()), Some("16.4.0"));
    assert!(db.warning.is_none(), "{db:?}");
    // 2.0 -> 2.0 satisfied (^2.0.0), 1.x -> 2.0 not (^3.0.0 vs 2.5.0): the edge says so.
    assert!(api_node.dependencies[1].warning.is_none());
    let worker = &g.root.dependencies[1];
    assert_eq!(
        worker.warning.as_deref(),
        Some("resolved version 2.5.0 does not satisfy compatibility \"^3.0.0\"")
    );
    assert!(g.cycles.is_empty() && g.conflicts.is_empty());
    // Every contract keeps its own version after resolution.
    let versions: Vec<_> = ["app", "api", "db", "worker"]
        .iter()
        .map(|n| r.by_name[*n].contract.pacto_version)
        .collect();
    use pacto_core::PactoVersion::*;
    assert_eq!(versions, vec![V1_2, V2_0, V1_0, V2_0]);
}

#[test]
fn a_2_0_root_resolves_1_x_dependencies() {
    let root = mixed_root("api-v2");
    let f = pacto_core::graph::local::LocalFetcher::default();
    let r = build(&root, &f, &GraphOptions::default());
    assert_eq!(
        mixed_nodes(&r),
        vec!["api@2.1.0", "db@16.4.0", "worker@2.5.0"]
    );
    assert!(
        r.graph
            .root
            .dependencies
            .iter()
            .all(|e| e.error.is_none() && e.warning.is_none())
    );
}
