//! The services page: KPI cards, source pills, search, sortable table and the graph,
//! all filtered together by app.js.

use super::layout::{page, status_badge};
use super::{service_href, svg};
use crate::model::SourceKind;
use crate::queries::graph::GraphResponse;
use crate::snapshot::Snapshot;
use maud::{Markup, html};

const KPIS: [(&str, &str); 5] = [
    ("compliant", "Compliant"),
    ("warning", "Warning"),
    ("failing", "NonCompliant / Invalid"),
    ("unknown", "Unknown"),
    ("reference", "Reference / unmonitored"),
];

pub fn render(base: &str, snap: &Snapshot, graph: &GraphResponse) -> Markup {
    // Per Pacto instance: two Compliant and one Warning Pacto of a service count 2 + 1.
    let counts = snap.kpi_counts();
    let count = |kpi: &str| counts.get(kpi).copied().unwrap_or(0);
    let active_sources: Vec<SourceKind> = snap
        .sources
        .iter()
        .filter(|s| s.enabled)
        .map(|s| s.kind)
        .collect();
    let body = html! {
        h1 { "Services" span.count { (snap.services.len()) } }
        @if snap.services.is_empty() {
            div.empty #empty-state {
                p { "No services yet." }
                ul {
                    @for s in &snap.sources {
                        li { strong { (s.kind.as_str()) } ": " (if s.enabled { "active" } else { "inactive" }) " — " (s.reason) }
                    }
                }
            }
        }
        section.kpis {
            @for (key, label) in KPIS {
                button.kpi type="button" data-kpi=(key) aria-pressed="false" {
                    span.n { (count(key)) }
                    span.l { (label) }
                }
            }
        }
        div.filters {
            input #search type="search" placeholder="Search name, owner, version, source" aria-label="Search services" autocomplete="off";
            @for s in &active_sources {
                button.pill.source type="button" data-source=(s.as_str()) aria-pressed="false" { (s.as_str()) }
            }
        }
        table #services.sortable {
            thead { tr {
                th data-sort="name" { "Name" }
                th data-sort="version" { "Version" }
                th data-sort="owner" { "Owner" }
                th data-sort="status" { "Status" }
                th data-sort="checks" data-numeric="1" { "Checks" }
                th data-sort="blast" data-numeric="1" { "Blast radius" }
                th { "Namespaces" }
                th { "Sources" }
            } }
            tbody {
                @for s in snap.services.values() {
                    @let e = &s.entry;
                    @let sources = e.sources.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(" ");
                    tr.row data-name=(e.name) data-kpi=(s.kpis().join(" ")) data-sources=(sources)
                        data-owner=(e.owner.as_deref().unwrap_or("")) data-version=(e.version.as_deref().unwrap_or("")) {
                        td data-v=(e.name) { a href=(service_href(base, &e.name)) { (e.name) } }
                        td data-v=(e.version.as_deref().unwrap_or("")) { (e.version.as_deref().unwrap_or("—")) }
                        td data-v=(e.owner.as_deref().unwrap_or("")) { (e.owner.as_deref().unwrap_or("—")) }
                        td data-v=(e.contract_status.as_str()) { (status_badge(e.contract_status.as_str()))
                            @if e.instance_statuses.values().sum::<u32>() > 1 {
                                " " span.instances title="Pacto instances by status" {
                                    @for (i, (st, n)) in e.instance_statuses.iter().enumerate() {
                                        @if i > 0 { " · " } (n) " " (st)
                                    }
                                }
                            }
                        }
                        td data-v=(e.checks_passed) { @if e.checks_total > 0 { (e.checks_passed) "/" (e.checks_total) } @else { "—" } }
                        td data-v=(e.blast_radius) { (e.blast_radius) }
                        td { (e.namespaces.join(", ")) }
                        td { @for x in &e.sources { span class={ "pill src-" (x.as_str()) } { (x.as_str()) } " " } }
                    }
                }
            }
        }
        p #no-match.hidden { "No service matches the filters." }
        section.graph-wrap {
            h2 { "Dependency graph" a.more href={ (base) "/graph" } { "open full graph" } }
            (legend())
            div.graph-scroll { (svg::render(base, graph)) }
        }
    };
    page(base, "Services", "services", snap.id, body)
}

pub fn legend() -> Markup {
    html! {
        div.legend {
            span.lg.dep { "dependency" }
            span.lg.ref { "config/policy reference (dashed)" }
            span.lg.ext { "external" }
            span.lg.unm { "unmonitored" }
        }
    }
}
