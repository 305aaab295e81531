//! The page shell: one stylesheet and one script, both served from the binary.

use crate::queries::service::SectionMeta;
use maud::{DOCTYPE, Markup, html};

/// `base` is the `--base-path` (`""` at the root): every URL below starts with it, and
/// `app.js` reads it from `data-base` for the URLs it builds (the event stream).
pub fn page(base: &str, title: &str, active: &str, snapshot_id: u64, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Pacto dashboard" }
                // Named, so browsers do not fetch `/favicon.ico` outside the prefix.
                link rel="icon" href={ (base) "/favicon.ico" };
                link rel="stylesheet" href={ (base) "/assets/app.css" };
                script src={ (base) "/assets/app.js" } defer {}
            }
            body data-snapshot=(snapshot_id) data-base=(base) {
                header.top {
                    a.brand href={ (base) "/" } { "Pacto" }
                    nav {
                        a href={ (base) "/" } class=(if active == "services" { "on" } else { "" }) { "Services" }
                        a href={ (base) "/graph" } class=(if active == "graph" { "on" } else { "" }) { "Graph" }
                        a href={ (base) "/diff" } class=(if active == "diff" { "on" } else { "" }) { "Diff" }
                        a href={ (base) "/impact" } class=(if active == "impact" { "on" } else { "" }) { "Impact" }
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
