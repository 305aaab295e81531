//! `pacto impact`: the report as text, Markdown, or JSON (the core's `ImpactReport`,
//! `schemaVersion: pacto.dev/impact/v1`).

use crate::args::OutputFormat;
use crate::outcome::{Outcome, json};
use crate::render::diff::{change_lines, change_table};
use crate::render::md_cell;
use pacto_core::impact::{Consumer, ImpactReport, Verdict};
use std::fmt::Write;

pub fn render(r: &ImpactReport, format: OutputFormat) -> Outcome {
    match format {
        OutputFormat::Json => Outcome::ok(json(r)),
        OutputFormat::Text => Outcome::ok(text(r)),
        OutputFormat::Markdown => Outcome::ok(markdown(r)),
    }
}

/// `1 incompatible, 1 unknown, 1 compatible`.
fn tally(r: &ImpactReport) -> String {
    let parts: Vec<String> = Verdict::ALL
        .iter()
        .map(|v| format!("{} {v}", r.count(*v)))
        .collect();
    parts.join(", ")
}

/// `direct, required, "^1.4.0"` or `via inventory → orders → web, optional`.
fn how(c: &Consumer) -> String {
    let mut parts = vec![if c.direct {
        "direct".to_string()
    } else {
        format!("via {}", c.path.join(" → "))
    }];
    parts.push(if c.required { "required" } else { "optional" }.to_string());
    if let Some(range) = &c.compatibility {
        parts.push(format!("{range:?}"));
    }
    parts.join(", ")
}

fn text(r: &ImpactReport) -> String {
    let mut o = format!(
        "Impact of {} {} → {}: {}\n",
        r.service, r.old_version, r.new_version, r.classification
    );
    for (title, changes) in [
        ("Breaking changes", &r.breaking_changes),
        (
            "Potentially breaking changes",
            &r.potentially_breaking_changes,
        ),
    ] {
        if !changes.is_empty() {
            let _ = writeln!(o, "{title} ({}):", changes.len());
            change_lines(&mut o, changes);
        }
    }
    let _ = writeln!(o, "Non-breaking changes: {}", r.non_breaking_changes.len());
    if r.consumers.is_empty() {
        o.push_str("No consumers found.\n");
    } else {
        let _ = writeln!(o, "Consumers ({}: {}):", r.consumers.len(), tally(r));
        for c in &r.consumers {
            let _ = writeln!(
                o,
                "  [{}] {} ({}): {}",
                c.compatibility_verdict,
                c.service,
                how(c),
                c.reason
            );
        }
    }
    if !r.limitations.is_empty() {
        o.push_str("Limitations:\n");
        for l in &r.limitations {
            let _ = writeln!(o, "  [{}] {}", l.code, l.message);
        }
    }
    o
}

fn markdown(r: &ImpactReport) -> String {
    let mut o = format!(
        "## Impact: {} {} → {}\n\n**Classification:** `{}`\n\n",
        md_cell(&r.service),
        md_cell(&r.old_version),
        md_cell(&r.new_version),
        r.classification
    );
    let changes: Vec<_> = r
        .breaking_changes
        .iter()
        .chain(&r.potentially_breaking_changes)
        .cloned()
        .collect();
    if !changes.is_empty() {
        let _ = writeln!(o, "### Breaking and potentially breaking changes\n");
        change_table(&mut o, &changes);
        o.push('\n');
    }
    let _ = writeln!(
        o,
        "### Consumers\n\n{} consumer(s): {}\n",
        r.consumers.len(),
        tally(r)
    );
    if !r.consumers.is_empty() {
        o.push_str("| Verdict | Consumer | Depth | Path | Required | Compatibility | Why |\n|---|---|---|---|---|---|---|\n");
        for c in &r.consumers {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} | {} |",
                c.compatibility_verdict,
                md_cell(&c.service),
                c.depth,
                md_cell(&c.path.join(" → ")),
                if c.required { "yes" } else { "no" },
                c.compatibility
                    .as_deref()
                    .map(|x| format!("`{}`", md_cell(x)))
                    .unwrap_or_default(),
                md_cell(&c.reason)
            );
        }
        o.push('\n');
    }
    if !r.limitations.is_empty() {
        o.push_str("### Limitations\n\n");
        for l in &r.limitations {
            let _ = writeln!(o, "- `{}`: {}", l.code, md_cell(&l.message));
        }
        o.push('\n');
    }
    o
}
