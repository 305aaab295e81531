//! The contract-derived sections of a service page, computed from one bundle. These are
//! what the byte-bounded LRU keeps for the versions being viewed.

use crate::model::{
    CapabilityView, ConfigurationView, DocPage, InterfaceView, Overview, PolicyView, PropertyView,
    ReadinessItemView, ReadinessView, Sbom, SbomPackageView,
};
use crate::{markdown, specs};
use pacto_core::model::{CapabilityType, Contract, Endpoint, Protocol};
use pacto_core::{Bundle, explain};
use serde_json::Value;
use std::collections::BTreeMap;

/// Most docs kept per version.
const MAX_DOCS: usize = 32;

#[derive(Debug, Clone)]
pub struct ContractView {
    pub pacto_version: Option<String>,
    pub overview: Option<Overview>,
    pub interfaces: Vec<InterfaceView>,
    pub capabilities: Vec<CapabilityView>,
    pub configurations: Vec<ConfigurationView>,
    pub policies: Vec<PolicyView>,
    pub readiness: Option<ReadinessView>,
    pub docs: Vec<DocPage>,
    pub sbom: Option<Sbom>,
    pub sbom_error: Option<String>,
    /// Resident size estimate for the LRU.
    pub bytes: u64,
}

/// Builds the view; `contract` is `None` when the contract failed structural validation
/// (docs and SBOM are still shown).
pub fn build(contract: Option<&Contract>, bundle: &Bundle) -> ContractView {
    let mut v = ContractView {
        pacto_version: contract.map(|c| c.pacto_version.to_string()),
        overview: contract.map(|c| overview(c, bundle)),
        interfaces: contract.map(|c| interfaces(c, bundle)).unwrap_or_default(),
        capabilities: contract.map(capabilities).unwrap_or_default(),
        configurations: Vec::new(),
        policies: Vec::new(),
        readiness: contract.and_then(readiness),
        docs: docs(bundle),
        sbom: None,
        sbom_error: None,
        bytes: 0,
    };
    if let Some(c) = contract {
        let ex = explain::explain(c, bundle);
        // explain lists `all_configurations()` in order; the 2.0 `required` flag is read there.
        let required: Vec<Option<bool>> = c
            .all_configurations()
            .into_iter()
            .map(|(_, cfg)| cfg.required)
            .collect();
        v.configurations = ex
            .configuration
            .into_iter()
            .zip(required)
            .map(|(cfg, required)| {
                let mut values: BTreeMap<String, Value> = match cfg.values {
                    Some(Value::Object(m)) => m.into_iter().collect(),
                    _ => BTreeMap::new(),
                };
                let properties = cfg
                    .properties
                    .into_iter()
                    .map(|p| PropertyView {
                        value: values.remove(&p.name),
                        name: p.name,
                        kind: p.kind,
                        required: p.required,
                        default: p.default,
                        description: p.description,
                    })
                    .collect();
                ConfigurationView {
                    name: cfg.name,
                    schema: cfg.schema,
                    reference: cfg.reference,
                    required,
                    properties,
                    extra_values: values,
                }
            })
            .collect();
        v.policies = c
            .all_policies()
            .into_iter()
            .map(|(_, p)| {
                let schema = p
                    .schema
                    .as_deref()
                    .and_then(|s| bundle.read_str(s))
                    .and_then(|t| specs::parse(t).ok());
                let field = |k: &str| {
                    schema
                        .as_ref()
                        .and_then(|s| s.get(k))
                        .and_then(Value::as_str)
                        .map(str::to_string)
                };
                PolicyView {
                    name: p.display_name().to_string(),
                    title: field("title"),
                    description: field("description"),
                    schema: p.schema,
                    reference: p.reference,
                }
            })
            .collect();
    }
    match pacto_core::diff::load_sbom(bundle) {
        Ok(Some(s)) => {
            v.sbom = Some(Sbom {
                format: s.format.as_str().to_string(),
                path: s.path,
                packages: s
                    .packages
                    .into_iter()
                    .map(|p| SbomPackageView {
                        name: p.name,
                        version: p.version,
                        license: p.license,
                        supplier: p.supplier,
                    })
                    .collect(),
            })
        }
        Ok(None) => {}
        Err(e) => v.sbom_error = Some(e.to_string()),
    }
    v.bytes = estimate(&v);
    v
}

fn estimate(v: &ContractView) -> u64 {
    // Serialised JSON length is a fair proxy for heap held by these strings.
    let docs: usize = v.docs.iter().map(|d| d.html.len() + d.path.len()).sum();
    let rest = serde_json::to_vec(&(
        &v.overview,
        &v.interfaces,
        &v.capabilities,
        &v.configurations,
        &v.policies,
        &v.readiness,
        &v.sbom,
    ))
    .map(|b| b.len())
    .unwrap_or(0);
    (docs + rest + 512) as u64
}

/// `interface path` of an endpoint.
fn endpoint_text(e: &Endpoint) -> String {
    match &e.path {
        Some(p) => format!("{} {p}", e.interface),
        None => e.interface.clone(),
    }
}

