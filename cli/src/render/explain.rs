use crate::args::OutputFormat;
use crate::outcome::{Outcome, json};
use crate::render::md_cell;
use pacto_core::explain::{Explanation, ReadinessItemSummary, ReadinessSummary};
use std::fmt::Write;

pub fn render(e: &Explanation, format: OutputFormat) -> Outcome {
    match format {
        OutputFormat::Json => Outcome::ok(json(e)),
        OutputFormat::Text => Outcome::ok(text(e)),
        OutputFormat::Markdown => Outcome::ok(markdown(e)),
    }
}

fn text(e: &Explanation) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}@{}", e.service.name, e.service.version);
    let _ = writeln!(o, "  Pacto version: {}", e.pacto_version);
    if let Some(owner) = &e.owner {
        let _ = writeln!(o, "  Owner: {owner}");
    }
    if let Some(image) = &e.service.image {
        let _ = writeln!(o, "  Image: {image}");
    }
    if let Some(chart) = &e.service.chart {
        let _ = writeln!(o, "  Chart: {chart}");
    }
    if let Some(r) = &e.runtime {
        let _ = writeln!(
            o,
            "  Runtime: {} workload, {} state ({}, {} criticality)",
            r.workload, r.state, r.persistence, r.data_criticality
        );
        if let Some(s) = &r.upgrade_strategy {
            let _ = writeln!(o, "  Upgrade strategy: {s}");
        }
        if let Some(g) = r.graceful_shutdown_seconds {
            let _ = writeln!(o, "  Graceful shutdown: {g}s");
        }
        if let Some(h) = &r.health {
            let _ = writeln!(o, "  Health: {h}");
        }
        if let Some(m) = &r.metrics {
            let _ = writeln!(o, "  Metrics: {m}");
        }
    }
    if let Some(s) = &e.scaling {
        if s.fixed {
            let _ = writeln!(o, "  Scaling: {} replica(s)", s.min);
        } else {
            let _ = writeln!(o, "  Scaling: {}-{} replicas", s.min, s.max);
        }
    }
    if !e.interfaces.is_empty() {
        let _ = writeln!(o, "\nInterfaces ({}):", e.interfaces.len());
        for i in &e.interfaces {
            let port = i.port.map(|p| format!(":{p}")).unwrap_or_default();
            let spec = i
                .contract
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default();
            let _ = writeln!(
                o,
                "  - {} [{}{port}, {}]{spec}",
                i.name, i.kind, i.visibility
            );
        }
    }
    if !e.dependencies.is_empty() {
        let _ = writeln!(o, "\nDependencies ({}):", e.dependencies.len());
        for d in &e.dependencies {
            let req = if d.required { "required" } else { "optional" };
            let _ = writeln!(
                o,
                "  - {} {} {} ({req})",
                d.name, d.reference, d.compatibility
            );
        }
    }
    for c in &e.configuration {
        let src = c
            .schema
            .as_deref()
            .or(c.reference.as_deref())
            .unwrap_or("-");
        let _ = writeln!(o, "\nConfiguration {} ({src}):", c.name);
        for p in &c.properties {
            let ty = p.kind.as_deref().unwrap_or("any");
            let req = if p.required { ", required" } else { "" };
            let def = p
                .default
                .as_ref()
                .map(|d| format!(", default {d}"))
                .unwrap_or_default();
            let _ = writeln!(o, "  - {} ({ty}{req}{def})", p.name);
        }
    }
    for p in &e.policy {
        let src = p
            .schema
            .as_deref()
            .or(p.reference.as_deref())
            .unwrap_or("-");
        let _ = writeln!(o, "\nPolicy {}: {src}", p.name);
    }
    if !e.capabilities.is_empty() {
        let _ = writeln!(o, "\nCapabilities ({}):", e.capabilities.len());
        for c in &e.capabilities {
            let what = c
                .binding
                .as_deref()
                .or(c.reference.as_deref())
                .unwrap_or("declared, not bound");
            let _ = writeln!(o, "  - {}: {what}", c.kind);
        }
    }
    if let Some(r) = &e.readiness {
        let _ = writeln!(o, "\nReadiness {} ({}):", r.list, readiness_gate(r));
        for i in &r.items {
            let _ = writeln!(o, "  - {} [{}]", i.id, readiness_item(i));
        }
    }
    o
}

