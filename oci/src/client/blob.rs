//! Fetching one blob within its declared size, then checking its digest.

use oci_client::manifest::OciDescriptor;
use pacto_core::bundle::Limits;
use reqwest::Method;

use super::wire::{BodyError, Target, Wire, error_for, read_capped, unreachable};
use crate::artifact;
use crate::error::OciError;

/// Largest compressed layer accepted: the uncompressed budget plus tar overhead, since
/// incompressible content grows slightly under gzip.
pub(super) fn layer_cap(l: &Limits) -> u64 {
    l.max_total_size
        .saturating_add((l.max_entries as u64).saturating_mul(1536))
        .saturating_add(1024 * 1024)
}

/// Streams one blob, refusing to read past its declared size, then checks size and digest.
/// Redirects to storage are followed without the registry's credentials.
pub(super) async fn fetch_blob(
    wire: &Wire,
    t: &Target<'_>,
    desc: &OciDescriptor,
    what: &str,
) -> Result<Vec<u8>, OciError> {
    let invalid = |reason: String| OciError::InvalidArtifact {
        reference: t.r.to_string(),
        reason,
    };
    let url = t.url(&format!("v2/{}/blobs/{}", t.r.repository, desc.digest))?;
    let mut resp = wire.send(t, Method::GET, url, "*/*").await?;
    if !resp.status().is_success() {
        return Err(error_for(t, resp).await);
    }
    let declared = u64::try_from(desc.size).unwrap_or(0);
    let buf = read_capped(&mut resp, declared)
        .await
        .map_err(|e| match e {
            BodyError::OverCap => invalid(format!(
                "{what} blob is larger than the {declared} bytes its descriptor declares"
            )),
            BodyError::Read(e) => unreachable(t.r, &format!("reading {what} blob"), e),
        })?;
    artifact::verify_blob(what, desc, &buf).map_err(|e| invalid(e.to_string()))?;
    Ok(buf)
}
