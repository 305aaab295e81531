//! The contract-derived sections of a service page, computed from one bundle. These are
//! what the byte-bounded LRU keeps for the versions being viewed.

use crate::model::{
    ConfigurationView, DocPage, InterfaceView, Overview, PolicyView, PropertyView, Sbom,
    SbomPackageView,
};
use crate::{markdown, specs};
use pacto_core::model::{Contract, Protocol};
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
    pub configurations: Vec<ConfigurationView>,
    pub policies: Vec<PolicyView>,
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
        configurations: Vec::new(),
        policies: Vec::new(),
        docs: docs(bundle),
        sbom: None,
        sbom_error: None,
        bytes: 0,
    };
    if let Some(c) = contract {
        let ex = explain::explain(c, bundle);
        v.configurations = ex
            .configuration
            .into_iter()
            .map(|cfg| {
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
        &v.configurations,
        &v.policies,
        &v.sbom,
    ))
    .map(|b| b.len())
    .unwrap_or(0);
    (docs + rest + 512) as u64
}

fn overview(c: &Contract, bundle: &Bundle) -> Overview {
    let ex = explain::explain(c, bundle);
    let rt = ex.runtime;
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
        workload: rt.as_ref().map(|r| r.workload.clone()),
        state: rt.as_ref().map(|r| r.state.clone()),
        persistence: rt.as_ref().map(|r| r.persistence.clone()),
        data_criticality: rt.as_ref().map(|r| r.data_criticality.clone()),
        upgrade_strategy: rt.as_ref().and_then(|r| r.upgrade_strategy.clone()),
        health: rt.as_ref().and_then(|r| r.health.clone()),
        metrics: rt.as_ref().and_then(|r| r.metrics.clone()),
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

fn interfaces(c: &Contract, bundle: &Bundle) -> Vec<InterfaceView> {
    c.interfaces
        .iter()
        .map(|i| {
            let mut view = InterfaceView {
                name: i.name.clone(),
                kind: i.kind.as_str().to_string(),
                port: i.port,
                visibility: i.visibility.as_str().to_string(),
                contract_file: i.spec_file().map(str::to_string),
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
}
