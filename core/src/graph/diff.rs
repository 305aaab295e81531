//! Dependency-graph diff: children matched by service name.

use super::{Graph, Node};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GraphChangeType {
    Added,
    Removed,
    VersionChanged,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GraphChange {
    pub name: String,
    pub change_type: GraphChangeType,
    pub old_version: Option<String>,
    pub new_version: Option<String>,
}

/// A tree of the new graph annotated with what changed against the old one.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GraphDiffNode {
    pub name: String,
    pub version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<GraphChange>,
    pub children: Vec<GraphDiffNode>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GraphDiff {
    pub root: GraphDiffNode,
    pub changes: Vec<GraphChange>,
}

/// `None` when both graphs have the same services at the same versions.
pub fn diff_graphs(old: &Graph, new: &Graph) -> Option<GraphDiff> {
    let mut changes = Vec::new();
    // The root's own version change is the contract diff's business, not the graph's.
    let root = diff_children(
        GraphDiffNode {
            name: new.root.name.clone(),
            version: new.root.version.clone(),
            change: None,
            children: Vec::new(),
        },
        Some(&old.root),
        Some(&new.root),
        &mut changes,
    );
    if changes.is_empty() {
        return None;
    }
    changes.sort_by(|a, b| a.name.cmp(&b.name));
    Some(GraphDiff { root, changes })
}

fn children(n: Option<&Node>) -> BTreeMap<&str, &Node> {
    n.map(|n| {
        n.dependencies
            .iter()
            .filter_map(|e| e.node.as_ref())
            .map(|c| (c.name.as_str(), c))
            .collect()
    })
    .unwrap_or_default()
}

fn diff_node(old: Option<&Node>, new: Option<&Node>, out: &mut Vec<GraphChange>) -> GraphDiffNode {
    let shown = new.or(old);
    let name = shown.map(|n| n.name.clone()).unwrap_or_default();
    let change = match (old, new) {
        (None, Some(n)) => Some(GraphChange {
            name: name.clone(),
            change_type: GraphChangeType::Added,
            old_version: None,
            new_version: Some(n.version.clone()),
        }),
        (Some(o), None) => Some(GraphChange {
            name: name.clone(),
            change_type: GraphChangeType::Removed,
            old_version: Some(o.version.clone()),
            new_version: None,
        }),
        (Some(o), Some(n)) if o.version != n.version => Some(GraphChange {
            name: name.clone(),
            change_type: GraphChangeType::VersionChanged,
            old_version: Some(o.version.clone()),
            new_version: Some(n.version.clone()),
        }),
        _ => None,
    };
    if let Some(c) = &change {
        out.push(c.clone());
    }
    let node = GraphDiffNode {
        name,
        version: shown.map(|n| n.version.clone()).unwrap_or_default(),
        change,
        children: Vec::new(),
    };
    diff_children(node, old, new, out)
}

fn diff_children(
    mut node: GraphDiffNode,
    old: Option<&Node>,
    new: Option<&Node>,
    out: &mut Vec<GraphChange>,
) -> GraphDiffNode {
    let old_children = children(old);
    let new_children = children(new);
    let mut names: Vec<&str> = old_children
        .keys()
        .chain(new_children.keys())
        .copied()
        .collect();
    names.sort_unstable();
    names.dedup();
    node.children = names
        .into_iter()
        .map(|n| {
            diff_node(
                old_children.get(n).copied(),
                new_children.get(n).copied(),
                out,
            )
        })
        .collect();
    node
}
