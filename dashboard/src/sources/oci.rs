//! The OCI source: repositories from arguments/env (and discovered from Pacto statuses).
//! Tags are listed; only the newest is pulled for the list, every other version is
//! pulled when someone views it (through the loader's byte-bounded LRU). Pulls go through
//! the OCI crate's digest-keyed cache, so a version already on disk is not downloaded again.
//!
//! Tenant isolation: unlike the operator, the dashboard never reads a Pacto's pull Secret.
//! Everything it shows was fetched with its own credential (environment credentials only for
//! the hosts `PACTO_REGISTRY_HOST` lists), and a ref discovered in a namespace is reduced to
//! its repository ([`repo_name`]: tag and digest dropped) whose tags are listed from the
//! registry on every rescan, so naming a digest grants nothing that the dashboard's own
//! credential was not granted. What it has, it shows to whoever may reach it: its audience is
//! whoever may reach its Service (token, Host guard), over its own `--namespaces` scope.

use crate::model::{Locator, SourceKind, VersionRecord};
use crate::summarize::{identity, summarize};
use crate::version_order::newest_first;
use pacto_core::Bundle;
use pacto_core::oci_ref::{self, OciRef};
use pacto_oci::{CachedRegistry, OciError};
use std::sync::Arc;

/// What one repository gave: its versions, or an error code.
pub struct RepoScan {
    pub repo: String,
    pub records: Vec<VersionRecord>,
    pub error: Option<&'static str>,
}

/// Registry errors as codes, never with hosts, credentials or tokens.
pub fn error_code(e: &OciError) -> &'static str {
    match e.category() {
        "auth" => "auth_failed",
        "not_found" => "not_found",
        "unreachable" => "unreachable",
        "invalid_ref" => "invalid_ref",
        "no_matching_version" => "no_semver_tags",
        "invalid_bundle" => "invalid_bundle",
        _ => "registry_error",
    }
}

/// `oci://host/repo[:tag]` → `host/repo` (tag and digest dropped).
pub fn repo_name(reference: &str) -> Result<String, &'static str> {
    oci_ref::parse(reference)
        .map(|r| r.name())
        .map_err(|_| "invalid_ref")
}

pub async fn scan_repo(client: &CachedRegistry, repo: &str) -> RepoScan {
    let fail = |code| RepoScan {
        repo: repo.to_string(),
        records: Vec::new(),
        error: Some(code),
    };
    let base = match oci_ref::parse(repo) {
        Ok(r) => r,
        Err(_) => return fail("invalid_ref"),
    };
    let mut tags = match client.list_tags(&base).await {
        Ok(t) => t,
        Err(e) => return fail(error_code(&e)),
    };
    tags.retain(|t| semver::Version::parse(t).is_ok());
    tags.sort_by(|a, b| newest_first(a, b));
    let Some(newest) = tags.first().cloned() else {
        return fail("no_semver_tags");
    };
    let newest_ref = match base.with_tag(&newest) {
        Ok(r) => r,
        Err(_) => return fail("invalid_ref"),
    };
    let pulled = match client.pull(&newest_ref).await {
        Ok(p) => p,
        Err(e) => return fail(error_code(&e)),
    };
    let name = identity(&pulled.bundle).name;
    let name = name.unwrap_or_else(|| base.repository.rsplit('/').next().unwrap_or("").to_string());
    let summary = Arc::new(summarize(&pulled.bundle));
    let records = tags
        .iter()
        .filter_map(|t| {
            let r = base.with_tag(t).ok()?;
            Some(VersionRecord {
                name: name.clone(),
                version: t.clone(),
                source: SourceKind::Oci,
                locator: Locator::Oci(r.to_string()),
                summary: (*t == newest).then(|| summary.clone()),
            })
        })
        .collect();
    RepoScan {
        repo: repo.to_string(),
        records,
        error: None,
    }
}

pub async fn pull(client: &CachedRegistry, reference: &str) -> Result<Bundle, String> {
    let r: OciRef = oci_ref::parse(reference).map_err(|_| "invalid_ref".to_string())?;
    client
        .pull(&r)
        .await
        .map(|p| p.bundle.clone())
        .map_err(|e| error_code(&e).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_names_drop_tags_and_bad_refs_are_codes() {
        assert_eq!(
            repo_name("oci://ghcr.io/acme/svc:1.0.0").unwrap(),
            "ghcr.io/acme/svc"
        );
        assert_eq!(repo_name("not a ref"), Err("invalid_ref"));
    }

    #[test]
    fn registry_errors_become_codes_without_details() {
        let e = OciError::Auth {
            reference: "r".into(),
            registry: "secret.example".into(),
            detail: "token=abc".into(),
        };
        assert_eq!(error_code(&e), "auth_failed");
        let e = OciError::Unreachable {
            reference: "r".into(),
            detail: "x".into(),
        };
        assert_eq!(error_code(&e), "unreachable");
    }
}
