//! A service's versions, newest first, each classified against the next older one.

use super::diff::diff;
use super::service::VersionInfo;
use crate::loader::Loader;
use crate::snapshot::{MergedVersion, ServiceEntry};

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
