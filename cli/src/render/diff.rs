use crate::args::OutputFormat;
use crate::outcome::{Outcome, json};
use crate::render::md_cell;
use pacto_core::diff::{Change, ChangeType, Classification, SbomDiff};
use pacto_core::graph::{GraphChangeType, GraphDiff, GraphDiffNode};
use serde::Serialize;
use serde_json::Value;
use std::fmt::Write;

/// What `pacto diff` found: the contract diff, the graph diff and a diff per shared dependency.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiffReport {
    pub old_path: String,
    pub new_path: String,
    pub classification: Classification,
    pub changes: Vec<Change>,
    pub dependency_diffs: Vec<DependencyDiff>,
    pub graph_diff: Option<GraphDiff>,
    pub sbom_diff: Option<SbomDiff>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DependencyDiff {
    pub name: String,
    pub classification: Classification,
    pub changes: Vec<Change>,
    pub sbom_diff: Option<SbomDiff>,
}

pub fn render(r: &DiffReport, format: OutputFormat) -> Outcome {
    match format {
        OutputFormat::Json => Outcome::ok(json(r)),
        OutputFormat::Text => Outcome::ok(text(r)),
        OutputFormat::Markdown => Outcome::ok(markdown(r)),
    }
}

fn value(v: &Option<Value>) -> String {
    match v {
        None => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

fn suffix(c: &Change) -> String {
    match c.change_type {
        ChangeType::Modified => format!(" [{} -> {}]", value(&c.old_value), value(&c.new_value)),
        ChangeType::Added if c.new_value.is_some() => format!(" [+ {}]", value(&c.new_value)),
        ChangeType::Removed if c.old_value.is_some() => format!(" [- {}]", value(&c.old_value)),
        _ => String::new(),
    }
}

pub(crate) fn change_lines(o: &mut String, changes: &[Change]) {
    for c in changes {
        let _ = writeln!(
            o,
            "  [{}] {} ({}): {}{}",
            c.classification,
            c.path,
            c.change_type,
            c.reason,
            suffix(c)
        );
    }
}

fn text(r: &DiffReport) -> String {
    let mut o = format!("Classification: {}\n", r.classification);
    if r.changes.is_empty() && r.dependency_diffs.is_empty() && r.graph_diff.is_none() {
        o.push_str("No changes detected.\n");
    }
    if !r.changes.is_empty() {
        let _ = writeln!(o, "Changes ({}):", r.changes.len());
        change_lines(&mut o, &r.changes);
    }
    for d in &r.dependency_diffs {
        let _ = writeln!(
            o,
            "\nDependency {} [{}] ({}):",
            d.name,
            d.classification,
            d.changes.len()
        );
        change_lines(&mut o, &d.changes);
    }
    if let Some(g) = &r.graph_diff {
        o.push_str("\nDependency graph changes:\n");
        graph_tree(&mut o, g);
    }
    if let Some(s) = &r.sbom_diff {
        let _ = writeln!(o, "\nSBOM changes ({}):", s.changes.len());
        sbom_lines(&mut o, s);
    }
    o
}

fn graph_tree(o: &mut String, g: &GraphDiff) {
    let _ = writeln!(o, "{}", g.root.name);
    fn walk(o: &mut String, n: &GraphDiffNode, prefix: &str) {
        let count = n.children.len();
        for (i, c) in n.children.iter().enumerate() {
            let last = i + 1 == count;
            let (branch, next) = if last {
                ("└─ ", "   ")
            } else {
                ("├─ ", "│  ")
            };
            let label = match &c.change {
                Some(ch) => match ch.change_type {
                    GraphChangeType::Added => {
                        format!("+{}", ch.new_version.as_deref().unwrap_or(""))
                    }
                    GraphChangeType::Removed => {
                        format!("-{}", ch.old_version.as_deref().unwrap_or(""))
                    }
                    GraphChangeType::VersionChanged => format!(
                        "{} → {}",
                        ch.old_version.as_deref().unwrap_or(""),
                        ch.new_version.as_deref().unwrap_or("")
                    ),
                },
                None => c.version.clone(),
            };
            let _ = writeln!(o, "{prefix}{branch}{:<14}{label}", c.name);
            walk(o, c, &format!("{prefix}{next}"));
        }
    }
    walk(o, &g.root, "");
}

fn sbom_lines(o: &mut String, s: &SbomDiff) {
    for c in &s.changes {
        let line = match c.change_type {
            ChangeType::Added => {
                format!("+ {}@{}", c.package, c.new_value.as_deref().unwrap_or(""))
            }
            ChangeType::Removed => {
                format!("- {}@{}", c.package, c.old_value.as_deref().unwrap_or(""))
            }
            ChangeType::Modified => format!(
                "~ {} {}: {} -> {}",
                c.package,
                c.field,
                c.old_value.as_deref().unwrap_or(""),
                c.new_value.as_deref().unwrap_or("")
            ),
        };
        let _ = writeln!(o, "  {line}");
    }
}

pub(crate) fn change_table(o: &mut String, changes: &[Change]) {
    o.push_str(
        "| Classification | Path | Type | Reason | Old | New |\n|---|---|---|---|---|---|\n",
    );
    let code = |v: &Option<Value>| match v {
        None => String::new(),
        Some(_) => format!("`{}`", md_cell(&value(v))),
    };
    for c in changes {
        let _ = writeln!(
            o,
            "| {} | `{}` | {} | {} | {} | {} |",
            c.classification,
            md_cell(&c.path),
            c.change_type,
            md_cell(&c.reason),
            code(&c.old_value),
            code(&c.new_value)
        );
    }
}

fn sbom_table(o: &mut String, s: &SbomDiff) {
    o.push_str("| Package | Type | Field | Old | New |\n|---|---|---|---|---|\n");
    for c in &s.changes {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            md_cell(&c.package),
            c.change_type,
            c.field,
            md_cell(c.old_value.as_deref().unwrap_or("")),
            md_cell(c.new_value.as_deref().unwrap_or(""))
        );
    }
}

fn markdown(r: &DiffReport) -> String {
    let mut o = format!(
        "## Contract Diff\n\n**Classification:** `{}`\n\n",
        r.classification
    );
    if r.changes.is_empty() {
        o.push_str("No changes detected.\n\n");
    } else {
        let _ = writeln!(o, "### Changes ({})\n", r.changes.len());
        change_table(&mut o, &r.changes);
        o.push('\n');
    }
    for d in &r.dependency_diffs {
        let _ = writeln!(o, "### Dependency: {} (`{}`)\n", d.name, d.classification);
        change_table(&mut o, &d.changes);
        o.push('\n');
        if let Some(s) = &d.sbom_diff {
            let _ = writeln!(o, "#### SBOM Changes: {}\n", d.name);
            sbom_table(&mut o, s);
            o.push('\n');
        }
    }
    if let Some(g) = &r.graph_diff {
        o.push_str("### Dependency Graph Changes\n\n```\n");
        graph_tree(&mut o, g);
        o.push_str("```\n\n");
    }
    if let Some(s) = &r.sbom_diff {
        o.push_str("### SBOM Changes\n\n");
        sbom_table(&mut o, s);
        o.push('\n');
    }
    o
}
