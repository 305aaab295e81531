//! The graph page: layout controls (focus, depth, direction, orientation) as a GET form,
//! so every view has a shareable URL.

use super::layout::page;
use super::list::legend;
use super::svg;
use crate::queries::graph::{GraphParams, GraphResponse};
use crate::snapshot::Snapshot;
use maud::{Markup, html};

pub fn render(
    base: &str,
    snap: &Snapshot,
    p: &GraphParams,
    g: &GraphResponse,
    error: Option<&str>,
) -> Markup {
    let sel = |a: Option<&str>, b: &str| a.unwrap_or("") == b;
    let body = html! {
        h1 { "Dependency graph" span.count { (g.nodes.len()) " nodes" } }
        form.controls method="get" action={ (base) "/graph" } {
            label { "Focus " select name="focus" {
                option value="" { "(whole fleet)" }
                @for n in snap.services.keys() { option value=(n) selected[p.focus.as_deref() == Some(n.as_str())] { (n) } }
            } }
            label { "Depth " select name="depth" {
                option value="" { "all" }
                @for d in 1..=6u32 { option value=(d) selected[p.depth == Some(d)] { (d) } }
            } }
            label { "Direction " select name="direction" {
                option value="both" selected[sel(p.direction.as_deref(), "both")] { "both" }
                option value="dependencies" selected[sel(p.direction.as_deref(), "dependencies")] { "dependencies" }
                option value="dependents" selected[sel(p.direction.as_deref(), "dependents")] { "dependents" }
            } }
            label { "Layout " select name="layout" {
                option value="TB" selected[sel(p.layout.as_deref(), "TB")] { "top → bottom" }
                option value="LR" selected[sel(p.layout.as_deref(), "LR")] { "left → right" }
            } }
            button type="submit" { "Apply" }
        }
        @if let Some(e) = error { p.bad { (e) } }
        @if !g.cycles.is_empty() { p.warn { "Cycles: " @for c in &g.cycles { code { (c.join(" → ")) } " " } } }
        (legend())
        p.sub { "Hover a node to highlight everything that depends on it; click to open it." }
        div.graph-scroll.full { (svg::render(base, g)) }
    };
    page(base, "Graph", "graph", snap.id, body)
}
