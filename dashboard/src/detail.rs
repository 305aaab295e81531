//! Assembling a service answer: contract sections from the winning source's version,
//! the k8s overlay, dependents, versions with classifications; each section says where
//! it came from or why it is empty.

use crate::api::types::*;
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
) -> Result<ServiceDetail, DetailError> {
    let chosen: Option<&MergedVersion> = match version {
        Some(v) => Some(svc.version(v).ok_or(DetailError::NoVersion)?),
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
    d.versions = versions(svc, loader).await;
    d.section_meta = match &contract_meta {
        Some(why) => SectionsMeta {
            overview: unavailable(why),
            interfaces: unavailable(why),
            configurations: unavailable(why),
            policies: unavailable(why),
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
            configurations: list_meta(
                !d.configurations.is_empty(),
                source,
                "the contract declares no configuration",
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
    if version.is_some() {
        d.runtime.clear();
        d.section_meta.runtime = meta(
            "empty",
            None,
            Some("runtime state is shown for the current version only".into()),
        );
        d.section_meta.conditions = d.section_meta.runtime.clone();
    }
    Ok(d)
}

#[derive(Debug, thiserror::Error)]
pub enum DetailError {
    #[error("no such version")]
    NoVersion,
}

fn placeholder_meta() -> SectionsMeta {
    let p = || meta("empty", None, None);
    SectionsMeta {
        overview: p(),
        interfaces: p(),
        configurations: p(),
        policies: p(),
        dependencies: p(),
        dependents: p(),
        runtime: p(),
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
        configurations: Vec::new(),
        policies: Vec::new(),
        dependencies: Vec::new(),
        references: Vec::new(),
        dependents: Vec::new(),
        runtime: Vec::new(),
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
        configurations: v.configurations.clone(),
        policies: v.policies.clone(),
        docs: v.docs.clone(),
        sbom: v.sbom.clone(),
        ..empty_detail()
    }
}

/// Versions newest first, each classified against the next older one when both
/// bundles can be read (results memoised by content hash).
pub async fn versions(svc: &ServiceEntry, loader: &Loader) -> Vec<VersionInfo> {
    let current = svc.current().map(|m| m.record.version.clone());
    let mut out = Vec::with_capacity(svc.versions.len());
    for (i, m) in svc.versions.iter().enumerate() {
        let older = svc.versions.get(i + 1);
        let classification = match older {
            Some(o) => classify(o, m, loader).await,
            None => None,
        };
        let created_at = svc
            .revisions
            .iter()
            .find(|r| r.version == m.record.version)
            .and_then(|r| r.created_at.clone());
        out.push(VersionInfo {
            version: m.record.version.clone(),
            source: m.record.source,
            sources: m.sources.clone(),
            contract_hash: m.record.summary.as_ref().map(|s| s.contract_hash.clone()),
            valid: m.record.summary.as_ref().map(|s| s.valid),
            classification,
            previous: older.map(|o| o.record.version.clone()),
            is_current: Some(&m.record.version) == current.as_ref(),
            created_at,
        });
    }
    out
}

async fn classify(old: &MergedVersion, new: &MergedVersion, loader: &Loader) -> Option<String> {
    let key = |m: &MergedVersion| m.record.summary.as_ref().map(|s| s.contract_hash.clone());
    if let (Some(a), Some(b)) = (key(old), key(new))
        && let Some(c) = loader.classification(&a, &b)
    {
        return Some(c);
    }
    let a = loader.load(&old.record.locator).await.ok()?;
    let b = loader.load(&new.record.locator).await.ok()?;
    let c = diff(&a, &b)?.classification;
    loader.remember_classification(&a.summary.contract_hash, &b.summary.contract_hash, &c);
    Some(c)
}

/// The core's contract diff, in wire form; `None` when either side failed validation.
pub fn diff(old: &Loaded, new: &Loaded) -> Option<DiffBody> {
    let (a, b) = (old.contract.as_ref()?, new.contract.as_ref()?);
    let d = pacto_core::diff::diff_contracts(a, &old.bundle, b, &new.bundle);
    Some(DiffBody {
        classification: d.classification.as_str().to_string(),
        changes: d
            .changes
            .into_iter()
            .map(|c| ChangeView {
                path: c.path,
                change_type: c.change_type.as_str().to_string(),
                classification: c.classification.as_str().to_string(),
                reason: c.reason,
                old_value: c.old_value,
                new_value: c.new_value,
            })
            .collect(),
    })
}

pub struct DiffBody {
    pub classification: String,
    pub changes: Vec<ChangeView>,
}
