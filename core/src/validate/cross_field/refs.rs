//! Adapters over the shared semver-range and OCI-reference parsers.

use crate::oci_ref::{self, OciRef, OciRefError};
use crate::semver_range::{Constraint, parse_version_lenient};

/// Tag and digest of a parsed OCI reference.
pub struct OciParts {
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl From<OciRef> for OciParts {
    fn from(r: OciRef) -> Self {
        Self {
            tag: r.tag,
            digest: r.digest,
        }
    }
}

/// Parses a contract/chart reference `oci://host/repo[:tag][@digest]`.
pub fn parse_oci(reference: &str) -> Result<OciParts, OciRefError> {
    oci_ref::parse(reference).map(OciParts::from)
}

/// Parses a container image reference (Docker rules: `nginx` means Docker Hub).
pub fn parse_image(reference: &str) -> Result<OciParts, OciRefError> {
    oci_ref::parse_image_ref(reference).map(OciParts::from)
}

pub fn is_version(text: &str) -> bool {
    parse_version_lenient(text).is_some()
}

/// Why `text` is not a semver range, if it is not.
pub fn constraint_error(text: &str) -> Option<String> {
    Constraint::parse(text).err().map(|e| e.to_string())
}
