//! The four sources and how one snapshot's inputs are collected from them (k8s gives
//! runtime state, revisions and, lowest priority, the inline contracts of Pacto objects).

pub mod cache;
pub mod k8s;
pub mod local;
pub mod oci;

use crate::model::{Inputs, SourceInfo, SourceKind, VersionRecord};
use pacto_oci::CachedRegistry;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

/// A repository's last scan: its versions and an error code.
pub struct RepoScan {
    pub versions: Vec<VersionRecord>,
    pub error: Option<&'static str>,
}

pub struct Sources {
    pub local: Option<Arc<local::LocalSource>>,
    pub cache: Option<Arc<cache::CacheSource>>,
    pub cache_reason: String,
    pub oci: Option<Arc<CachedRegistry>>,
    pub oci_reason: String,
    /// Configured repositories plus those discovered from Pacto statuses.
    pub repos: Mutex<BTreeSet<String>>,
    /// Last scan per repository (OCI is rescanned on its own, slower, schedule).
    pub oci_scans: Mutex<BTreeMap<String, RepoScan>>,
    pub k8s: Option<k8s::K8sSource>,
    pub k8s_reason: String,
}

impl Sources {
    /// Contract and runtime records of every active source, and each source's state.
    pub async fn collect(&self, rescan_oci: bool) -> Inputs {
        let mut inputs = Inputs::default();
        let mut infos = Vec::new();
        // k8s first: its statuses name OCI repositories to discover.
        match &self.k8s {
            Some(k) => {
                inputs.runtime = k.runtime();
                inputs.revisions = k.revisions();
                let (pactos, inline) = (k.pactos(), k.inline.clone());
                let recs = tokio::task::spawn_blocking(move || inline.records(&pactos))
                    .await
                    .unwrap_or_default();
                let inline_count = recs.len();
                inputs.versions.extend(recs);
                if self.oci.is_some() {
                    let mut repos = lock(&self.repos);
                    for r in &inputs.runtime {
                        if let Some(name) = r
                            .status
                            .resolved_ref
                            .as_deref()
                            .and_then(|x| oci::repo_name(x).ok())
                        {
                            repos.insert(name);
                        }
                    }
                }
                let mut k8s = info(
                    SourceKind::K8s,
                    true,
                    format!(
                        "watching Pacto and PactoRevision objects in {} ({inline_count} inline contract(s))",
                        k.scope
                    ),
                    count(inputs.runtime.iter().map(|r| &r.service)),
                    None,
                );
                k8s.namespaces = (!k.scope.is_all()).then(|| k.scope.names().to_vec());
                infos.push(k8s);
            }
            None => infos.push(info(
                SourceKind::K8s,
                false,
                self.k8s_reason.clone(),
                0,
                None,
            )),
        }
        if let Some(l) = &self.local {
            let scanner = l.clone();
            let recs = tokio::task::spawn_blocking(move || scanner.scan())
                .await
                .unwrap_or_default();
            let reason = format!(
                "{} bundle(s) under {}",
                recs.len(),
                l.roots()
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            infos.push(info(
                SourceKind::Local,
                true,
                reason,
                count(recs.iter().map(|r| &r.name)),
                None,
            ));
            inputs.versions.extend(recs);
        } else {
            infos.push(info(
                SourceKind::Local,
                false,
                "no directory given".into(),
                0,
                None,
            ));
        }
        match &self.oci {
            Some(client) => {
                let repos: Vec<String> = lock(&self.repos).iter().cloned().collect();
                for repo in &repos {
                    let known = lock(&self.oci_scans).contains_key(repo);
                    if rescan_oci || !known {
                        let scan = oci::scan_repo(client, repo).await;
                        lock(&self.oci_scans).insert(
                            repo.clone(),
                            RepoScan {
                                versions: scan.records,
                                error: scan.error,
                            },
                        );
                    }
                }
                let scans = lock(&self.oci_scans);
                let mut errors: Vec<String> = Vec::new();
                let mut n = 0;
                for (
                    repo,
                    RepoScan {
                        versions: recs,
                        error: err,
                    },
                ) in scans.iter()
                {
                    if let Some(e) = err {
                        errors.push(format!("{repo}: {e}"));
                    }
                    n += usize::from(!recs.is_empty());
                    inputs.versions.extend(recs.iter().cloned());
                }
                let reason = format!(
                    "{} repositor{} ({} readable)",
                    repos.len(),
                    if repos.len() == 1 { "y" } else { "ies" },
                    n
                );
                let error = (!errors.is_empty()).then(|| errors.join("; "));
                infos.push(info(SourceKind::Oci, true, reason, n as u32, error));
            }
            None => infos.push(info(
                SourceKind::Oci,
                false,
                self.oci_reason.clone(),
                0,
                None,
            )),
        }
        match &self.cache {
            Some(c) => {
                let src = c.clone();
                let recs = tokio::task::spawn_blocking(move || src.scan())
                    .await
                    .unwrap_or_default();
                let reason = format!(
                    "{} cached bundle(s) in {} (offline copies of pulled versions)",
                    recs.len(),
                    c.root().display()
                );
                infos.push(info(
                    SourceKind::Cache,
                    true,
                    reason,
                    count(recs.iter().map(|r| &r.name)),
                    None,
                ));
                inputs.versions.extend(recs);
            }
            None => infos.push(info(
                SourceKind::Cache,
                false,
                self.cache_reason.clone(),
                0,
                None,
            )),
        }
        infos.sort_by_key(|i| i.kind);
        inputs.sources = infos;
        inputs
    }
}

fn count<'a>(names: impl Iterator<Item = &'a String>) -> u32 {
    names.collect::<BTreeSet<_>>().len() as u32
}

fn info(
    kind: SourceKind,
    enabled: bool,
    reason: String,
    service_count: u32,
    error: Option<String>,
) -> SourceInfo {
    SourceInfo {
        kind,
        enabled,
        reason,
        service_count,
        error,
        namespaces: None,
    }
}

pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}