/// `min score 80, expires 2027-06-30` (the gate defaults to 100).
fn readiness_gate(r: &ReadinessSummary) -> String {
    let mut parts = vec![format!("min score {}", r.min_score.unwrap_or(100))];
    if let Some(x) = &r.expires {
        parts.push(format!("expires {x}"));
    }
    parts.join(", ")
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// `done, weight 40, testing`.
fn readiness_item(i: &ReadinessItemSummary) -> String {
    let mut parts = vec![
        i.status.clone().unwrap_or_else(|| "no status".into()),
        format!("weight {}", i.weight),
    ];
    parts.extend(i.category.clone());
    parts.join(", ")
}

fn markdown(e: &Explanation) -> String {
    let mut rows: Vec<(&str, String)> = vec![("Pacto version", e.pacto_version.clone())];
    if let Some(owner) = &e.owner {
        rows.push(("Owner", owner.clone()));
    }
    if let Some(image) = &e.service.image {
        rows.push(("Image", image.clone()));
    }
    if let Some(r) = &e.runtime {
        rows.push(("Workload", r.workload.clone()));
        rows.push(("State", format!("{} ({})", r.state, r.persistence)));
        rows.push(("Data criticality", r.data_criticality.clone()));
        if let Some(h) = &r.health {
            rows.push(("Health", h.clone()));
        }
    }
    if let Some(s) = &e.scaling {
        rows.push(("Scaling", format!("{}-{}", s.min, s.max)));
    }
    let mut o = format!(
        "## {} `{}`\n\n| Field | Value |\n|---|---|\n",
        md_cell(&e.service.name),
        md_cell(&e.service.version)
    );
    for (k, v) in rows {
        let _ = writeln!(o, "| {k} | {} |", md_cell(&v));
    }
    o.push('\n');
    if !e.interfaces.is_empty() {
        o.push_str(
            "### Interfaces\n\n| Name | Type | Port | Visibility | Spec |\n|---|---|---|---|---|\n",
        );
        for i in &e.interfaces {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} |",
                md_cell(&i.name),
                i.kind,
                i.port.map(|p| p.to_string()).unwrap_or_default(),
                i.visibility,
                md_cell(i.contract.as_deref().unwrap_or(""))
            );
        }
        o.push('\n');
    }
    if !e.dependencies.is_empty() {
        o.push_str(
            "### Dependencies\n\n| Name | Ref | Compatibility | Required |\n|---|---|---|---|\n",
        );
        for d in &e.dependencies {
            let _ = writeln!(
                o,
                "| {} | `{}` | `{}` | {} |",
                md_cell(&d.name),
                md_cell(&d.reference),
                md_cell(&d.compatibility),
                d.required
            );
        }
        o.push('\n');
    }
    if !e.capabilities.is_empty() {
        o.push_str("### Capabilities\n\n| Type | Binding | Ref |\n|---|---|---|\n");
        for c in &e.capabilities {
            let _ = writeln!(
                o,
                "| {} | {} | {} |",
                c.kind,
                md_cell(c.binding.as_deref().unwrap_or("")),
                md_cell(c.reference.as_deref().unwrap_or(""))
            );
        }
        o.push('\n');
    }
    if let Some(r) = &e.readiness {
        let _ = write!(
            o,
            "### Readiness {}\n\n{}.\n\n| Id | Status | Weight | Category |\n|---|---|---|---|\n",
            r.list,
            md_cell(&capitalised(&readiness_gate(r)))
        );
        for i in &r.items {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |",
                md_cell(&i.id),
                md_cell(i.status.as_deref().unwrap_or("")),
                i.weight,
                md_cell(i.category.as_deref().unwrap_or(""))
            );
        }
        o.push('\n');
    }
    o
}
