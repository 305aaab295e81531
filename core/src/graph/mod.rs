//! Dependency graph over contracts: shared nodes, cycles, version conflicts.
//!
//! Resolution is split in two so it stays testable and parallelisable: a
//! [`Fetcher`] turns a frontier of dependency requests into contracts (an OCI fetcher
//! may do that concurrently), and [`build`] assembles the tree from those answers
//! with no I/O of its own.

mod build;
mod diff;
mod error;
pub mod local;

pub use build::{GraphOptions, Resolution, build};
pub use diff::{GraphChange, GraphChangeType, GraphDiff, GraphDiffNode, diff_graphs};
pub use error::{FetchError, valid_contract};

use crate::bundle::Bundle;
use crate::model::Contract;
use serde::Serialize;
use std::path::PathBuf;

/// Where a contract came from; local dependencies resolve relative to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Location {
    Dir(PathBuf),
    Oci(String),
}

/// One dependency edge to resolve: `reference` as written, seen from `base`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DepRequest {
    pub base: Location,
    pub reference: String,
    pub compatibility: String,
}

/// A resolved contract with its bundle and canonical location.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub contract: Contract,
    pub bundle: Bundle,
    pub location: Location,
    /// The ref as resolved (for OCI: with the chosen tag or digest).
    pub resolved_ref: String,
}

/// Resolves dependency requests into contracts.
pub trait Fetcher {
    /// Identity of the contract a request points to, without fetching it: equal keys
    /// are fetched once and shared. Errors here are recorded on the edge.
    fn key(&self, req: &DepRequest) -> Result<String, FetchError>;

    /// Fetches a batch of distinct requests (keyed by [`Fetcher::key`]); an
    /// implementation may work on them concurrently. Every key must get an answer.
    fn fetch_all(
        &self,
        batch: Vec<(String, DepRequest)>,
    ) -> Vec<(String, Result<Fetched, FetchError>)>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EdgeType {
    Dependency,
    Reference,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Node {
    pub name: String,
    pub version: String,
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub local: bool,
    pub dependencies: Vec<Edge>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Edge {
    #[serde(rename = "ref")]
    pub reference: String,
    pub required: bool,
    pub compatibility: String,
    #[serde(rename = "type")]
    pub edge_type: EdgeType,
    pub node: Option<Node>,
    pub error: Option<String>,
    pub shared: bool,
    /// Set when the resolved version does not satisfy `compatibility`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    pub name: String,
    pub versions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Graph {
    pub root: Node,
    pub cycles: Vec<Vec<String>>,
    pub conflicts: Vec<Conflict>,
}

impl Graph {
    /// Every resolved node reachable from the root (root first, depth-first).
    pub fn nodes(&self) -> Vec<&Node> {
        fn walk<'a>(n: &'a Node, out: &mut Vec<&'a Node>) {
            out.push(n);
            for e in &n.dependencies {
                if let Some(child) = &e.node {
                    walk(child, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.root, &mut out);
        out
    }
}
