//! The transitive dependents of a service ("who breaks if it changes"): a breadth-first
//! walk over direct dependents, cycle-safe (each service once, at its shortest depth).

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Most services a walk visits.
pub const MAX_IMPACTED: usize = 1000;

/// A direct dependent, as `/api/services/{name}/dependents` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub name: String,
    pub required: bool,
}

/// A service reached by the walk.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Impacted {
    pub name: String,
    /// Hops from the changed service (1 = depends on it directly).
    pub depth: u32,
    /// The service it depends on along the shortest path.
    pub via: String,
    /// Whether that dependency (on `via`) is required.
    pub required: bool,
    /// Whether it is reached through required dependencies only, on some path (it cannot
    /// work without the changed service).
    pub required_path: bool,
}

/// Walks the dependents of `root`; `dependents(name)` lists one service's direct ones.
pub fn walk(
    root: &str,
    mut dependents: impl FnMut(&str) -> Result<Vec<Edge>, String>,
) -> Result<Vec<Impacted>, String> {
    let mut seen = BTreeSet::from([root.to_string()]);
    let mut queue = VecDeque::from([(root.to_string(), 0u32)]);
    let mut edges: BTreeMap<String, Vec<Edge>> = BTreeMap::new();
    let mut out = Vec::new();
    while let Some((name, depth)) = queue.pop_front() {
        let direct = dependents(&name)?;
        for e in &direct {
            if out.len() >= MAX_IMPACTED || !seen.insert(e.name.clone()) {
                continue;
            }
            out.push(Impacted {
                name: e.name.clone(),
                depth: depth + 1,
                via: name.clone(),
                required: e.required,
                required_path: false,
            });
            queue.push_back((e.name.clone(), depth + 1));
        }
        edges.insert(name, direct);
    }
    // A second pass over the edges seen: reachable through required dependencies only,
    // on any path (not only the shortest).
    let mut hard = BTreeSet::new();
    let mut queue = VecDeque::from([root.to_string()]);
    while let Some(name) = queue.pop_front() {
        for e in edges.get(&name).into_iter().flatten() {
            if e.required && e.name != root && hard.insert(e.name.clone()) {
                queue.push_back(e.name.clone());
            }
        }
    }
    for i in &mut out {
        i.required_path = hard.contains(&i.name);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `db <- api (required) <- web (optional) <- api (a cycle back)`, `db <- jobs
    /// (required)`, `jobs <- web (required)`.
    fn fixture() -> BTreeMap<&'static str, Vec<(&'static str, bool)>> {
        BTreeMap::from([
            ("db", vec![("api", true), ("jobs", true)]),
            ("api", vec![("web", false)]),
            ("jobs", vec![("web", true)]),
            ("web", vec![("api", true)]),
        ])
    }

    fn run(root: &str) -> Vec<Impacted> {
        let f = fixture();
        let mut calls = 0;
        walk(root, |n| {
            calls += 1;
            assert!(calls < 20, "the walk does not terminate");
            Ok(f.get(n)
                .into_iter()
                .flatten()
                .map(|(name, required)| Edge {
                    name: name.to_string(),
                    required: *required,
                })
                .collect())
        })
        .unwrap()
    }

    #[test]
    fn transitive_shortest_depth_and_cycle_safe() {
        let out = run("db");
        let names: Vec<(&str, u32, &str)> = out
            .iter()
            .map(|i| (i.name.as_str(), i.depth, i.via.as_str()))
            .collect();
        assert_eq!(
            names,
            vec![("api", 1, "db"), ("jobs", 1, "db"), ("web", 2, "api")]
        );
        assert!(out[0].required && out[0].required_path);
        // Reached first through an optional dependency, but also through required ones only.
        assert!(!out[2].required && out[2].required_path);
    }

    #[test]
    fn a_cycle_through_the_root_does_not_list_the_root() {
        let out = run("api");
        let names: Vec<&str> = out.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, vec!["web"]);
        assert!(!out[0].required_path);
        assert!(run("nobody").is_empty());
    }

    #[test]
    fn errors_propagate() {
        let e = walk("x", |_| Err("boom".to_string())).unwrap_err();
        assert_eq!(e, "boom");
    }
}
