//! Registry operations on Pacto bundles: push, pull, HEAD-resolve, tag listing and semver
//! resolution, over the capped registry client in [`wire`] (oci-client is used for its
//! manifest types only). Every call is bounded in time and every error names the reference.

mod blob;
mod options;
mod reads;
mod upload;
mod versions;
mod wire;

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;

use bytes::Bytes;
use pacto_core::Bundle;
use pacto_core::oci_ref::OciRef;

use crate::artifact::{self, BundleLabels, OCI_MANIFEST_MEDIA_TYPE, sha256_digest};
use crate::creds::{Credential, Keychain};
use crate::error::OciError;
use blob::{fetch_blob, layer_cap};

pub use options::{ENV_CA_FILE, RegistryOptions};
pub use reads::MAX_TAG_PAGES;
pub(crate) use versions::{parse_range, pick_version};
pub use wire::{MAX_ERROR_BODY_BYTES, MAX_REDIRECTS, MAX_TAG_LIST_BYTES, MAX_TOKEN_REPLY_BYTES};

/// Result of a push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushResult {
    /// The reference written (with the tag actually used).
    pub reference: OciRef,
    /// Manifest digest (`sha256:…`).
    pub digest: String,
}

/// A pulled, verified and unpacked bundle.
#[derive(Debug, Clone)]
pub struct Pulled {
    /// The reference pulled (with the tag chosen by resolution, if any).
    pub reference: OciRef,
    pub digest: String,
    pub bundle: Bundle,
    /// `io.pacto.*` labels, when the config carries them.
    pub labels: Option<BundleLabels>,
    /// The verified manifest and layer bytes, as the cache stores them.
    pub manifest: Vec<u8>,
    pub layer: Vec<u8>,
}

/// A registry client for Pacto bundles. Cheap to share behind an `Arc`.
pub struct RegistryClient {
    /// Every request (reads, pushes, token flow) with every answer capped as it streams.
    wire: wire::Wire,
    keychain: Keychain,
    opts: RegistryOptions,
    /// Credentials resolved once per registry (helpers may spawn processes).
    auth_cache: Mutex<HashMap<String, Credential>>,
}

impl RegistryClient {
    pub fn new(keychain: Keychain, opts: RegistryOptions) -> Result<Self, OciError> {
        // ring is the only compiled rustls provider; ignore "already installed".
        let _ = rustls::crypto::ring::default_provider().install_default();
        Ok(Self {
            wire: wire::Wire::new(&opts)?,
            keychain,
            opts,
            auth_cache: Mutex::new(HashMap::new()),
        })
    }

    pub fn options(&self) -> &RegistryOptions {
        &self.opts
    }

    /// The credential for the ref's registry, resolved once per registry.
    fn credential(&self, r: &OciRef) -> Result<Credential, OciError> {
        let cached = self
            .auth_cache
            .lock()
            .ok()
            .and_then(|c| c.get(&r.registry).cloned());
        if let Some(c) = cached {
            return Ok(c);
        }
        let resolved = self.keychain.resolve(&r.registry)?;
        tracing::debug!(registry = %r.registry, source = %resolved.source, "credentials");
        if let Ok(mut c) = self.auth_cache.lock() {
            c.insert(r.registry.clone(), resolved.credential.clone());
        }
        Ok(resolved.credential)
    }

    /// Whether the token service of a Bearer `challenge` from `r`'s registry hands out a
    /// token for `credential`; its reply is read under the token cap.
    pub(crate) async fn check_token_service(
        &self,
        r: &OciRef,
        credential: &Credential,
        challenge: &str,
    ) -> Result<(), OciError> {
        let target = self.wire.target(r, credential)?;
        self.bounded(r, self.wire.check_bearer(&target, challenge))
            .await
    }

    /// Runs one operation under the overall deadline.
    async fn bounded<T>(
        &self,
        r: &OciRef,
        fut: impl Future<Output = Result<T, OciError>>,
    ) -> Result<T, OciError> {
        match tokio::time::timeout(self.opts.operation_timeout, fut).await {
            Ok(res) => res,
            Err(_) => Err(OciError::Timeout {
                reference: r.to_string(),
                after: self.opts.operation_timeout,
            }),
        }
    }

    /// Pushes `bundle` (deterministically packed) to `r`. Without a tag, the service
    /// version from `pacto.yaml` is used as the tag.
    pub async fn push(&self, r: &OciRef, bundle: &Bundle) -> Result<PushResult, OciError> {
        let shown = r.to_string();
        let text = bundle.contract_text().ok_or_else(|| OciError::Pack {
            reference: shown.clone(),
            detail: "the bundle has no pacto.yaml".into(),
        })?;
        let labels = BundleLabels::from_contract_text(text).map_err(|e| OciError::Pack {
            reference: shown.clone(),
            detail: e.to_string(),
        })?;
        let target = if r.digest.is_some() {
            return Err(OciError::Pack {
                reference: shown,
                detail: "cannot push to a digest reference; give a tag".into(),
            });
        } else if r.tag.is_some() {
            r.clone()
        } else {
            r.with_tag(&labels.version)?
        };
        let layer = bundle.to_tar_gz().map_err(|e| OciError::Pack {
            reference: shown.clone(),
            detail: e.to_string(),
        })?;
        let prepared = artifact::prepare(layer, &labels).map_err(|e| OciError::Pack {
            reference: shown.clone(),
            detail: e.to_string(),
        })?;
        self.push_prepared(&target, &prepared).await?;
        Ok(PushResult {
            reference: target,
            digest: prepared.manifest_digest,
        })
    }