/// Read through the normalised view (`workload()`, `state()`, `health()`…), so a 2.0
/// contract (no `runtime` section) fills the same fields as a 1.x one.
fn overview(c: &Contract, bundle: &Bundle) -> Overview {
    let ex = explain::explain(c, bundle);
    let state = c.state();
    let contacts = match &c.service.owner {
        Some(pacto_core::model::Owner::Info(i)) => i
            .contacts
            .iter()
            .map(|ct| match &ct.purpose {
                Some(p) => format!("{}: {} ({p})", ct.kind, ct.value),
                None => format!("{}: {}", ct.kind, ct.value),
            })
            .collect(),
        _ => Vec::new(),
    };
    Overview {
        pacto_version: Some(ex.pacto_version),
        image: ex.service.image,
        chart: ex.service.chart,
        workload: c.workload().map(|w| w.to_string()),
        state: state.map(|s| s.kind.to_string()),
        persistence: state.map(|s| format!("{}/{}", s.persistence.scope, s.persistence.durability)),
        data_criticality: state.map(|s| s.data_criticality.to_string()),
        upgrade_strategy: c
            .lifecycle()
            .and_then(|l| l.upgrade_strategy)
            .map(|s| s.to_string()),
        health: c.health().as_ref().map(endpoint_text),
        metrics: c.metrics().as_ref().map(endpoint_text),
        scaling: ex.scaling.map(|s| {
            if s.fixed {
                format!("{} replicas", s.min)
            } else {
                format!("{}–{} replicas", s.min, s.max)
            }
        }),
        metadata: c
            .metadata
            .clone()
            .map(|m| m.into_iter().collect())
            .unwrap_or_default(),
        contacts,
    }
}

/// Health and metrics through the accessors (1.x `runtime.*` or a bound 2.0 capability),
/// then what only 2.0 has: a declared standard capability without a binding, extensions.
fn capabilities(c: &Contract) -> Vec<CapabilityView> {
    let mut out = Vec::new();
    for (kind, bound) in [
        (CapabilityType::Health, c.health()),
        (CapabilityType::Metrics, c.metrics()),
    ] {
        let view = |bound: bool, interface, path, declared_at| CapabilityView {
            kind: kind.as_str().to_string(),
            bound,
            interface,
            path,
            reference: None,
            declared_at,
        };
        if let Some(e) = bound {
            out.push(view(true, Some(e.interface), e.path, e.at));
        } else if let Some(i) = c.capabilities.iter().position(|x| x.kind == kind) {
            out.push(view(false, None, None, format!("capabilities[{i}]")));
        }
    }
    for (i, x) in c.capabilities.iter().enumerate() {
        if x.kind == CapabilityType::Extension {
            out.push(CapabilityView {
                kind: x.kind.as_str().to_string(),
                bound: x.binding.is_some(),
                interface: x.binding.as_ref().map(|b| b.interface.clone()),
                path: x.binding.as_ref().and_then(|b| b.path.clone()),
                reference: x.reference.clone(),
                declared_at: format!("capabilities[{i}]"),
            });
        }
    }
    out
}

/// 1.x `readiness.checks` and 2.0 `readiness.claims` alike (`Readiness::items`).
fn readiness(c: &Contract) -> Option<ReadinessView> {
    let r = c.readiness.as_ref()?;
    Some(ReadinessView {
        list: r.items_field().to_string(),
        min_score: r.min_score,
        expires: r.expires.clone(),
        partial_credit: r.partial_credit,
        items: r
            .items()
            .iter()
            .map(|i| ReadinessItemView {
                id: i.id.clone(),
                kind: i.kind.clone(),
                status: i.status.clone(),
                weight: i.weight,
                category: i.category.clone(),
                evidence: i.evidence.clone(),
                description: i.description.clone(),
                expires: i.expires.clone(),
            })
            .collect(),
    })
}

fn interfaces(c: &Contract, bundle: &Bundle) -> Vec<InterfaceView> {
    c.interfaces
        .iter()
        .map(|i| {
            let mut view = InterfaceView {
                name: i.name.clone(),
                kind: i.kind.as_str().to_string(),
                protocol: i.protocol().as_str().to_string(),
                port: c.port_of(&i.name),
                visibility: i.visibility.as_str().to_string(),
                contract_file: i.spec_file().map(str::to_string),
                contract_field: i.spec_field().to_string(),
                endpoints: Vec::new(),
                grpc_services: Vec::new(),
                channels: Vec::new(),
                error: None,
            };
            let Some(file) = i.spec_file() else {
                return view;
            };
            let Some(text) = bundle.read_str(file) else {
                view.error = Some(format!("{file} is not in the bundle (or not UTF-8)"));
                return view;
            };
            match i.protocol() {
                Protocol::Grpc => view.grpc_services = specs::proto_services(text),
                Protocol::Http => match specs::parse(text) {
                    Ok(doc) => view.endpoints = specs::openapi_endpoints(&doc),
                    Err(e) => view.error = Some(format!("{file}: {e}")),
                },
                Protocol::Event => match specs::parse(text) {
                    Ok(doc) => view.channels = specs::asyncapi_channels(&doc),
                    Err(e) => view.error = Some(format!("{file}: {e}")),
                },
            }
            view
        })
        .collect()
}

