//! The contract sections of the service page that 1.x and 2.0 say differently: capabilities
//! (2.0 `capabilities[]`, 1.x `runtime.health`/`runtime.metrics`) and readiness (1.x checks,
//! 2.0 claims), each rendered from the normalised view.

use super::layout::section_meta;
use crate::queries::service::ServiceDetail;
use maud::{Markup, html};

/// The gate when a contract declares none (the readiness rules' default).
const DEFAULT_MIN_SCORE: u32 = 100;

pub fn capabilities(d: &ServiceDetail) -> Markup {
    html! {
        section #capabilities.sec { h2 { "Capabilities" } (section_meta(&d.section_meta.capabilities))
            @if !d.capabilities.is_empty() {
                table #capability-table { thead { tr { th { "Type" } th { "Interface" } th { "Path" } th { "Ref" } th { "Declared at" } } }
                    tbody { @for c in &d.capabilities { tr.capability data-type=(c.kind) data-bound=(c.bound) {
                        td { (c.kind) }
                        td { @if let Some(i) = &c.interface { code { (i) } }
                            @else if c.kind != "extension" { span.pill.unbound { "not bound" } } }
                        td { @if let Some(p) = &c.path { code { (p) } } }
                        td { @if let Some(r) = &c.reference { code { (r) } } }
                        td { code { (c.declared_at) } }
                    } } } }
            }
        }
    }
}

pub fn readiness(d: &ServiceDetail) -> Markup {
    html! {
        section #readiness.sec { h2 { "Readiness" } (section_meta(&d.section_meta.readiness))
            @if let Some(r) = &d.readiness {
                p.sub.gate { "Gate: score ≥ " (r.min_score.unwrap_or(DEFAULT_MIN_SCORE)) @if r.min_score.is_none() { " (default)" }
                    @if let Some(e) = &r.expires { " · expires " (e) }
                    @if let Some(p) = r.partial_credit { " · partial credit " (p) }
                    " · " (r.items.len()) " " (r.list) }
                @for x in &d.runtime { @if let Some(s) = &x.readiness {
                    p.instance-score { code { (x.namespace) "/" (x.object) } ": score " strong { (s.score) } " / " (s.min_score) " · "
                        @if s.expired { span.bad { "expired" } } @else if s.passing { span.ok { "passing" } } @else { span.bad { "below the gate" } } }
                } }
                table #readiness-table { thead { tr { th { "Id" } th { "Type" } th { "Category" } th { "Status" } th { "Weight" } th { "Evidence" } th { "Description" } } }
                    tbody { @for i in &r.items { tr.readiness-item data-status=(i.status.as_deref().unwrap_or("")) {
                        td { code { (i.id) } } td { (i.kind) } td { (i.category.as_deref().unwrap_or("")) }
                        td { (i.status.as_deref().unwrap_or("")) @if let Some(e) = &i.expires { " (expires " (e) ")" } }
                        td { (i.weight) } td { (i.evidence) } td { (i.description.as_deref().unwrap_or("")) }
                    } } } }
            }
        }
    }
}
