//! `pacto doc`: a contract as one Markdown page, in the Go reference's layout.
//!
//! Sections (each skipped when the contract has nothing for it; H2s are numbered over the
//! sections present): runtime & operations, architecture (a mermaid graph, always),
//! interfaces with the operations of their specs, configuration properties, policies,
//! dependencies (with locked versions when a `pacto.lock` is given), readiness, SBOM, the
//! lockfile's pins, bundled `docs/` pages, then metadata. Every text that comes from the
//! bundle is escaped (`text.rs`), so a hostile contract cannot inject HTML or break a table.

mod architecture;
mod interfaces;
mod lockfile;
mod sections;
mod text;

pub use lockfile::{LockPin, LockSummary};
pub use text::anchor;

use crate::bundle::Bundle;
use crate::model::Contract;
use std::fmt::Write;

/// What the page is built from besides the contract and its bundle.
#[derive(Debug, Clone, Default)]
pub struct DocInput {
    /// The bundle's `pacto.lock`, when it has one (read by the caller).
    pub lock: Option<LockSummary>,
}

/// One H2 section: its title and body (Markdown, without the heading).
pub(crate) struct Section {
    pub title: &'static str,
    pub body: String,
}

/// Renders the Markdown page.
pub fn render_markdown(contract: &Contract, bundle: &Bundle, input: &DocInput) -> String {
    let mut sections = Vec::new();
    let mut push = |title: &'static str, body: Option<String>| {
        if let Some(body) = body {
            sections.push(Section { title, body });
        }
    };
    push("Runtime & operations", sections::runtime(contract));
    push(
        "Architecture",
        Some(architecture::mermaid(contract, input.lock.as_ref())),
    );
    push("Interfaces", interfaces::section(contract, bundle));
    push("Configuration", sections::configuration(contract, bundle));
    push("Policies", sections::policies(contract));
    push(
        "Dependencies",
        sections::dependencies(contract, input.lock.as_ref()),
    );
    push("Readiness", sections::readiness(contract));
    push("SBOM", sections::sbom(bundle));
    push("Lockfile", input.lock.as_ref().map(lockfile::section));
    push("Documentation", sections::docs(bundle));

    let mut out = sections::header(contract);
    out.push_str("## Table of Contents\n\n");
    for (i, s) in sections.iter().enumerate() {
        let title = format!("{}. {}", i + 1, s.title);
        let _ = writeln!(out, "- [{title}](#{})", anchor(&title));
    }
    for (i, s) in sections.iter().enumerate() {
        let _ = write!(out, "\n## {}. {}\n\n", i + 1, s.title);
        // Sub-headings carry the section number (`### 3.1. …`).
        out.push_str(&s.body.replace("### {n}.", &format!("### {}.", i + 1)));
    }
    out.push_str(&sections::footer(contract));
    out
}

#[cfg(test)]
mod tests;
