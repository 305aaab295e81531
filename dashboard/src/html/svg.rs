//! The dependency graph as SVG: solid dependency edges, dashed reference edges, node
//! kinds and statuses as classes; positions come from the Rust layout.

use super::service_href;
use crate::graph_layout::{NODE_H, NODE_W};
use crate::queries::graph::GraphResponse;
use maud::{Markup, html};
use std::collections::HashMap;

const MAX_LABEL: usize = 22;

fn label(s: &str) -> String {
    if s.chars().count() > MAX_LABEL {
        let mut t: String = s.chars().take(MAX_LABEL - 1).collect();
        t.push('…');
        t
    } else {
        s.to_string()
    }
}

pub fn render(base: &str, g: &GraphResponse) -> Markup {
    let pos: HashMap<&str, (f64, f64)> = g
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), (n.x, n.y)))
        .collect();
    let lr = g.direction == "LR";
    let anchor = |id: &str, out: bool| -> (f64, f64) {
        let (x, y) = pos.get(id).copied().unwrap_or((0.0, 0.0));
        match (lr, out) {
            (false, true) => (x + NODE_W / 2.0, y + NODE_H),
            (false, false) => (x + NODE_W / 2.0, y),
            (true, true) => (x + NODE_W, y + NODE_H / 2.0),
            (true, false) => (x, y + NODE_H / 2.0),
        }
    };
    html! {
        svg.graph xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Dependency graph"
            viewBox={ "0 0 " (g.width.ceil()) " " (g.height.ceil()) }
            width=(g.width.ceil()) height=(g.height.ceil()) {
            defs {
                marker #arrow viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse" {
                    path d="M0,0 L10,5 L0,10 z" {}
                }
            }
            g.edges {
                @for e in &g.edges {
                    @let (x1, y1) = anchor(&e.from, true);
                    @let (x2, y2) = anchor(&e.to, false);
                    @if e.kind == "reference" {
                        line class="edge reference" data-from=(e.from) data-to=(e.to)
                            x1=(x1) y1=(y1) x2=(x2) y2=(y2) stroke-dasharray="6 4" marker-end="url(#arrow)" {}
                    } @else {
                        line class={ "edge dependency" @if e.required { " required" } } data-from=(e.from) data-to=(e.to)
                            x1=(x1) y1=(y1) x2=(x2) y2=(y2) marker-end="url(#arrow)" {}
                    }
                }
            }
            g.nodes {
                @for n in &g.nodes {
                    @let status = n.status.map(|s| s.as_str()).unwrap_or("External");
                    @let kpi = n.status.map(crate::model::kpi).unwrap_or("reference");
                    @let sources = n.sources.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ");
                    g class={ "node kind-" (n.kind) " st-" (status) }
                        data-name=(n.id) data-kpi=(kpi) data-sources=(sources)
                        data-owner=(n.owner.as_deref().unwrap_or("")) data-version=(n.version.as_deref().unwrap_or(""))
                        data-href=[(n.kind != "external").then(|| service_href(base, &n.id))]
                        transform={ "translate(" (n.x) "," (n.y) ")" } tabindex="0" {
                        title { (n.id) " (" (n.kind) ", " (status) ")" }
                        rect width=(NODE_W) height=(NODE_H) rx="8" {}
                        circle.dot cx="14" cy=(NODE_H / 2.0) r="5" {}
                        text x="26" y=(NODE_H / 2.0 + 4.0) { (label(&n.id)) }
                    }
                }
            }
        }
    }
}