fn docs(bundle: &Bundle) -> Vec<DocPage> {
    bundle
        .files()
        .filter(|(p, _)| p.starts_with("docs/") && (p.ends_with(".md") || p.ends_with(".markdown")))
        .take(MAX_DOCS)
        .map(|(path, bytes)| {
            let text = String::from_utf8_lossy(bytes);
            let (html, truncated) = markdown::render(&text);
            DocPage {
                path: path.to_string(),
                title: markdown::title(path, &text),
                html,
                truncated,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn payments_example_has_every_contract_section() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/payments-api");
        let b = Bundle::from_dir(&dir, &Default::default()).unwrap();
        let r = pacto_core::validate::validate_bundle(&b, &Default::default());
        let v = build(r.contract.as_ref(), &b);
        assert!(
            v.interfaces[0]
                .endpoints
                .iter()
                .any(|e| e.path == "/payments")
        );
        let cfg = &v.configurations[0];
        assert!(
            cfg.properties
                .iter()
                .any(|p| p.name == "LOG_LEVEL" && p.value.is_some())
        );
        assert_eq!(v.policies.len(), 1);
        assert_eq!(v.docs.len(), 1);
        assert!(v.sbom.as_ref().is_some_and(|s| !s.packages.is_empty()));
        assert!(v.overview.as_ref().and_then(|o| o.health.clone()).is_some());
        assert!(v.bytes > 0);
    }

    fn view_of(dir: &Path) -> ContractView {
        let b = Bundle::from_dir(dir, &Default::default()).unwrap();
        let r = pacto_core::validate::validate_bundle(&b, &Default::default());
        assert!(r.contract.is_some(), "{dir:?} does not parse");
        build(r.contract.as_ref(), &b)
    }

    fn caps(v: &ContractView) -> Vec<String> {
        v.capabilities
            .iter()
            .map(|c| {
                format!(
                    "{} {} {} {} {} {}",
                    c.kind,
                    c.bound,
                    c.interface.as_deref().unwrap_or("-"),
                    c.path.as_deref().unwrap_or("-"),
                    c.reference.as_deref().unwrap_or("-"),
                    c.declared_at
                )
            })
            .collect()
    }

    #[test]
    fn a_2_0_contract_fills_the_sections_1_x_fields_fill() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let v = view_of(&root.join("tests/fixtures/audit-trail"));
        assert_eq!(
            caps(&v),
            [
                "health false - - - capabilities[0]",
                "metrics true api /metrics - capabilities[1].binding",
                "extension false - - example.com/tracing capabilities[2]",
            ]
        );
        let o = v.overview.as_ref().unwrap();
        assert_eq!(o.workload.as_deref(), Some("service"));
        assert_eq!(o.state.as_deref(), Some("stateful"));
        assert_eq!(o.metrics.as_deref(), Some("api /metrics"));
        assert_eq!(o.health, None);
        let req: Vec<_> = v
            .configurations
            .iter()
            .map(|c| (c.name.as_str(), c.required))
            .collect();
        assert_eq!(req, [("default", Some(true)), ("tuning", Some(false))]);
        let i: Vec<_> = v
            .interfaces
            .iter()
            .map(|i| {
                (
                    i.kind.as_str(),
                    i.protocol.as_str(),
                    i.port,
                    i.contract_field.as_str(),
                )
            })
            .collect();
        assert_eq!(
            i,
            [
                ("openapi", "http", None, "ref"),
                ("asyncapi", "event", None, "ref")
            ]
        );
        assert!(
            v.interfaces[1]
                .channels
                .iter()
                .any(|c| c.name == "audit.recorded")
        );
        let r = v.readiness.as_ref().unwrap();
        assert_eq!(
            (r.list.as_str(), r.min_score, r.items.len()),
            ("claims", Some(60), 2)
        );
        assert_eq!(r.items[1].status.as_deref(), Some("not-done"));
    }

    #[test]
    fn a_1_x_contract_shows_its_runtime_endpoints_as_capabilities() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let v = view_of(&root.join("../examples/payments-api"));
        assert_eq!(
            caps(&v),
            [
                "health true rest-api /health - runtime.health",
                "metrics true metrics /metrics - runtime.metrics",
            ]
        );
        assert_eq!(v.interfaces[0].port, Some(8080));
        assert_eq!(v.interfaces[0].contract_field, "contract");
        assert_eq!(v.configurations[0].required, None);
        let ledger = view_of(&root.join("../examples/ledger-api"));
        assert_eq!(ledger.capabilities.len(), 3);
        assert!(
            ledger
                .capabilities
                .iter()
                .all(|c| c.bound || c.kind == "extension")
        );
    }
}
