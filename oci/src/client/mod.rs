//! Registry operations on Pacto bundles: push, pull, HEAD-resolve, tag listing and semver
//! resolution, on top of `oci-client`. Every call is bounded in time and every error names
//! the reference.

mod blob;
mod error_map;
mod options;
mod reads;
mod versions;
mod wire;

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;

use oci_client::client::{Certificate, CertificateEncoding, ClientConfig, ClientProtocol};
use oci_client::secrets::RegistryAuth;
use oci_client::{Client, Reference};
use pacto_core::Bundle;
use pacto_core::oci_ref::OciRef;

use crate::artifact::{self, BundleLabels, OCI_MANIFEST_MEDIA_TYPE, sha256_digest};
use crate::creds::{Credential, Keychain};
use crate::error::OciError;
use crate::transport::plain_http_allowed;
use blob::{fetch_blob, layer_cap};

pub(crate) use error_map::map_err;
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
    https: Client,
    http: Client,
    /// Reads (manifests, tags, blobs of a pull) with every answer capped as it streams;
    /// oci-client is kept for pushes.
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
        let extra_roots = match &opts.ca_file {
            Some(path) => vec![Certificate {
                encoding: CertificateEncoding::Pem,
                data: std::fs::read(path).map_err(|e| OciError::CaFile {
                    path: path.display().to_string(),
                    detail: e.to_string(),
                })?,
            }],
            None => Vec::new(),
        };
        let build = |protocol: ClientProtocol| -> Result<Client, OciError> {
            let cfg = ClientConfig {
                protocol,
                extra_root_certificates: extra_roots.clone(),
                connect_timeout: Some(opts.connect_timeout),
                read_timeout: Some(opts.operation_timeout),
                ..ClientConfig::default()
            };
            Client::try_from(cfg).map_err(|e| OciError::CaFile {
                path: opts
                    .ca_file
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
                detail: e.to_string(),
            })
        };
        Ok(Self {
            https: build(ClientProtocol::Https)?,
            http: build(ClientProtocol::Http)?,
            wire: wire::Wire::new(&opts)?,
            keychain,
            opts,
            auth_cache: Mutex::new(HashMap::new()),
        })
    }

    pub fn options(&self) -> &RegistryOptions {
        &self.opts
    }

    pub(crate) fn client_for(&self, r: &OciRef) -> &Client {
        if plain_http_allowed(r, &self.opts.insecure_registries) {
            &self.http
        } else {
            &self.https
        }
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

    /// Resolves credentials for the ref's registry and hands them to oci-client, which
    /// keys them by that registry only.
    async fn prepare(&self, r: &OciRef) -> Result<(Reference, RegistryAuth), OciError> {
        let reference = to_reference(r);
        let auth = match self.credential(r)? {
            Credential::Anonymous => RegistryAuth::Anonymous,
            Credential::Basic { username, password } => RegistryAuth::Basic(username, password),
            Credential::Bearer(t) => RegistryAuth::Bearer(t),
        };
        self.client_for(r)
            .store_auth_if_needed(reference.resolve_registry(), &auth)
            .await;
        Ok((reference, auth))
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
        let shown = r.to_string();
        let content_type =
            http::HeaderValue::from_str(manifest_media_type).map_err(|e| OciError::Pack {
                reference: shown.clone(),
                detail: format!("bad media type: {e}"),
            })?;
        self.bounded(r, async {
            let (reference, _auth) = self.prepare(r).await?;
            let client = self.client_for(r);
            for (data, digest) in blobs {
                let exists = client
                    .blob_exists(&reference, digest)
                    .await
                    .map_err(|e| map_err(r, e))?;
                if !exists {
                    client
                        .push_blob(&reference, (*data).clone(), digest)
                        .await
                        .map_err(|e| map_err(r, e))?;
                }
            }
            client
                .push_manifest_raw(&reference, manifest.to_vec(), content_type)
                .await
                .map_err(|e| map_err(r, e))?;
            Ok(sha256_digest(manifest))
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

fn to_reference(r: &OciRef) -> Reference {
    let (reg, repo) = (r.registry.clone(), r.repository.clone());
    match (&r.tag, &r.digest) {
        (Some(t), Some(d)) => Reference::with_tag_and_digest(reg, repo, t.clone(), d.clone()),
        (None, Some(d)) => Reference::with_digest(reg, repo, d.clone()),
        (Some(t), None) => Reference::with_tag(reg, repo, t.clone()),
        // Only reached for tag listing, where the tag is not used.
        (None, None) => Reference::with_tag(reg, repo, "latest".into()),
    }
}

#[cfg(test)]
mod tests;
