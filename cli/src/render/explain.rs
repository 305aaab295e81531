use crate::args::OutputFormat;
use crate::outcome::{Outcome, json};
use crate::render::md_cell;
use pacto_core::explain::Explanation;
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
    o
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
    o
}
