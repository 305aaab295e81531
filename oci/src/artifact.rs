//! The Pacto bundle artifact format, as pure functions: building the config blob and the
//! manifest for a push, and checking a pulled manifest before any blob is fetched.

use std::collections::BTreeMap;
use std::io::Read;

use oci_client::manifest::{OciDescriptor, OciImageManifest};
use serde::Deserialize;
use sha2::{Digest, Sha256};

mod error;

pub use error::{ArtifactError, PackError};

/// The single layer: gzip(tar) of the bundle directory.
pub const LAYER_MEDIA_TYPE: &str = "application/vnd.pacto.bundle.layer.v1.tar+gzip";
pub const OCI_MANIFEST_MEDIA_TYPE: &str = "application/vnd.oci.image.manifest.v1+json";
pub const DOCKER_MANIFEST_MEDIA_TYPE: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const OCI_CONFIG_MEDIA_TYPE: &str = "application/vnd.oci.image.config.v1+json";
/// What the Go CLI pushes (a go-containerregistry image config).
pub const DOCKER_CONFIG_MEDIA_TYPE: &str = "application/vnd.docker.container.image.v1+json";
pub const OCI_EMPTY_CONFIG_MEDIA_TYPE: &str = "application/vnd.oci.empty.v1+json";
pub const INDEX_MEDIA_TYPES: [&str; 2] = [
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
];

pub const LABEL_NAME: &str = "io.pacto.name";
pub const LABEL_VERSION: &str = "io.pacto.version";
pub const LABEL_PACTO_VERSION: &str = "io.pacto.pactoVersion";

/// Largest config blob read on pull; real ones are a few hundred bytes.
pub const MAX_CONFIG_SIZE: u64 = 1024 * 1024;
/// Largest manifest accepted.
pub const MAX_MANIFEST_SIZE: usize = 4 * 1024 * 1024;

/// `io.pacto.*` labels written into the config blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleLabels {
    pub name: String,
    pub version: String,
    pub pacto_version: String,
}

