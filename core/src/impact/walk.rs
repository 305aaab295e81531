//! The transitive dependents of a service ("who breaks if it changes"): a breadth-first
//! walk over direct dependents, cycle-safe (each service once, at its shortest depth) and
//! bounded ([`MAX_REACHED`]). Used by [`super::analyze`] and by `pacto mcp`'s
//! `pacto_impact` tool.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Most services a walk visits; more sets [`Walk::truncated`].
pub const MAX_REACHED: usize = 1000;

/// A direct dependent: `name` declares a dependency on the service it was listed for.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub name: String,
    pub required: bool,
    /// The dependency's `compatibility` range, when it declares one.
    pub compatibility: Option<String>,
}

impl Edge {
    pub fn new(name: impl Into<String>, required: bool, compatibility: Option<&str>) -> Self {
        let compatibility = compatibility
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string);
        Edge {
            name: name.into(),
            required,
            compatibility,
        }
    }
}

/// A service reached by the walk.
#[derive(Debug, Clone, PartialEq)]
pub struct Reached {
    pub name: String,
    /// Hops from the changed service (1 = depends on it directly).
    pub depth: u32,
    /// The shortest chain of dependents: `[root, …, name]`, each depending on the one before.
    pub path: Vec<String>,
    /// The edge to the service before it on `path` (whether required, its range).
    pub edge: Edge,
    /// Reached through required dependencies only, on some path (not only the shortest):
    /// it cannot work without the changed service.
    pub required_path: bool,
}

impl Reached {
    /// The service it depends on along `path`.
    pub fn via(&self) -> &str {
        self.path
            .len()
            .checked_sub(2)
            .and_then(|i| self.path.get(i))
            .map_or("", String::as_str)
    }
}

/// What a walk found: the services reached, in breadth-first order (by depth, then in the
/// order `dependents` listed them), and every edge it read, keyed by the depended-on service.
#[derive(Debug, Clone, Default)]
pub struct Walk {
    pub reached: Vec<Reached>,
    pub edges: BTreeMap<String, Vec<Edge>>,
    /// The walk stopped at [`MAX_REACHED`] services.
    pub truncated: bool,
}

/// Walks the dependents of `root`; `dependents(name)` lists one service's direct ones. Its
/// first error ends the walk.
pub fn walk<E>(
    root: &str,
    mut dependents: impl FnMut(&str) -> Result<Vec<Edge>, E>,
) -> Result<Walk, E> {
    let mut seen = BTreeSet::from([root.to_string()]);
    let mut paths: BTreeMap<String, Vec<String>> =
        BTreeMap::from([(root.to_string(), vec![root.to_string()])]);
    let mut queue = VecDeque::from([(root.to_string(), 0u32)]);
    let mut out = Walk::default();
    while let Some((name, depth)) = queue.pop_front() {
        let direct = dependents(&name)?;
        let base = paths.get(&name).cloned().unwrap_or_default();
        for e in &direct {
            if seen.contains(&e.name) {
                continue;
            }
            if out.reached.len() >= MAX_REACHED {
                out.truncated = true;
                continue;
            }
            seen.insert(e.name.clone());
            let mut path = base.clone();
            path.push(e.name.clone());
            paths.insert(e.name.clone(), path.clone());
            out.reached.push(Reached {
                name: e.name.clone(),
                depth: depth + 1,
                path,
                edge: e.clone(),
                required_path: false,
            });
            queue.push_back((e.name.clone(), depth + 1));
        }
        out.edges.insert(name, direct);
    }
    // A second pass over the edges seen: reachable through required dependencies only,
    // on any path (not only the shortest).
    let mut hard = BTreeSet::new();
    let mut queue = VecDeque::from([root.to_string()]);
    while let Some(name) = queue.pop_front() {
        for e in out.edges.get(&name).into_iter().flatten() {
            if e.required && e.name != root && hard.insert(e.name.clone()) {
                queue.push_back(e.name.clone());
            }
        }
    }
    for r in &mut out.reached {
        r.required_path = hard.contains(&r.name);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::convert::Infallible;

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

    fn run(root: &str) -> Vec<Reached> {
        let f = fixture();
        let mut calls = 0;
        walk::<Infallible>(root, |n| {
            calls += 1;
            assert!(calls < 20, "the walk does not terminate");
            Ok(f.get(n)
                .into_iter()
                .flatten()
                .map(|(name, required)| Edge::new(*name, *required, None))
                .collect())
        })
        .unwrap()
        .reached
    }

    #[test]
    fn transitive_shortest_depth_and_cycle_safe() {
        let out = run("db");
        let names: Vec<(&str, u32, &str)> = out
            .iter()
            .map(|i| (i.name.as_str(), i.depth, i.via()))
            .collect();
        assert_eq!(
            names,
            vec![("api", 1, "db"), ("jobs", 1, "db"), ("web", 2, "api")]
        );
        assert_eq!(out[2].path, vec!["db", "api", "web"]);
        assert!(out[0].edge.required && out[0].required_path);
        // Reached first through an optional dependency, but also through required ones only.
        assert!(!out[2].edge.required && out[2].required_path);
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
        let e = walk("x", |_| Err::<Vec<Edge>, _>("boom")).unwrap_err();
        assert_eq!(e, "boom");
    }

    #[test]
    fn a_wide_fleet_is_cut_at_the_cap() {
        let w = walk::<Infallible>("root", |n| {
            Ok(if n == "root" {
                (0..MAX_REACHED + 5)
                    .map(|i| Edge::new(format!("s{i}"), true, None))
                    .collect()
            } else {
                Vec::new()
            })
        })
        .unwrap();
        assert_eq!(w.reached.len(), MAX_REACHED);
        assert!(w.truncated);
    }

    #[test]
    fn blank_ranges_are_no_range() {
        assert_eq!(Edge::new("a", true, Some("  ")).compatibility, None);
        assert_eq!(
            Edge::new("a", true, Some(" ^1.0 "))
                .compatibility
                .as_deref(),
            Some("^1.0")
        );
    }
}
