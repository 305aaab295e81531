use crate::args::OutputFormat;
use crate::outcome::{Outcome, json};
use pacto_core::graph::{Edge, EdgeType, Graph, Node};
use std::fmt::Write;

pub fn render(g: &Graph, format: OutputFormat) -> Outcome {
    match format {
        OutputFormat::Json => Outcome::ok(json(g)),
        OutputFormat::Text => Outcome::ok(text(g)),
        OutputFormat::Markdown => {
            Outcome::ok(format!("## Dependency graph\n\n```\n{}```\n", text(g)))
        }
    }
}

/// Tree drawing as in the reference CLI, then cycles and conflicts.
pub fn text(g: &Graph) -> String {
    let mut o = format!("{}@{}\n", g.root.name, g.root.version);
    tree(&g.root, "", &mut o);
    if !g.cycles.is_empty() {
        let _ = writeln!(o, "\nCycles ({}):", g.cycles.len());
        for c in &g.cycles {
            let _ = writeln!(o, "  {}", c.join(" -> "));
        }
    }
    if !g.conflicts.is_empty() {
        let _ = writeln!(o, "\nConflicts ({}):", g.conflicts.len());
        for c in &g.conflicts {
            let _ = writeln!(o, "  {}: [{}]", c.name, c.versions.join(" "));
        }
    }
    o
}

fn tree(node: &Node, prefix: &str, o: &mut String) {
    let n = node.dependencies.len();
    for (i, e) in node.dependencies.iter().enumerate() {
        let last = i + 1 == n;
        let (branch, next) = if last {
            ("└─ ", "   ")
        } else {
            ("├─ ", "│  ")
        };
        let _ = writeln!(o, "{prefix}{branch}{}", label(e));
        if let Some(child) = &e.node
            && !e.shared
        {
            tree(child, &format!("{prefix}{next}"), o);
        }
    }
}

fn label(e: &Edge) -> String {
    if e.edge_type == EdgeType::Reference {
        return format!("{} [ref]", short_ref(&e.reference));
    }
    let mut s = match &e.node {
        Some(n) => format!("{}@{}", n.name, n.version),
        None => short_ref(&e.reference),
    };
    if let Some(n) = &e.node
        && n.local
    {
        s.push_str(" [local]");
    }
    if e.shared {
        s.push_str(" (shared)");
    }
    if !e.required {
        s.push_str(" (optional)");
    }
    if let Some(err) = &e.error {
        let _ = write!(s, " (error: {err})");
    }
    if let Some(w) = &e.warning {
        let _ = write!(s, " (warning: {w})");
    }
    s
}

/// Last path segment of a ref, digests shortened to 7 hex characters.
pub fn short_ref(r: &str) -> String {
    let r = r
        .trim_start_matches("oci://")
        .trim_start_matches("file://")
        .trim_end_matches('/');
    let last = r.rsplit('/').next().unwrap_or(r);
    match last.split_once("@sha256:") {
        Some((name, digest)) => format!("{name}@sha256:{}", &digest[..digest.len().min(7)]),
        None => last.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::short_ref;

    #[test]
    fn short_refs() {
        assert_eq!(short_ref("oci://ghcr.io/acme/auth:1.0.0"), "auth:1.0.0");
        assert_eq!(short_ref("file://../user-service/"), "user-service");
        assert_eq!(
            short_ref(
                "oci://r/a@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
            ),
            "a@sha256:0123456"
        );
    }
}