impl BundleLabels {
    /// Reads the three fields from `pacto.yaml` text without full validation (the caller
    /// validates before pushing); absent fields become empty strings.
    pub fn from_contract_text(text: &str) -> Result<BundleLabels, PackError> {
        let v: serde_json::Value =
            serde_saphyr::from_str(text).map_err(|e| PackError::NotYaml(Box::new(e)))?;
        let s = |v: Option<&serde_json::Value>| match v {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        let service = v.get("service");
        Ok(BundleLabels {
            name: s(service.and_then(|x| x.get("name"))),
            version: s(service.and_then(|x| x.get("version"))),
            pacto_version: s(v.get("pactoVersion")),
        })
    }

    /// Labels from a pulled config blob (OCI or Docker image config); `None` if absent.
    pub fn from_config_blob(blob: &[u8]) -> Option<BundleLabels> {
        #[derive(Deserialize)]
        struct Cfg {
            config: Option<Inner>,
        }
        #[derive(Deserialize)]
        struct Inner {
            #[serde(rename = "Labels")]
            labels: Option<BTreeMap<String, String>>,
        }
        let cfg: Cfg = serde_json::from_slice(blob).ok()?;
        let labels = cfg.config?.labels?;
        Some(BundleLabels {
            name: labels.get(LABEL_NAME).cloned().unwrap_or_default(),
            version: labels.get(LABEL_VERSION).cloned().unwrap_or_default(),
            pacto_version: labels.get(LABEL_PACTO_VERSION).cloned().unwrap_or_default(),
        })
    }
}

pub fn sha256_digest(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

/// Everything a push uploads, with digests computed once.
#[derive(Debug, Clone)]
pub struct PreparedArtifact {
    pub layer: Vec<u8>,
    pub layer_digest: String,
    pub config: Vec<u8>,
    pub config_digest: String,
    pub manifest: Vec<u8>,
    pub manifest_digest: String,
}

/// Builds config and manifest around an already packed (deterministic) layer. The config is
/// an OCI image config carrying only the labels and the layer's diff ID, with no timestamps,
/// so the same bundle always yields the same manifest digest.
pub fn prepare(layer: Vec<u8>, labels: &BundleLabels) -> Result<PreparedArtifact, PackError> {
    let diff_id = uncompressed_digest(&layer)?;
    let config_json = serde_json::json!({
        "architecture": "",
        "config": {
            "Labels": {
                LABEL_NAME: labels.name,
                LABEL_PACTO_VERSION: labels.pacto_version,
                LABEL_VERSION: labels.version,
            }
        },
        "os": "",
        "rootfs": { "diff_ids": [diff_id], "type": "layers" },
    });
    let config = serde_json::to_vec(&config_json)?;
    let layer_digest = sha256_digest(&layer);
    let config_digest = sha256_digest(&config);
    let manifest = OciImageManifest {
        schema_version: 2,
        media_type: Some(OCI_MANIFEST_MEDIA_TYPE.to_string()),
        config: OciDescriptor {
            media_type: OCI_CONFIG_MEDIA_TYPE.to_string(),
            digest: config_digest.clone(),
            size: config.len() as i64,
            ..OciDescriptor::default()
        },
        layers: vec![OciDescriptor {
            media_type: LAYER_MEDIA_TYPE.to_string(),
            digest: layer_digest.clone(),
            size: layer.len() as i64,
            ..OciDescriptor::default()
        }],
        subject: None,
        artifact_type: None,
        annotations: None,
    };
    let manifest = serde_json::to_vec(&manifest)?;
    let manifest_digest = sha256_digest(&manifest);
    Ok(PreparedArtifact {
        layer,
        layer_digest,
        config,
        config_digest,
        manifest,
        manifest_digest,
    })
}

/// `sha256` of the gunzipped layer: the image config's `rootfs.diff_ids` entry, which
/// go-containerregistry readers may check.
fn uncompressed_digest(gz: &[u8]) -> Result<String, PackError> {
    let mut dec = flate2::read::GzDecoder::new(gz);
    let mut hasher = Sha256::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = dec.read(&mut buf).map_err(PackError::NotGzip)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(format!("sha256:{}", hex::encode(hasher.finalize())))
}

/// What pull needs from a checked manifest.
#[derive(Debug, Clone)]
pub struct CheckedManifest {
    pub config: OciDescriptor,
    pub layer: OciDescriptor,
}

/// Parses a pulled manifest and enforces the bundle shape: an image manifest (OCI or Docker
/// v2), a known config media type, exactly one layer of the Pacto layer type, sane sizes.
pub fn check_manifest(bytes: &[u8], max_layer_size: u64) -> Result<CheckedManifest, ArtifactError> {
    if bytes.len() > MAX_MANIFEST_SIZE {
        return Err(ArtifactError::ManifestTooLarge(bytes.len()));
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Probe {
        schema_version: Option<i64>,
        media_type: Option<String>,
    }
    let probe: Probe = serde_json::from_slice(bytes).map_err(ArtifactError::ManifestNotJson)?;
    if let Some(mt) = probe.media_type.as_deref() {
        if INDEX_MEDIA_TYPES.contains(&mt) {
            return Err(ArtifactError::ImageIndex(mt.to_string()));
        }
        if mt != OCI_MANIFEST_MEDIA_TYPE && mt != DOCKER_MANIFEST_MEDIA_TYPE {
            return Err(ArtifactError::ManifestMediaType(mt.to_string()));
        }
    }
    if probe.schema_version != Some(2) {
        return Err(ArtifactError::SchemaVersion(probe.schema_version));
    }
    let m: OciImageManifest =
        serde_json::from_slice(bytes).map_err(ArtifactError::MalformedManifest)?;
    let allowed_configs = [
        OCI_CONFIG_MEDIA_TYPE,
        DOCKER_CONFIG_MEDIA_TYPE,
        OCI_EMPTY_CONFIG_MEDIA_TYPE,
    ];
    if !allowed_configs.contains(&m.config.media_type.as_str()) {
        return Err(ArtifactError::ConfigMediaType(m.config.media_type));
    }
    check_descriptor("config", &m.config, MAX_CONFIG_SIZE)?;
    let layer = match m.layers.as_slice() {
        [] => return Err(ArtifactError::NoLayers),
        [one] => one.clone(),
        many => {
            return Err(ArtifactError::ManyLayers(many.len()));
        }
    };
    if layer.media_type != LAYER_MEDIA_TYPE {
        return Err(ArtifactError::LayerMediaType(layer.media_type));
    }
    check_descriptor("layer", &layer, max_layer_size)?;
    Ok(CheckedManifest {
        config: m.config,
        layer,
    })
}

fn check_descriptor(what: &str, d: &OciDescriptor, max: u64) -> Result<(), ArtifactError> {
    let what = what.to_string();
    // Foreign layers: clients fetch them from wherever the URLs say, outside the registry.
    if d.urls.as_ref().is_some_and(|u| !u.is_empty()) {
        return Err(ArtifactError::ForeignUrls { what });
    }
    if !pacto_core::oci_ref::is_valid_digest(&d.digest) {
        return Err(ArtifactError::MalformedDigest {
            what,
            digest: d.digest.clone(),
        });
    }
    if d.size < 0 {
        return Err(ArtifactError::NegativeSize { what, size: d.size });
    }
    if d.size as u64 > max {
        return Err(ArtifactError::TooLarge {
            what,
            size: d.size,
            max,
        });
    }
    Ok(())
}

/// Checks downloaded bytes against their descriptor.
pub fn verify_blob(what: &str, d: &OciDescriptor, bytes: &[u8]) -> Result<(), ArtifactError> {
    if bytes.len() as i64 != d.size {
        return Err(ArtifactError::SizeMismatch {
            what: what.to_string(),
            declared: d.size,
            actual: bytes.len(),
        });
    }
    let actual = match d.digest.split_once(':') {
        Some(("sha512", _)) => {
            use sha2::Sha512;
            format!("sha512:{}", hex::encode(Sha512::digest(bytes)))
        }
        _ => sha256_digest(bytes),
    };
    if actual != d.digest {
        return Err(ArtifactError::DigestMismatch {
            what: what.to_string(),
            expected: d.digest.clone(),
            actual,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