    /// Uploads layer, config and manifest exactly as given (also used by tests to craft
    /// hostile artifacts). Returns the manifest digest.
    pub async fn push_prepared(
        &self,
        r: &OciRef,
        p: &artifact::PreparedArtifact,
    ) -> Result<String, OciError> {
        self.push_raw(
            r,
            &[(&p.layer, &p.layer_digest), (&p.config, &p.config_digest)],
            &p.manifest,
            OCI_MANIFEST_MEDIA_TYPE,
        )
        .await
    }

    /// Uploads blobs then a manifest with the given content type. Returns its digest.
    pub async fn push_raw(
        &self,
        r: &OciRef,
        blobs: &[(&Vec<u8>, &String)],
        manifest: &[u8],
        manifest_media_type: &str,
    ) -> Result<String, OciError> {
        let content_type =
            http::HeaderValue::from_str(manifest_media_type).map_err(|e| OciError::Pack {
                reference: r.to_string(),
                detail: format!("bad media type: {e}"),
            })?;
        self.bounded(r, async {
            let credential = self.credential(r)?;
            let t = self.wire.target(r, &credential)?.for_push();
            for (data, digest) in blobs {
                if !upload::blob_exists(&self.wire, &t, digest).await? {
                    let data = Bytes::copy_from_slice(data);
                    upload::upload_blob(&self.wire, &t, data, digest).await?;
                }
            }
            upload::put_manifest(&self.wire, &t, manifest, content_type).await
        })
        .await
    }

    /// HEAD: the manifest digest the ref currently points to.
    pub async fn resolve_digest(&self, r: &OciRef) -> Result<String, OciError> {
        self.bounded(r, async {
            let credential = self.credential(r)?;
            let target = self.wire.target(r, &credential)?;
            reads::head_digest(&self.wire, &target).await
        })
        .await
    }

    /// Whether the ref exists (HEAD); any error other than "not found" is returned.
    pub async fn exists(&self, r: &OciRef) -> Result<bool, OciError> {
        match self.resolve_digest(r).await {
            Ok(_) => Ok(true),
            Err(OciError::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Every tag of the repository.
    pub async fn list_tags(&self, r: &OciRef) -> Result<Vec<String>, OciError> {
        self.bounded(r, async {
            let credential = self.credential(r)?;
            let target = self.wire.target(r, &credential)?;
            reads::list_tags(&self.wire, &target).await
        })
        .await
    }

    /// An explicit tag or digest is returned unchanged (the range is not checked against
    /// it, as in the reference); otherwise the highest semver tag satisfying `range`
    /// (`None` or empty: any semver tag, prereleases included).
    pub async fn resolve_version(
        &self,
        r: &OciRef,
        range: Option<&str>,
    ) -> Result<OciRef, OciError> {
        if r.has_explicit_tag() {
            return Ok(r.clone());
        }
        let constraint = parse_range(r, range)?;
        let tags = self.list_tags(r).await?;
        pick_version(r, &tags, constraint.as_ref())
    }

    /// Pulls, verifies and unpacks a bundle. An untagged ref is first resolved to its
    /// highest semver tag.
    pub async fn pull(&self, r: &OciRef) -> Result<Pulled, OciError> {
        let target = self.resolve_version(r, None).await?;
        let limits = self.opts.limits;
        self.bounded(&target, async {
            let credential = self.credential(&target)?;
            let to = self.wire.target(&target, &credential)?;
            let (manifest, header_digest) = reads::get_manifest(&self.wire, &to).await?;
            let header_digest = header_digest.unwrap_or_default();
            let digest = sha256_digest(&manifest);
            let invalid = |reason: String| OciError::InvalidArtifact {
                reference: target.to_string(),
                reason,
            };
            if let Some(want) = &target.digest
                && want.starts_with("sha256:")
                && *want != digest
            {
                return Err(invalid(format!(
                    "manifest digest mismatch: asked for {want}, got {digest}"
                )));
            }
            if header_digest.starts_with("sha256:") && header_digest != digest {
                return Err(invalid(format!(
                    "manifest digest mismatch: registry says {header_digest}, content is {digest}"
                )));
            }
            let max_layer = layer_cap(&limits);
            let checked = artifact::check_manifest(&manifest, max_layer)
                .map_err(|e| invalid(e.to_string()))?;
            let config = fetch_blob(&self.wire, &to, &checked.config, "config").await?;
            let layer = fetch_blob(&self.wire, &to, &checked.layer, "layer").await?;
            let bundle =
                Bundle::from_tar_gz(&layer, &limits).map_err(|source| OciError::Bundle {
                    reference: target.to_string(),
                    source,
                })?;
            Ok(Pulled {
                reference: target.clone(),
                digest,
                bundle,
                labels: BundleLabels::from_config_blob(&config),
                manifest,
                layer,
            })
        })
        .await
    }
}

#[cfg(test)]
mod tests;
