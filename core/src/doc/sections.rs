//! The plain sections: header, runtime, configuration, policies, dependencies, readiness,
//! SBOM, bundled docs and the footer.

use super::lockfile::LockSummary;
use super::text::{cell, code, inline, opt, table};
use crate::bundle::Bundle;
use crate::diff::load_sbom;
use crate::explain::schema_properties;
use crate::model::{CapabilityType, Contract, Owner};
use std::fmt::Write;

/// Bundled `docs/` pages included at most (each cut at this many bytes).
const MAX_DOC_PAGES: usize = 50;
const MAX_DOC_PAGE_BYTES: usize = 64 * 1024;

pub fn header(c: &Contract) -> String {
    let s = &c.service;
    let mut out = format!(
        "# {}\n\n**{}** {} · pactoVersion {}\n\n",
        inline(&s.name),
        inline(&s.name),
        code(&format!("v{}", s.version)),
        code(c.pacto_version.as_str())
    );
    match &s.owner {
        Some(Owner::Name(n)) => {
            let _ = writeln!(out, "Owner: {}\n", code(n));
        }
        Some(Owner::Info(i)) => {
            let mut parts = Vec::new();
            if let Some(t) = &i.team {
                parts.push(format!("team {}", code(t)));
            }
            if let Some(d) = &i.dri {
                parts.push(format!("DRI {}", code(d)));
            }
            for ct in &i.contacts {
                parts.push(format!("{} {}", inline(&ct.kind), code(&ct.value)));
            }
            let _ = writeln!(out, "Owner: {}\n", parts.join(" · "));
        }
        None => {}
    }
    out
}

pub fn runtime(c: &Contract) -> Option<String> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row = |k: &str, v: String| rows.push(vec![k.to_string(), v]);
    if let Some(w) = c.workload() {
        row("Workload", code(w.as_str()));
    }
    if let Some(st) = c.state() {
        row("State", code(st.kind.as_str()));
        row("Data criticality", code(st.data_criticality.as_str()));
        row("Persistence scope", code(st.persistence.scope.as_str()));
        row(
            "Persistence durability",
            code(st.persistence.durability.as_str()),
        );
    }
    for (name, ep) in [("Health", c.health()), ("Metrics", c.metrics())] {
        if let Some(ep) = ep {
            let path = ep.path.as_deref().unwrap_or("");
            row(name, cell(&format!("{} {path}", ep.interface)));
        }
    }
    for kind in [CapabilityType::Health, CapabilityType::Metrics] {
        let bound = match kind {
            CapabilityType::Health => c.health().is_some(),
            _ => c.metrics().is_some(),
        };
        if !bound && c.declares(kind) {
            row(
                if kind == CapabilityType::Health {
                    "Health"
                } else {
                    "Metrics"
                },
                "supported (not bound to an interface)".into(),
            );
        }
    }
    for cap in c
        .capabilities
        .iter()
        .filter(|c| c.kind == CapabilityType::Extension)
    {
        row("Extension", opt(cap.reference.as_deref()));
    }
    if let Some(img) = &c.service.image {
        row("Image", code(&img.reference));
    }
    if let Some(ch) = &c.service.chart {
        row("Chart", code(&format!("{}@{}", ch.reference, ch.version)));
    }
    if let Some(l) = c.runtime.as_ref().and_then(|r| r.lifecycle.as_ref()) {
        if let Some(u) = l.upgrade_strategy {
            row("Upgrade strategy", code(u.as_str()));
        }
        if let Some(g) = l.graceful_shutdown_seconds {
            row("Graceful shutdown", format!("{g} s"));
        }
    }
    if let Some((min, max)) = c.scaling.as_ref().and_then(|s| s.bounds()) {
        let v = if min == max {
            format!("{min} replicas")
        } else {
            format!("{min}–{max} replicas")
        };
        row("Scaling", v);
    }
    if rows.is_empty() {
        return None;
    }
    Some(table(&["Property", "Value"], &rows))
}

pub fn configuration(c: &Contract, bundle: &Bundle) -> Option<String> {
    let all = c.all_configurations();
    if all.is_empty() {
        return None;
    }
    let mut out = String::new();
    for (i, (_, cfg)) in all.iter().enumerate() {
        let required = match cfg.required {
            Some(true) => " (required)",
            Some(false) => " (optional)",
            None => "",
        };
        let _ = write!(
            out,
            "### {{n}}.{}. {}{required}\n\n",
            i + 1,
            inline(cfg.display_name())
        );
        if let Some(r) = &cfg.reference {
            let _ = write!(out, "References: {}\n\n", code(r));
            continue;
        }
        let props = cfg
            .schema
            .as_deref()
            .and_then(|p| bundle.read(p))
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok())
            .map(|s| schema_properties(&s))
            .unwrap_or_default();
        if props.is_empty() {
            out.push_str("_No configurable properties._\n\n");
            continue;
        }
        let values = cfg.values.as_ref().and_then(|v| v.as_object());
        let rows: Vec<Vec<String>> = props
            .iter()
            .map(|p| {
                let value = values
                    .and_then(|v| v.get(&p.name))
                    .or(p.default.as_ref())
                    .map(|v| code(&v.to_string()))
                    .unwrap_or_else(|| "—".into());
                vec![
                    code(&p.name),
                    opt(p.kind.as_deref()),
                    if p.required {
                        "yes".into()
                    } else {
                        "no".into()
                    },
                    value,
                    opt(p.description.as_deref()),
                ]
            })
            .collect();
        out.push_str(&table(
            &["Property", "Type", "Required", "Value", "Description"],
            &rows,
        ));
        out.push('\n');
    }
    Some(out)
}

