//! The service detail page (also a historical version of it).

use super::layout::{page, section_meta, status_badge};
use super::service_contract as contract_extras;
use super::{diff_href, impact_href, service_href, service_runtime, svg, version_href};
use crate::queries::graph::GraphResponse;
use crate::queries::service::ServiceDetail;
use maud::{Markup, PreEscaped, html};

fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub fn render(
    base: &str,
    d: &ServiceDetail,
    historical: bool,
    graph: &GraphResponse,
    snapshot_id: u64,
) -> Markup {
    let m = &d.section_meta;
    let body = html! {
        nav.crumbs { a href={ (base) "/" } { "Services" } " / " a href=(service_href(base, &d.name)) { (d.name) }
            @if historical { " / " (d.version.as_deref().unwrap_or("")) } }
        h1 { (d.name) " " span.ver { (d.version.as_deref().unwrap_or("")) } " " (status_badge(d.contract_status.as_str())) }
        @if historical {
            p.banner #historical { "Viewing version " (d.version.as_deref().unwrap_or("")) "; current is "
                @if let Some(c) = &d.current_version {
                    a href=(service_href(base, &d.name)) { (c) } " — "
                    a href=(diff_href(base, (&d.name, d.version.as_deref().unwrap_or("")), (&d.name, c))) { "compare with current" }
                } }
        }
        p.sub {
            "Owner: " (d.owner.as_deref().unwrap_or("—"))
            " · Blast radius: " (d.blast_radius)
            " · Sources: " @for s in &d.sources { span class={ "pill src-" (s.as_str()) } { (s.as_str()) } " " }
            @if !d.namespaces.is_empty() { " · Namespaces: " (d.namespaces.join(", ")) }
            " · " a #impact-link href=(impact_href(base, &d.name, None)) { "Impact of a version change" }
        }
        nav.toc { @for (id, t) in [("overview","Overview"),("validation","Validation"),("interfaces","Interfaces"),("capabilities","Capabilities"),("configurations","Configuration"),("policies","Policies"),("readiness","Readiness"),("dependencies","Dependencies"),("dependents","Dependents"),("instances","Instances"),("runtime","Runtime compliance"),("findings","Findings"),("conditions","Conditions"),("versions","Versions"),("docs","Docs"),("sbom","SBOM")] {
            a href={ "#" (id) } { (t) } } }

        section #overview.sec { h2 { "Overview" } (section_meta(&m.overview))
            @if let Some(o) = &d.overview {
                dl.kv {
                    @for (k, v) in [("Pacto version", &o.pacto_version), ("Image", &o.image), ("Chart", &o.chart), ("Workload", &o.workload), ("State", &o.state), ("Persistence", &o.persistence), ("Data criticality", &o.data_criticality), ("Upgrade strategy", &o.upgrade_strategy), ("Health", &o.health), ("Metrics", &o.metrics), ("Scaling", &o.scaling)] {
                        @if let Some(v) = v { dt { (k) } dd { (v) } }
                    }
                    @for c in &o.contacts { dt { "Contact" } dd { (c) } }
                    @for (k, v) in &o.metadata { dt { "metadata." (k) } dd { (json_text(v)) } }
                }
            }
        }
        section #validation.sec { h2 { "Validation" }
            @if d.validation.valid { p.ok { "Valid" } } @else { p.bad { "Invalid" } }
            @if !d.validation.errors.is_empty() || !d.validation.warnings.is_empty() {
                table { thead { tr { th { "Severity" } th { "Code" } th { "Path" } th { "Message" } } }
                    tbody {
                        @for i in &d.validation.errors { tr.err { td { "error" } td { (i.code) } td { code { (i.path) } } td { (i.message) } } }
                        @for i in &d.validation.warnings { tr.warn { td { "warning" } td { (i.code) } td { code { (i.path) } } td { (i.message) } } }
                    } }
            }
        }
        section #interfaces.sec { h2 { "Interfaces" } (section_meta(&m.interfaces))
            @for i in &d.interfaces {
                div.card {
                    h3 { (i.name) " " span.pill { (i.kind) } @if i.protocol != i.kind { " " span.pill { (i.protocol) } } " " span.pill { (i.visibility) }
                        @if let Some(p) = i.port { " " span.pill { "port " (p) } } }
                    @if let Some(f) = &i.contract_file { p.sub { (if i.contract_field == "ref" { "Ref: " } else { "Contract: " }) code { (f) } } }
                    @if let Some(e) = &i.error { p.bad { (e) } }
                    @if !i.endpoints.is_empty() {
                        table.endpoints { thead { tr { th { "Method" } th { "Path" } th { "Summary" } } }
                            tbody { @for e in &i.endpoints { tr { td { code { (e.method) } } td { code { (e.path) } } td { (e.summary.as_deref().unwrap_or("")) } } } } }
                    }
                    @for s in &i.grpc_services { p { "gRPC service " strong { (s.name) } ": " (s.rpcs.join(", ")) } }
                    @if !i.channels.is_empty() {
                        table.channels { thead { tr { th { "Channel" } th { "Operations" } th { "Description" } } }
                            tbody { @for c in &i.channels { tr { td { code { (c.name) } } td { (c.operations.join(", ")) } td { (c.description.as_deref().unwrap_or("")) } } } } }
                    }
                }
            }
        }
        (contract_extras::capabilities(d))
        section #configurations.sec { h2 { "Configuration" } (section_meta(&m.configurations))
            @for c in &d.configurations {
                div.card {
                    h3 { (c.name) @if let Some(r) = &c.reference { " " span.pill { "ref " (r) } }
                        @match c.required { Some(true) => { " " span.pill.required { "required" } } Some(false) => { " " span.pill.optional { "optional" } } None => {} } }
                    @if let Some(s) = &c.schema { p.sub { "Schema: " code { (s) } } }
                    @if !c.properties.is_empty() || !c.extra_values.is_empty() {
                    table.props { thead { tr { th { "Property" } th { "Type" } th { "Required" } th { "Default" } th { "Value" } th { "Description" } } }
                        tbody {
                            @for p in &c.properties { tr {
                                td { code { (p.name) } } td { (p.kind.as_deref().unwrap_or("")) } td { (if p.required { "yes" } else { "" }) }
                                td { @if let Some(v) = &p.default { (json_text(v)) } }
                                td { @if let Some(v) = &p.value { (json_text(v)) } }
                                td { (p.description.as_deref().unwrap_or("")) } } }
                            @for (k, v) in &c.extra_values { tr { td { code { (k) } } td {} td {} td {} td { (json_text(v)) } td.sub { "not in schema" } } }
                        } }
                    }
                }
            }
        }
        section #policies.sec { h2 { "Policies" } (section_meta(&m.policies))
            @for p in &d.policies { div.card { h3 { (p.name) } @if let Some(t) = &p.title { p { strong { (t) } } } @if let Some(x) = &p.description { p { (x) } }
                @if let Some(s) = &p.schema { p.sub { "Schema: " code { (s) } } } @if let Some(r) = &p.reference { p.sub { "Ref: " code { (r) } } } } }
        }
        (contract_extras::readiness(d))
        section #dependencies.sec { h2 { "Dependencies" } (section_meta(&m.dependencies))
            @if !d.dependencies.is_empty() {
                table { thead { tr { th { "Name" } th { "Ref" } th { "Required" } th { "Compatibility" } th { "Status" } } }
                    tbody { @for x in &d.dependencies { tr {
                        td { @if x.known { a href=(service_href(base, &x.dependency.name)) { (x.dependency.name) } } @else { (x.dependency.name) " " span.pill { "external" } } }
                        td { code { (x.dependency.reference) } } td { (if x.dependency.required { "required" } else { "optional" }) } td { code { (x.dependency.compatibility) } }
                        td { @if let Some(s) = x.contract_status { (status_badge(s.as_str())) } } } } } }
            }
            @if !d.references.is_empty() {
                h3 { "References" }
                ul { @for r in &d.references { li { (r.kind) " " code { (r.section) } " → " a href=(service_href(base, &r.target)) { (r.target) } " (" code { (r.reference) } ")" } } }
            }
            div.graph-scroll.small { (svg::render(base, graph)) }
        }
        section #dependents.sec { h2 { "Dependents" } (section_meta(&m.dependents))
            @if !d.dependents.is_empty() {
                table { thead { tr { th { "Service" } th { "Version" } th { "Required" } th { "Compatibility" } th { "Status" } } }
                    tbody { @for x in &d.dependents { tr { td { a href=(service_href(base, &x.name)) { (x.name) } } td { (x.version.as_deref().unwrap_or("")) }
                        td { (if x.required { "required" } else { "optional" }) } td { code { (x.compatibility) } } td { (status_badge(x.contract_status.as_str())) } } } } }
            }
        }
        (service_runtime::instances(d))
        (service_runtime::runtime(d))
        (service_runtime::findings(d))
        (service_runtime::conditions(d))
        section #versions.sec { h2 { "Versions" } (section_meta(&m.versions))
            table #version-table { thead { tr { th { "Version" } th { "Source" } th { "Valid" } th { "Change from previous" } th {} } }
                tbody { @for v in &d.versions { tr class=(if v.is_current { "current" } else { "" }) {
                    td { a href=(version_href(base, &d.name, &v.version)) { (v.version) } @if v.is_current { " " span.pill { "current" } } }
                    td { (v.source.as_str()) }
                    td { @match v.valid { Some(true) => "yes", Some(false) => "no", None => "not read" } }
                    td { @if let Some(c) = &v.classification { span class={ "cls cls-" (c) } { (c) } } }
                    td { @if let Some(p) = &v.previous { a href=(diff_href(base, (&d.name, p), (&d.name, &v.version))) { "diff " (p) " → " (v.version) }
                        " · " a.impact href=(impact_href(base, &d.name, Some((p, &v.version)))) { "impact" } } }
                } } } }
        }
        section #docs.sec { h2 { "Docs" } (section_meta(&m.docs))
            @for doc in &d.docs { article.doc { h3.docpath { code { (doc.path) } } (PreEscaped(&doc.html)) @if doc.truncated { p.sub { "(truncated)" } } } }
        }
        section #sbom.sec { h2 { "SBOM" } (section_meta(&m.sbom))
            @if let Some(s) = &d.sbom {
                p.sub { (s.format) " · " code { (s.path) } " · " (s.packages.len()) " packages" }
                table { thead { tr { th { "Package" } th { "Version" } th { "License" } th { "Supplier" } } }
                    tbody { @for p in &s.packages { tr { td { (p.name) } td { (p.version.as_deref().unwrap_or("")) } td { (p.license.as_deref().unwrap_or("")) } td { (p.supplier.as_deref().unwrap_or("")) } } } } }
            }
        }
    };
    page(base, &d.name, "services", snapshot_id, body)
}
