//! The architecture diagram: a mermaid `graph TB` with the outside world, the service
//! (its interfaces and state) and its dependencies (dotted = optional).

use super::lockfile::LockSummary;
use super::text::{mermaid_id, mermaid_label};
use crate::model::{Contract, Visibility};
use std::fmt::Write;

pub fn mermaid(c: &Contract, lock: Option<&LockSummary>) -> String {
    let svc = &c.service.name;
    let me = mermaid_id("svc", svc);
    let mut out = String::from("```mermaid\ngraph TB\n  user([\"External User\"])\n");
    let _ = writeln!(out, "  subgraph {me}[\"{}\"]", mermaid_label(svc));
    for i in &c.interfaces {
        let _ = writeln!(
            out,
            "    {}[\"{} ({})\"]",
            mermaid_id("if", &i.name),
            mermaid_label(&i.name),
            i.kind.as_str()
        );
    }
    if let Some(st) = c.state() {
        let _ = writeln!(
            out,
            "    {}[(\"{} · {}\")]",
            mermaid_id("state", svc),
            st.kind.as_str(),
            st.persistence.durability.as_str()
        );
    }
    out.push_str("  end\n");
    for i in c
        .interfaces
        .iter()
        .filter(|i| i.visibility == Visibility::Public)
    {
        let _ = writeln!(out, "  user --> {}", mermaid_id("if", &i.name));
    }
    if c.interfaces
        .iter()
        .all(|i| i.visibility != Visibility::Public)
    {
        let _ = writeln!(out, "  user -.-> {me}");
    }
    for d in &c.dependencies {
        let name = d.key();
        let version = lock
            .and_then(|l| l.dependency(&name))
            .and_then(|p| p.version.clone())
            .map(|v| format!(" {v}"))
            .unwrap_or_default();
        let id = mermaid_id("dep", &name);
        let _ = writeln!(
            out,
            "  {id}[\"{}{}\"]",
            mermaid_label(&name),
            mermaid_label(&version)
        );
        let arrow = if d.required { "-->" } else { "-.->" };
        let _ = writeln!(out, "  {me} {arrow} {id}");
    }
    out.push_str("```\n");
    out
}