pub fn policies(c: &Contract) -> Option<String> {
    let all = c.all_policies();
    if all.is_empty() {
        return None;
    }
    let rows: Vec<Vec<String>> = all
        .iter()
        .map(|(_, p)| {
            let (kind, source) = match (&p.reference, &p.schema) {
                (Some(r), _) => ("Remote", r.as_str()),
                (None, Some(s)) => ("Local", s.as_str()),
                (None, None) => ("Local", ""),
            };
            vec![cell(p.display_name()), kind.into(), code(source)]
        })
        .collect();
    Some(table(&["Name", "Type", "Source"], &rows))
}

pub fn dependencies(c: &Contract, lock: Option<&LockSummary>) -> Option<String> {
    if c.dependencies.is_empty() {
        return None;
    }
    let rows: Vec<Vec<String>> = c
        .dependencies
        .iter()
        .map(|d| {
            let name = d.key();
            let pin = lock.and_then(|l| l.dependency(&name));
            vec![
                cell(&name),
                code(&d.reference),
                code(&d.compatibility),
                if d.required {
                    "yes".into()
                } else {
                    "no".into()
                },
                opt(pin.and_then(|p| p.version.as_deref())),
                pin.and_then(|p| p.digest.as_deref())
                    .map(code)
                    .unwrap_or_else(|| "—".into()),
            ]
        })
        .collect();
    Some(table(
        &[
            "Name",
            "Reference",
            "Compatibility",
            "Required",
            "Locked version",
            "Locked digest",
        ],
        &rows,
    ))
}

pub fn readiness(c: &Contract) -> Option<String> {
    let r = c.readiness.as_ref()?;
    let mut out = format!(
        "Gate `{}` · expires {}\n\n",
        r.min_score.unwrap_or(100),
        r.expires.as_deref().map(code).unwrap_or_else(|| "—".into())
    );
    let rows: Vec<Vec<String>> = r
        .items()
        .iter()
        .map(|i| {
            vec![
                code(&i.id),
                cell(&i.kind),
                opt(i.category.as_deref()),
                opt(i.status.as_deref()),
                cell(&i.evidence),
                i.weight.to_string(),
                opt(i.description.as_deref()),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            "ID",
            "Type",
            "Category",
            "Status",
            "Evidence",
            "Weight",
            "Description",
        ],
        &rows,
    ));
    if !r.history.is_empty() {
        out.push_str("\n### {n}.1. Revision History\n\n");
        let rows: Vec<Vec<String>> = r
            .history
            .iter()
            .map(|h| {
                vec![
                    cell(&h.date),
                    cell(&h.version),
                    cell(&h.author),
                    cell(&h.description),
                ]
            })
            .collect();
        out.push_str(&table(&["Date", "Version", "Author", "Description"], &rows));
    }
    Some(out)
}

pub fn sbom(bundle: &Bundle) -> Option<String> {
    let sbom = match load_sbom(bundle) {
        Ok(Some(s)) => s,
        Ok(None) => return None,
        Err(e) => {
            return Some(format!(
                "_The SBOM could not be read: {}_\n",
                inline(&e.to_string())
            ));
        }
    };
    let mut out = format!(
        "{} {} packages in {}\n\n",
        sbom.packages.len(),
        sbom.format.as_str(),
        code(&sbom.path)
    );
    let rows: Vec<Vec<String>> = sbom
        .packages
        .iter()
        .map(|p| {
            vec![
                cell(&p.name),
                opt(p.version.as_deref()),
                opt(p.license.as_deref()),
            ]
        })
        .collect();
    out.push_str(&table(&["Package", "Version", "License"], &rows));
    Some(out)
}

pub fn docs(bundle: &Bundle) -> Option<String> {
    let mut pages: Vec<(&str, &[u8])> = bundle
        .files()
        .filter(|(p, _)| p.starts_with("docs/") && (p.ends_with(".md") || p.ends_with(".markdown")))
        .collect();
    if pages.is_empty() {
        return None;
    }
    pages.sort_by_key(|(p, _)| *p);
    let mut out = String::new();
    for (i, (path, bytes)) in pages.iter().take(MAX_DOC_PAGES).enumerate() {
        let text = String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_DOC_PAGE_BYTES)]);
        let _ = write!(out, "### {{n}}.{}. {}\n\n", i + 1, inline(path));
        // Page headings move below this section's level so the outline stays intact.
        for line in text.lines() {
            if line.starts_with('#') {
                let _ = writeln!(out, "###{line}");
            } else {
                let _ = writeln!(out, "{line}");
            }
        }
        out.push('\n');
    }
    Some(out)
}

pub fn footer(c: &Contract) -> String {
    let mut out = String::from("\n---\n\n");
    if let Some(m) = &c.metadata {
        let mut keys: Vec<&String> = m.keys().collect();
        keys.sort();
        for k in keys {
            let v = match &m[k] {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let _ = write!(out, "{} ", code(&format!("{k}: {v}")));
        }
        out.push_str("\n\n");
    }
    out.push_str("Generated by [Pacto](https://pacto.run)\n");
    out
}
