//! The runtime sections of the service page: the instance list, each Pacto's compliance card
//! (checks, probes, readiness score, interface and configuration bindings), the operator's
//! findings per instance (severity counts, coverage, open observation windows) and conditions.

use super::layout::{section_meta, status_badge};
use crate::model::{RuntimeView, ServicePort};
use crate::queries::service::ServiceDetail;
use maud::{Markup, html};

fn port_text(p: &ServicePort) -> String {
    match p {
        ServicePort::Number(n) => n.to_string(),
        ServicePort::Name(s) => s.clone(),
    }
}

pub fn instances(d: &ServiceDetail) -> Markup {
    html! {
        section #instances.sec { h2 { "Instances" span.count { (d.instances.len()) } } (section_meta(&d.section_meta.runtime))
            @if !d.instances.is_empty() {
                table #instance-table { thead { tr { th { "Pacto" } th { "Status" } th { "Contract version" } th { "Checks" } th { "Last checked" } } }
                    tbody { @for i in &d.instances { tr.instance data-namespace=(i.namespace) data-name=(i.name) data-status=(i.contract_status.as_str()) {
                        td { code { (i.namespace) "/" (i.name) } }
                        td { (status_badge(i.contract_status.as_str())) }
                        td { (i.contract_version.as_deref().unwrap_or("—")) }
                        td { @if i.checks_total > 0 { (i.checks_passed) "/" (i.checks_total) } @else { "—" } }
                        td { (i.last_checked.as_deref().unwrap_or("")) }
                    } } } }
            }
        }
    }
}

pub fn runtime(d: &ServiceDetail) -> Markup {
    html! {
        section #runtime.sec { h2 { "Runtime compliance" } (section_meta(&d.section_meta.runtime))
            @for r in &d.runtime { div.card.runtime data-instance={ (r.namespace) "/" (r.object) } {
                h3 { (r.namespace) "/" (r.object) " " @if let Some(s) = r.contract_status { (status_badge(s.as_str())) } }
                p.sub { "Checks " (r.checks_passed) "/" (r.checks_total) @if let Some(v) = &r.contract_version { " · contract " (v) } @if let Some(x) = &r.resolved_ref { " · " code { (x) } } }
                @if !r.checks.is_empty() {
                    table.checks { thead { tr { th { "Check" } th { "Declared" } th { "Observed" } th { "Result" } } }
                        tbody { @for c in &r.checks { tr class=(if c.passed { "pass" } else { "fail" }) { td { (c.name) } td { (c.declared.as_deref().unwrap_or("")) } td { (c.observed.as_deref().unwrap_or("")) } td { (if c.passed { "pass" } else { "fail" }) } } } } }
                }
                @for e in &r.endpoints {
                    h4 { (e.kind) " endpoint " @if let Some(u) = &e.url { code { (u) } } }
                    table.replicas { thead { tr { th { "Replica" } th { "Pod" } th { "Reachable" } th { "Status" } th { "Latency" } th { "Error" } } }
                        tbody { @for p in &e.replicas { tr { td { code { (p.address) } } td { (p.pod.as_deref().unwrap_or("")) } td { (p.reachable) }
                            td { @if let Some(c) = p.status_code { (c) } } td { @if let Some(l) = p.latency_ms { (l) " ms" } } td { (p.error.as_deref().unwrap_or("")) } } } } }
                }
                (extras(r))
            } }
        }
    }
}

/// Readiness score, resolved capabilities and the spec's bindings of one instance.
fn extras(r: &RuntimeView) -> Markup {
    html! {
        @if let Some(s) = &r.readiness {
            p.readiness-score { "Readiness score " strong { (s.score) } " (gate " (s.min_score) ") · "
                @if s.expired { span.bad { "expired" } } @else if s.passing { span.ok { "passing" } } @else { span.bad { "below the gate" } }
                @if let Some(e) = &s.expires { " · expires " (e) } }
        }
        @if !r.capabilities.is_empty() {
            p.sub.capabilities { "Capabilities: " @for c in &r.capabilities { span.pill { (c.kind) @if let Some(x) = &c.reference { " " (x) } } " " } }
        }
        @if !r.interface_bindings.is_empty() {
            h4 { "Interface bindings" }
            table.interface-bindings { thead { tr { th { "Interface" } th { "Service port" } } }
                tbody { @for b in &r.interface_bindings { tr { td { code { (b.interface) } } td { "→ " code { (port_text(&b.service_port)) } } } } } }
        }
        @if !r.config_bindings.is_empty() {
            h4 { "Configuration bindings" }
            table.config-bindings { thead { tr { th { "Configuration" } th { "Backed by" } th { "Format" } } }
                tbody { @for b in &r.config_bindings { tr {
                    td { code { (b.configuration) } }
                    td { "→ " code { (b.kind) "/" (b.name) @if let Some(k) = &b.key { "[" (k) "]" } } }
                    td { (b.format.as_deref().unwrap_or("")) } } } } }
        }
    }
}

pub fn findings(d: &ServiceDetail) -> Markup {
    html! {
        section #findings.sec { h2 { "Findings" } (section_meta(&d.section_meta.findings))
            @for r in &d.runtime { div.card.instance-findings data-instance={ (r.namespace) "/" (r.object) } {
                h3 { (r.namespace) "/" (r.object) }
                p.sub {
                    @if let Some(c) = &r.severity_counts {
                        span.counts { @for (k, n) in [("error", c.error), ("warning", c.warning), ("unknown", c.unknown), ("info", c.info)] {
                            span class={ "sev sev-" (k) } data-count=(n) { (n) " " (k) } " " } }
                    }
                    @if let Some(c) = &r.coverage { " · " span.coverage { "Coverage " (c.evaluated) "/" (c.required) } }
                }
                @if !r.findings.is_empty() {
                    table.findings { thead { tr { th { "Severity" } th { "Code" } th { "Subject" } th { "Contract path" } th { "Message" } } }
                        tbody { @for f in &r.findings { tr class={ "finding sev-" (f.severity) } data-severity=(f.severity) data-code=(f.code) {
                            td { span class={ "sev sev-" (f.severity) } { (f.severity) } }
                            td { code { (f.code) } }
                            td { (f.subject.as_deref().unwrap_or("")) }
                            td { @if let Some(p) = &f.contract_path { code { (p) } } }
                            td { (f.message) }
                        } } } }
                } @else { p.sub { "No findings." } }
                @if !r.observation_windows.is_empty() {
                    h4 { "Open observation windows" }
                    table.windows { thead { tr { th { "Kind" } th { "Subject" } th { "Negative since" } } }
                        tbody { @for w in &r.observation_windows { tr { td { (w.kind) } td { (w.subject) } td { (w.first_observed_negative_at) } } } } }
                }
            } }
        }
    }
}

pub fn conditions(d: &ServiceDetail) -> Markup {
    html! {
        section #conditions.sec { h2 { "Conditions" } (section_meta(&d.section_meta.conditions))
            @for r in &d.runtime { @if !r.conditions.is_empty() {
                table { thead { tr { th { "Type" } th { "Status" } th { "Reason" } th { "Message" } th { "Since" } } }
                    tbody { @for c in &r.conditions { tr { td { (c.kind) } td { (c.status) } td { (c.reason) } td { (c.message) } td { (c.last_transition_time.as_deref().unwrap_or("")) } } } } }
            } }
        }
    }
}
