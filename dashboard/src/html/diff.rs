//! The diff page: pick two versions (of one or two services), see the classification
//! and the change table.

use super::layout::page;
use crate::queries::diff::DiffResponse;
use crate::snapshot::Snapshot;
use maud::{Markup, html};

pub fn render(
    base: &str,
    snap: &Snapshot,
    from: &str,
    to: &str,
    result: Result<Option<&DiffResponse>, &str>,
) -> Markup {
    let options: Vec<String> = snap
        .services
        .values()
        .flat_map(|s| {
            s.versions
                .iter()
                .map(move |v| format!("{}@{}", s.name, v.record.version))
        })
        .collect();
    let body = html! {
        h1 { "Compare contracts" }
        form.controls method="get" action={ (base) "/diff" } {
            label { "From " select name="from" { @for o in &options { option value=(o) selected[o == from] { (o) } } } }
            label { "To " select name="to" { @for o in &options { option value=(o) selected[o == to] { (o) } } } }
            button type="submit" { "Compare" }
        }
        @match result {
            Err(e) => p.bad #diff-error { (e) },
            Ok(None) => p.sub { "Pick two versions." },
            Ok(Some(d)) => {
                h2 { (d.from.name) "@" (d.from.version) " → " (d.to.name) "@" (d.to.version) }
                p { "Classification: " span #classification class={ "cls cls-" (d.classification) } { (d.classification) } " · " (d.changes.len()) " change(s)" }
                table #changes { thead { tr { th { "Path" } th { "Change" } th { "Classification" } th { "Reason" } th { "Old" } th { "New" } } }
                    tbody { @for c in &d.changes { tr {
                        td { code { (c.path) } } td { (c.change_type) } td { span class={ "cls cls-" (c.classification) } { (c.classification) } } td { (c.reason) }
                        td { @if let Some(v) = &c.old_value { code { (v.to_string()) } } }
                        td { @if let Some(v) = &c.new_value { code { (v.to_string()) } } }
                    } } } }
            }
        }
    };
    page(base, "Diff", "diff", snap.id, body)
}
