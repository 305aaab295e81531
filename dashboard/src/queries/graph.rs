//! The dependency graph of the fleet (or of one service's neighbourhood), laid out
//! (`/api/graph`, `/api/services/{name}/graph`, the graph on the list, service and graph
//! pages).

use crate::graph_layout::{Orientation, layout};
use crate::model::{ContractStatus, SourceKind};
use crate::snapshot::Snapshot;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use utoipa::{IntoParams, ToSchema};

/// A node of the dependency graph with its layered position.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GraphNode {
    pub id: String,
    /// `service`, `external` (not in any source) or `unmonitored` (no runtime state).
    pub kind: String,
    #[schema(value_type = Option<crate::model::ContractStatusSchema>)]
    pub status: Option<ContractStatus>,
    pub version: Option<String>,
    pub owner: Option<String>,
    pub sources: Vec<SourceKind>,
    pub layer: u32,
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GraphEdge {
    pub from: String,
    pub to: String,
    /// `dependency` (solid) or `reference` (dashed config/policy ref).
    #[serde(rename = "type")]
    pub kind: String,
    pub required: bool,
    pub compatibility: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GraphResponse {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
    pub width: f64,
    pub height: f64,
    pub direction: String,
    pub focus: Option<String>,
    pub depth: Option<u32>,
    /// Dependency cycles found (each as the services on it).
    pub cycles: Vec<Vec<String>>,
}

/// Graph controls shared by the API and the graph page.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GraphParams {
    /// Centre the graph on this service.
    pub focus: Option<String>,
    /// Hops from the focus (1..=10); all when absent or empty.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub depth: Option<u32>,
    /// `dependencies`, `dependents` or `both` (default).
    pub direction: Option<String>,
    /// `TB` (default) or `LR`.
    pub layout: Option<String>,
}

/// `depth=` (what the graph page's form sends for "all") is no depth, not a bad request.
fn empty_as_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    match Option::<String>::deserialize(d)?.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v.parse().map(Some).map_err(serde::de::Error::custom),
    }
}

/// A graph control with a value outside its choices.
#[derive(Debug, thiserror::Error)]
pub enum GraphParamsError {
    #[error("direction must be dependencies, dependents or both, not {0:?}")]
    Direction(String),
    #[error("layout must be TB or LR, not {0:?}")]
    Layout(String),
    #[error("depth must be between 1 and 10")]
    Depth,
}

impl GraphParams {
    pub fn query(&self) -> Result<GraphQuery, GraphParamsError> {
        let walk = match self.direction.as_deref() {
            None | Some("") => Walk::Both,
            Some(d) => Walk::parse(d).ok_or_else(|| GraphParamsError::Direction(d.to_string()))?,
        };
        let orientation = match self.layout.as_deref() {
            None | Some("") | Some("TB") => Orientation::TopDown,
            Some("LR") => Orientation::LeftRight,
            Some(l) => return Err(GraphParamsError::Layout(l.to_string())),
        };
        if let Some(d) = self.depth
            && !(1..=10).contains(&d)
        {
            return Err(GraphParamsError::Depth);
        }
        Ok(GraphQuery {
            focus: self.focus.clone().filter(|f| !f.is_empty()),
            depth: self.depth,
            walk,
            orientation,
        })
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn params(direction: Option<&str>, layout: Option<&str>, depth: Option<u32>) -> GraphParams {
        GraphParams {
            focus: Some(String::new()),
            depth,
            direction: direction.map(str::to_string),
            layout: layout.map(str::to_string),
        }
    }

    #[test]
    fn graph_params_become_a_query_or_say_what_is_wrong() {
        let q = params(Some("deps"), Some("LR"), Some(3)).query().unwrap();
        assert_eq!(q.focus, None, "an empty focus is the whole fleet");
        assert_eq!(
            (q.walk, q.orientation, q.depth),
            (Walk::Dependencies, Orientation::LeftRight, Some(3))
        );
        let err = |p: GraphParams| p.query().unwrap_err().to_string();
        assert_eq!(
            err(params(Some("up"), None, None)),
            "direction must be dependencies, dependents or both, not \"up\""
        );
        assert_eq!(
            err(params(None, Some("RL"), None)),
            "layout must be TB or LR, not \"RL\""
        );
        assert_eq!(
            err(params(None, None, Some(11))),
            "depth must be between 1 and 10"
        );
    }
}
