//! The impact page: pick a service and two of its versions, see the breaking changes and
//! every consumer (transitive dependents) with its compatibility verdict.

use super::layout::{page, status_badge};
use super::{diff_href, service_href};
use crate::queries::diff::ChangeView;
use crate::queries::impact::ImpactResponse;
use crate::snapshot::Snapshot;
use maud::{Markup, html};

/// What the form shows selected: the service asked for, and the versions asked for (or,
/// after an answer, the versions the defaults resolved to).
pub struct Selection<'a> {
    pub service: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
}

pub fn render(
    base: &str,
    snap: &Snapshot,
    sel: &Selection,
    result: Result<Option<&ImpactResponse>, &str>,
) -> Markup {
    let services: Vec<&str> = snap
        .services
        .values()
        .filter(|s| !s.versions.is_empty())
        .map(|s| s.name.as_str())
        .collect();
    let versions: Vec<&str> = sel
        .service
        .and_then(|n| snap.services.get(n))
        .map(|s| {
            s.versions
                .iter()
                .map(|m| m.record.version.as_str())
                .collect()
        })
        .unwrap_or_default();
    let body = html! {
        h1 { "Impact of a version change" }
        p.sub { "Which consumers break if a service moves from one contract version to another: the diff's breaking changes joined with every service that depends on it, directly or through others, and each direct consumer's compatibility range." }
        form.controls #impact-form method="get" action={ (base) "/impact" } {
            label { "Service " select name="service" {
                option value="" selected[sel.service.is_none()] { "—" }
                @for s in &services { option value=(s) selected[Some(*s) == sel.service] { (s) } } } }
            label { "From " select name="from" {
                option value="" selected[sel.from.is_none()] { "default (deployed, else previous)" }
                @for v in &versions { option value=(v) selected[Some(*v) == sel.from] { (v) } } } }
            label { "To " select name="to" {
                option value="" selected[sel.to.is_none()] { "default (newest)" }
                @for v in &versions { option value=(v) selected[Some(*v) == sel.to] { (v) } } } }
            button type="submit" { "Show impact" }
        }
        @match result {
            Err(e) => p.bad #impact-error { (e) },
            Ok(None) => p.sub #impact-prompt { "Pick a service (and two of its versions, or leave the defaults)." },
            Ok(Some(r)) => (report(base, r)),
        }
    };
    page(base, "Impact", "impact", snap.id, body)
}

fn report(base: &str, r: &ImpactResponse) -> Markup {
    let count = |v: &str| {
        r.consumers
            .iter()
            .filter(|c| c.compatibility_verdict == v)
            .count()
    };
    let changes: Vec<&ChangeView> = r
        .breaking_changes
        .iter()
        .chain(&r.potentially_breaking_changes)
        .collect();
    html! {
        h2 #impact-title { a href=(service_href(base, &r.service)) { (r.service) } " " (r.old_version) " → " (r.new_version) }
        p { "Classification: " span #classification class={ "cls cls-" (r.classification) } { (r.classification) }
            " · " (r.breaking_changes.len()) " breaking, " (r.potentially_breaking_changes.len()) " potentially breaking, "
            (r.non_breaking_changes.len()) " non-breaking change(s) · "
            a #full-diff href=(diff_href(base, (&r.service, &r.old_version), (&r.service, &r.new_version))) { "full diff" } }
        @if r.blocking {
            p.banner #blocking { strong.bad { "Breaks consumers: " } "the change is BREAKING and a consumer that cannot work without " (r.service) " is incompatible." }
        }
        @if !r.limitations.is_empty() {
            ul #limitations { @for l in &r.limitations { li data-code=(l.code) { code { (l.code) } " " (l.message) } } }
        }
        section #consumers-section.sec {
            h2 { "Consumers" span.count { (r.consumers.len()) } }
            p #verdict-summary.sub { (count("incompatible")) " incompatible · " (count("unknown")) " unknown · " (count("compatible")) " compatible" }
            @if r.consumers.is_empty() {
                p.empty { "No known service depends on " (r.service) "." }
            } @else {
                table #consumers { thead { tr { th { "Consumer" } th { "Verdict" } th { "Depth" } th { "Path" } th { "Required" } th { "Compatibility" } th { "Status" } th { "Why" } } }
                    tbody { @for c in &r.consumers { tr.consumer data-name=(c.service) data-verdict=(c.compatibility_verdict) {
                        td { a href=(service_href(base, &c.service)) { (c.service) } @if let Some(v) = &c.version { " " span.ver { (v) } } }
                        td { span class={ "verdict v-" (c.compatibility_verdict) } { (c.compatibility_verdict) } }
                        td { (c.depth) }
                        td.path { @for (i, p) in c.path.iter().enumerate() { @if i > 0 { " → " } (p) } }
                        td { (if c.required { "required" } else { "optional" }) }
                        td { @if let Some(x) = &c.compatibility { code { (x) } } }
                        td { (status_badge(c.contract_status.as_str())) }
                        td { (c.reason) }
                    } } } }
            }
        }
        section #changes-section.sec {
            h2 { "Breaking and potentially breaking changes" span.count { (changes.len()) } }
            @if changes.is_empty() { p.empty { "None." } } @else { (change_table("breaking-changes", &changes)) }
            @if !r.non_breaking_changes.is_empty() {
                details { summary { (r.non_breaking_changes.len()) " non-breaking change(s)" }
                    (change_table("non-breaking-changes", &r.non_breaking_changes.iter().collect::<Vec<_>>())) }
            }
        }
    }
}

fn change_table(id: &str, changes: &[&ChangeView]) -> Markup {
    html! {
        table id=(id) { thead { tr { th { "Path" } th { "Change" } th { "Classification" } th { "Reason" } } }
            tbody { @for c in changes { tr {
                td { code { (c.path) } } td { (c.change_type) }
                td { span class={ "cls cls-" (c.classification) } { (c.classification) } } td { (c.reason) }
            } } } }
    }
}
