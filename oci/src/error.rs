use std::time::Duration;

use pacto_core::bundle::BundleError;
use pacto_core::oci_ref::OciRefError;
use pacto_core::semver_range::RangeError;

use crate::creds::CredError;

/// Every failure of a registry operation. Each variant names the reference and the reason.
#[derive(Debug, thiserror::Error)]
pub enum OciError {
    #[error(transparent)]
    InvalidRef(#[from] OciRefError),
    #[error("invalid version range for {reference}: {source}")]
    InvalidRange {
        reference: String,
        #[source]
        source: RangeError,
    },
    #[error(
        "authentication failed for {reference}: {detail} — run `pacto login {registry}` or set \
         PACTO_REGISTRY_TOKEN (or PACTO_REGISTRY_USERNAME and PACTO_REGISTRY_PASSWORD)"
    )]
    Auth {
        reference: String,
        registry: String,
        detail: String,
    },
    #[error("artifact not found: {reference}")]
    NotFound { reference: String },
    #[error(
        "registry unreachable for {reference}: {detail} (is the registry running and the \
         address right? plain HTTP is used only for loopback and PACTO_INSECURE_REGISTRIES)"
    )]
    Unreachable { reference: String, detail: String },
    #[error("registry for {reference} did not answer within {}s", after.as_secs())]
    Timeout { reference: String, after: Duration },
    #[error("invalid bundle artifact {reference}: {reason}")]
    InvalidArtifact { reference: String, reason: String },
    #[error("invalid bundle in {reference}: {source}")]
    Bundle {
        reference: String,
        #[source]
        source: BundleError,
    },
    #[error("no semver tags found for {reference}")]
    NoSemverTags { reference: String },
    #[error("no tags of {reference} satisfy constraint {constraint:?}")]
    NoMatchingVersion {
        reference: String,
        constraint: String,
    },
    #[error(
        "registry answer for {reference} is too large: the {what} exceeds the limit of {limit} \
         bytes (reading stopped there)"
    )]
    TooLarge {
        reference: String,
        what: &'static str,
        limit: u64,
    },
    #[error("refused to follow the registry for {reference}: {reason}")]
    Refused { reference: String, reason: String },
    #[error("registry error for {reference}: {detail}")]
    Registry { reference: String, detail: String },
    #[error("cannot build bundle for {reference}: {detail}")]
    Pack { reference: String, detail: String },
    #[error(transparent)]
    Credentials(#[from] CredError),
    #[error("cannot read CA file {path}: {detail}")]
    CaFile { path: String, detail: String },
    #[error("cannot start the registry client runtime: {0}")]
    Runtime(String),
}

impl OciError {
    /// Low-cardinality label for metrics.
    pub fn category(&self) -> &'static str {
        match self {
            Self::InvalidRef(_) | Self::InvalidRange { .. } => "invalid_ref",
            Self::Auth { .. } | Self::Credentials(_) => "auth",
            Self::NotFound { .. } => "not_found",
            Self::Unreachable { .. } | Self::Timeout { .. } => "unreachable",
            Self::InvalidArtifact { .. } | Self::Bundle { .. } => "invalid_bundle",
            Self::NoSemverTags { .. } | Self::NoMatchingVersion { .. } => "no_matching_version",
            Self::Registry { .. } | Self::TooLarge { .. } | Self::Refused { .. } => "registry",
            Self::Pack { .. } | Self::CaFile { .. } | Self::Runtime(_) => "local",
        }
    }
}
