//! Fetching one blob within its declared size, then checking its digest.

use futures_util::StreamExt;
use oci_client::manifest::OciDescriptor;
use oci_client::{Client, Reference};
use pacto_core::bundle::Limits;
use pacto_core::oci_ref::OciRef;

use super::error_map::map_err;
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
pub(super) async fn fetch_blob(
    client: &Client,
    reference: &Reference,
    desc: &OciDescriptor,
    r: &OciRef,
    what: &str,
) -> Result<Vec<u8>, OciError> {
    let invalid = |reason: String| OciError::InvalidArtifact {
        reference: r.to_string(),
        reason,
    };
    let mut stream = client
        .pull_blob_stream(reference, desc)
        .await
        .map_err(|e| map_err(r, e))?;
    let declared = u64::try_from(desc.size).unwrap_or(0);
    let mut buf = Vec::with_capacity(usize::try_from(declared.min(1 << 20)).unwrap_or(0));
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| OciError::Unreachable {
            reference: r.to_string(),
            detail: format!("reading {what} blob: {e}"),
        })?;
        if buf.len() as u64 + chunk.len() as u64 > declared {
            return Err(invalid(format!(
                "{what} blob is larger than the {declared} bytes its descriptor declares"
            )));
        }
        buf.extend_from_slice(&chunk);
    }
    artifact::verify_blob(what, desc, &buf).map_err(|e| invalid(e.to_string()))?;
    Ok(buf)
}
