//! The page shell: one stylesheet and one script, both served from the binary.

use crate::queries::service::SectionMeta;
use maud::{DOCTYPE, Markup, html};

pub fn page(title: &str, active: &str, snapshot_id: u64, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Pacto dashboard" }
                link rel="stylesheet" href="/assets/app.css";
                script src="/assets/app.js" defer {}
            }
            body data-snapshot=(snapshot_id) {
                header.top {
                    a.brand href="/" { "Pacto" }
                    nav {
                        a href="/" class=(if active == "services" { "on" } else { "" }) { "Services" }
                        a href="/graph" class=(if active == "graph" { "on" } else { "" }) { "Graph" }
                        a href="/diff" class=(if active == "diff" { "on" } else { "" }) { "Diff" }
                    }
                    span #live.live title="Live updates" { "live" }
                }
                main #main { (body) }
            }
        }
    }
}

pub fn status_badge(status: &str) -> Markup {
    html! { span class={ "badge st-" (status) } { (status) } }
}

/// `from <source>` or `empty: <reason>` under a section title.
pub fn section_meta(m: &SectionMeta) -> Markup {
    html! {
        span.meta data-state=(m.state) {
            @if let Some(s) = m.source { span class={ "pill src-" (s.as_str()) } { (s.as_str()) } }
            @if let Some(r) = &m.reason { " " span.reason { (r) } }
        }
    }
}
