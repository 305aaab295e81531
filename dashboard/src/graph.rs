//! The dependency graph of the fleet (or of one service's neighbourhood), laid out.

use crate::api::types::{GraphEdge, GraphNode, GraphResponse};
use crate::layout::{Orientation, layout};
use crate::snapshot::Snapshot;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Which way to walk from a focused service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    Dependencies,
    Dependents,
    Both,
}

impl Walk {
    pub fn parse(s: &str) -> Option<Walk> {
        match s {
            "dependencies" | "deps" => Some(Walk::Dependencies),
            "dependents" => Some(Walk::Dependents),
            "both" => Some(Walk::Both),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct GraphQuery {
    pub focus: Option<String>,
    pub depth: Option<u32>,
    pub walk: Walk,
    pub orientation: Orientation,
}

impl Default for GraphQuery {
    fn default() -> Self {
        GraphQuery {
            focus: None,
            depth: None,
            walk: Walk::Both,
            orientation: Orientation::TopDown,
        }
    }
}

struct RawEdge {
    from: String,
    to: String,
    kind: &'static str,
    required: bool,
    compatibility: Option<String>,
}

/// Every edge of the fleet, from each service's current contract; targets resolved to
/// known service names where possible.
fn all_edges(snap: &Snapshot) -> Vec<RawEdge> {
    let mut out = Vec::new();
    for s in snap.services.values() {
        let Some(sum) = s.current().and_then(|m| m.record.summary.as_ref()) else {
            continue;
        };
        let target = |n: &str| {
            snap.resolve(n)
                .map(|t| t.name.clone())
                .unwrap_or_else(|| n.to_string())
        };
        for d in &sum.dependencies {
            out.push(RawEdge {
                from: s.name.clone(),
                to: target(&d.name),
                kind: "dependency",
                required: d.required,
                compatibility: Some(d.compatibility.clone()),
            });
        }
        for r in &sum.references {
            out.push(RawEdge {
                from: s.name.clone(),
                to: target(&r.target),
                kind: "reference",
                required: false,
                compatibility: None,
            });
        }
    }
    out
}

pub fn build(snap: &Snapshot, q: &GraphQuery) -> GraphResponse {
    let edges = all_edges(snap);
    let mut names: BTreeSet<String> = snap.services.keys().cloned().collect();
    for e in &edges {
        names.insert(e.to.clone());
    }
    if let Some(focus) = &q.focus {
        names = neighbourhood(focus, q.depth, q.walk, &edges);
    }
    let ids: Vec<String> = names.into_iter().collect();
    let index: BTreeMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let kept: Vec<&RawEdge> = edges
        .iter()
        .filter(|e| index.contains_key(e.from.as_str()) && index.contains_key(e.to.as_str()))
        .collect();
    let pairs: Vec<(usize, usize)> = kept
        .iter()
        .filter_map(|e| Some((*index.get(e.from.as_str())?, *index.get(e.to.as_str())?)))
        .collect();
    let l = layout(ids.len(), &pairs, q.orientation);
    let nodes = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let svc = snap.services.get(id);
            let (x, y) = l.pos.get(i).copied().unwrap_or((0.0, 0.0));
            GraphNode {
                id: id.clone(),
                kind: match svc {
                    None => "external",
                    Some(s) if s.runtime.is_empty() => "unmonitored",
                    Some(_) => "service",
                }
                .to_string(),
                status: svc.map(|s| s.status),
                version: svc.and_then(|s| s.entry.version.clone()),
                owner: svc.and_then(|s| s.entry.owner.clone()),
                sources: svc.map(|s| s.entry.sources.clone()).unwrap_or_default(),
                layer: l.layer.get(i).copied().unwrap_or(0),
                x,
                y,
            }
        })
        .collect();
    GraphResponse {
        nodes,
        edges: kept
            .iter()
            .map(|e| GraphEdge {
                from: e.from.clone(),
                to: e.to.clone(),
                kind: e.kind.to_string(),
                required: e.required,
                compatibility: e.compatibility.clone(),
            })
            .collect(),
        width: l.width,
        height: l.height,
        direction: match q.orientation {
            Orientation::TopDown => "TB",
            Orientation::LeftRight => "LR",
        }
        .to_string(),
        focus: q.focus.clone(),
        depth: q.depth,
        cycles: l
            .cycles
            .iter()
            .map(|c| c.iter().filter_map(|&i| ids.get(i).cloned()).collect())
            .collect(),
    }
}

/// Services within `depth` hops of `focus` along the chosen direction(s).
fn neighbourhood(
    focus: &str,
    depth: Option<u32>,
    walk: Walk,
    edges: &[RawEdge],
) -> BTreeSet<String> {
    let mut seen = BTreeSet::from([focus.to_string()]);
    let mut queue = VecDeque::from([(focus.to_string(), 0u32)]);
    while let Some((n, d)) = queue.pop_front() {
        if depth.is_some_and(|max| d >= max) {
            continue;
        }
        for e in edges {
            let next = if walk != Walk::Dependents && e.from == n {
                Some(&e.to)
            } else if walk != Walk::Dependencies && e.to == n {
                Some(&e.from)
            } else {
                None
            };
            if let Some(m) = next
                && seen.insert(m.clone())
            {
                queue.push_back((m.clone(), d + 1));
            }
        }
    }
    seen
}
