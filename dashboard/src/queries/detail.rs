//! Assembling a service answer: contract sections from the winning source's version,
//! the k8s overlay, dependents, versions with classifications; each section says where
//! it came from or why it is empty.

use super::QueryError;
use super::service::{
    DependencyView, Dependent, Issue, SectionMeta, SectionsMeta, ServiceDetail, Validation,
};
use super::versions::versions;
use crate::loader::{Loaded, Loader};
use crate::model::{ContractStatus, SourceKind};
use crate::snapshot::{MergedVersion, ServiceEntry, Snapshot};
use pacto_core::Finding;
use std::sync::Arc;

fn meta(state: &str, source: Option<SourceKind>, reason: Option<String>) -> SectionMeta {
    SectionMeta {
        state: state.to_string(),
        source,
        reason,
    }
}

fn list_meta(present: bool, source: Option<SourceKind>, empty_reason: &str) -> SectionMeta {
    if present {
        meta("present", source, None)
    } else {
        meta("empty", source, Some(empty_reason.to_string()))
    }
}

fn issues(f: &[Finding]) -> Vec<Issue> {
    f.iter()
        .map(|f| Issue {
            code: f.code.clone(),
            path: f.path.clone(),
            message: f.message.clone(),
        })
        .collect()
}

/// The service at `version` (or its current version).
pub async fn service_detail(
    snap: &Snapshot,
    svc: &ServiceEntry,
    version: Option<&str>,
    loader: &Loader,
) -> Result<ServiceDetail, QueryError> {
    let chosen: Option<&MergedVersion> = match version {
        Some(v) => Some(svc.version(v).ok_or_else(|| QueryError::NoVersion {
            name: svc.name.clone(),
            version: v.to_string(),
        })?),
        None => svc.current(),
    };
    let source = chosen.map(|m| m.record.source);
    let loaded: Result<Arc<Loaded>, String> = match chosen {
        Some(m) => loader
            .load(&m.record.locator)
            .await
            .map_err(|e| e.to_string()),
        None => Err("no contract source has this service (runtime state only)".into()),
    };
    let unavailable = |why: &str| meta("unavailable", source, Some(why.to_string()));
    let (mut d, contract_meta) = match &loaded {
        Ok(l) => (from_loaded(l), None),
        Err(e) => (empty_detail(), Some(e.clone())),
    };
    let summary = loaded
        .as_ref()
        .ok()
        .map(|l| l.summary.clone())
        .or_else(|| chosen.and_then(|m| m.record.summary.clone()));
    d.name = svc.name.clone();
    d.version = chosen
        .map(|m| m.record.version.clone())
        .or(svc.entry.version.clone());
    d.current_version = svc.current().map(|m| m.record.version.clone());
    d.owner = summary
        .as_ref()
        .and_then(|s| s.owner.clone())
        .or(svc.entry.owner.clone());
    d.namespaces = svc.entry.namespaces.clone();
    d.sources = svc.entry.sources.clone();
    d.source = source;
    d.blast_radius = svc.blast_radius;
    d.contract_status = match (&summary, version) {
        (Some(s), _) if !s.valid => ContractStatus::Invalid,
        // Runtime status describes what is deployed, not a historical version.
        (_, Some(_)) => ContractStatus::Reference,
        _ => svc.status,
    };
    if let Some(s) = &summary {
        d.validation = Validation {
            valid: s.valid,
            errors: issues(&s.errors),
            warnings: issues(&s.warnings),
        };
        d.references = s.references.clone();
        d.dependencies = s
            .dependencies
            .iter()
            .map(|dep| {
                let known = snap.resolve(&dep.name);
                DependencyView {
                    dependency: dep.clone(),
                    known: known.is_some(),
                    contract_status: known.map(|k| k.status),
                }
            })
            .collect();
    }
    d.dependents = svc
        .dependents
        .iter()
        .map(|(from, dep)| {
            let f = snap.services.get(from);
            Dependent {
                name: from.clone(),
                version: f.and_then(|f| f.entry.version.clone()),
                required: dep.required,
                compatibility: dep.compatibility.clone(),
                contract_status: f.map_or(ContractStatus::Unknown, |f| f.status),
            }
        })
        .collect();
    d.runtime = svc.runtime.iter().map(crate::runtime::view).collect();
    d.instances = svc.runtime.iter().map(crate::runtime::instance).collect();
    d.versions = versions(svc, loader).await;
    d.section_meta = match &contract_meta {
        Some(why) => SectionsMeta {
            overview: unavailable(why),
            interfaces: unavailable(why),
            capabilities: unavailable(why),
            configurations: unavailable(why),
            policies: unavailable(why),
            readiness: unavailable(why),
            docs: unavailable(why),
            sbom: unavailable(why),
            dependencies: if d.dependencies.is_empty() {
                unavailable(why)
            } else {
                meta("present", source, None)
            },
            ..placeholder_meta()
        },
        None => SectionsMeta {
            overview: if d.overview.is_some() {
                meta("present", source, None)
            } else {
                meta(
                    "unavailable",
                    source,
                    Some("the contract failed structural validation".into()),
                )
            },
            interfaces: list_meta(
                !d.interfaces.is_empty(),
                source,
                "the contract declares no interfaces",
            ),
            capabilities: list_meta(
                !d.capabilities.is_empty(),
                source,
                "the contract declares no capability (nor health or metrics endpoint)",
            ),
            configurations: list_meta(
                !d.configurations.is_empty(),
                source,
                "the contract declares no configuration",
            ),
            readiness: list_meta(
                d.readiness.is_some(),
                source,
                "the contract has no readiness assessment",
            ),
            policies: list_meta(
                !d.policies.is_empty(),
                source,
                "the contract declares no policy",
            ),
            docs: list_meta(!d.docs.is_empty(), source, "the bundle has no docs/*.md"),
            sbom: match &loaded {
                Ok(l) if l.view.sbom_error.is_some() => {
                    meta("unavailable", source, l.view.sbom_error.clone())
                }
                _ => list_meta(d.sbom.is_some(), source, "the bundle has no SBOM"),
            },
            dependencies: list_meta(
                !d.dependencies.is_empty(),
                source,
                "the contract declares no dependencies",
            ),
            ..placeholder_meta()
        },
    };
    d.section_meta.dependents = list_meta(
        !d.dependents.is_empty(),
        source,
        "no known service depends on this one",
    );
    d.section_meta.versions = list_meta(
        !d.versions.is_empty(),
        source,
        "no contract source lists versions",
    );
    let rt_reason = if snap
        .sources
        .iter()
        .any(|s| s.kind == SourceKind::K8s && s.enabled)
    {
        "no Pacto object in the watched namespaces targets this service"
    } else {
        "the k8s source is not active"
    };
    d.section_meta.runtime = if d.runtime.is_empty() {
        meta("empty", None, Some(rt_reason.into()))
    } else {
        meta("present", Some(SourceKind::K8s), None)
    };
    d.section_meta.conditions = if d.runtime.iter().any(|r| !r.conditions.is_empty()) {
        meta("present", Some(SourceKind::K8s), None)
    } else {
        meta("empty", None, Some(rt_reason.into()))
    };
    d.section_meta.findings = if d.runtime.iter().any(|r| !r.findings.is_empty()) {
        meta("present", Some(SourceKind::K8s), None)
    } else if d.runtime.is_empty() {
        meta("empty", None, Some(rt_reason.into()))
    } else {
        meta(
            "empty",
            Some(SourceKind::K8s),
            Some("the operator reported no findings".into()),
        )
    };
    if version.is_some() {
        d.runtime.clear();
        d.instances.clear();
        d.section_meta.runtime = meta(
            "empty",
            None,
            Some("runtime state is shown for the current version only".into()),
        );
        d.section_meta.conditions = d.section_meta.runtime.clone();
        d.section_meta.findings = d.section_meta.runtime.clone();
    }
    Ok(d)
}

