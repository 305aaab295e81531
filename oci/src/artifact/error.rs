//! Why a bundle artifact could not be built for a push or does not have the bundle shape.

use super::{DOCKER_CONFIG_MEDIA_TYPE, LAYER_MEDIA_TYPE, MAX_MANIFEST_SIZE, OCI_CONFIG_MEDIA_TYPE};

/// A push-side failure: the contract text or the packed layer is unusable.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("pacto.yaml is not YAML: {0}")]
    NotYaml(Box<serde_saphyr::Error>),
    #[error("packed layer is not gzip: {0}")]
    NotGzip(std::io::Error),
    #[error("{0}")]
    Json(#[from] serde_json::Error),
}

/// A pulled manifest or blob that is not a well-formed Pacto bundle.
#[derive(Debug, thiserror::Error)]
pub enum ArtifactError {
    #[error("manifest is {0} bytes, over the {MAX_MANIFEST_SIZE} byte limit")]
    ManifestTooLarge(usize),
    #[error("manifest is not valid JSON: {0}")]
    ManifestNotJson(serde_json::Error),
    #[error("the reference points to an image index ({0}), not a bundle manifest")]
    ImageIndex(String),
    #[error("unsupported manifest media type {0:?}")]
    ManifestMediaType(String),
    #[error("unsupported manifest schemaVersion {0:?} (expected 2)")]
    SchemaVersion(Option<i64>),
    #[error("malformed image manifest: {0}")]
    MalformedManifest(serde_json::Error),
    #[error(
        "unsupported config media type {0:?} (expected {OCI_CONFIG_MEDIA_TYPE} or \
         {DOCKER_CONFIG_MEDIA_TYPE})"
    )]
    ConfigMediaType(String),
    #[error("manifest has no layers; a bundle has exactly one")]
    NoLayers,
    #[error("manifest has {0} layers; a bundle has exactly one")]
    ManyLayers(usize),
    #[error("unknown layer media type {0:?} (expected {LAYER_MEDIA_TYPE})")]
    LayerMediaType(String),
    #[error("{what} digest {digest:?} is malformed")]
    MalformedDigest { what: String, digest: String },
    #[error(
        "{what} descriptor lists download URLs (a foreign layer); a bundle is served by its \
         registry only"
    )]
    ForeignUrls { what: String },
    #[error("{what} size {size} is negative")]
    NegativeSize { what: String, size: i64 },
    #[error("{what} is {size} bytes, over the {max} byte limit")]
    TooLarge { what: String, size: i64, max: u64 },
    #[error("{what} size mismatch: manifest says {declared} bytes, got {actual}")]
    SizeMismatch {
        what: String,
        declared: i64,
        actual: usize,
    },
    #[error("{what} digest mismatch: expected {expected}, got {actual}")]
    DigestMismatch {
        what: String,
        expected: String,
        actual: String,
    },
}