fn placeholder_meta() -> SectionsMeta {
    let p = || meta("empty", None, None);
    SectionsMeta {
        overview: p(),
        interfaces: p(),
        capabilities: p(),
        configurations: p(),
        policies: p(),
        readiness: p(),
        dependencies: p(),
        dependents: p(),
        runtime: p(),
        findings: p(),
        conditions: p(),
        versions: p(),
        docs: p(),
        sbom: p(),
    }
}

fn empty_detail() -> ServiceDetail {
    ServiceDetail {
        name: String::new(),
        version: None,
        current_version: None,
        owner: None,
        namespaces: Vec::new(),
        contract_status: ContractStatus::Unknown,
        source: None,
        sources: Vec::new(),
        blast_radius: 0,
        validation: Validation {
            valid: true,
            errors: Vec::new(),
            warnings: Vec::new(),
        },
        overview: None,
        interfaces: Vec::new(),
        capabilities: Vec::new(),
        configurations: Vec::new(),
        policies: Vec::new(),
        readiness: None,
        dependencies: Vec::new(),
        references: Vec::new(),
        dependents: Vec::new(),
        runtime: Vec::new(),
        instances: Vec::new(),
        versions: Vec::new(),
        docs: Vec::new(),
        sbom: None,
        section_meta: placeholder_meta(),
    }
}

fn from_loaded(l: &Loaded) -> ServiceDetail {
    let v = &l.view;
    ServiceDetail {
        overview: v.overview.clone(),
        interfaces: v.interfaces.clone(),
        capabilities: v.capabilities.clone(),
        configurations: v.configurations.clone(),
        policies: v.policies.clone(),
        readiness: v.readiness.clone(),
        docs: v.docs.clone(),
        sbom: v.sbom.clone(),
        ..empty_detail()
    }
}
