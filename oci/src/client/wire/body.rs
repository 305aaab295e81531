//! Reading a response body chunk by chunk under a cap: an answer over its limit is refused
//! as soon as it is known to be (by `Content-Length`, or by the chunk that crosses the
//! limit) and the rest is never read.

use reqwest::Response;

/// Why a capped read stopped.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// The body is (or claims to be) larger than the cap.
    OverCap,
    /// The connection failed while reading.
    Read(reqwest::Error),
}

/// The whole body, or [`BodyError::OverCap`] without reading past `cap` bytes.
pub(crate) async fn read_capped(resp: &mut Response, cap: u64) -> Result<Vec<u8>, BodyError> {
    if resp.content_length().is_some_and(|n| n > cap) {
        return Err(BodyError::OverCap);
    }
    let mut buf = Vec::with_capacity(usize::try_from(cap.min(64 * 1024)).unwrap_or(0));
    while let Some(chunk) = resp.chunk().await.map_err(BodyError::Read)? {
        if buf.len() as u64 + chunk.len() as u64 > cap {
            return Err(BodyError::OverCap);
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
}

/// At most the first `cap` bytes of the body (an error text): whatever arrived before the
/// cap, a read error or the end.
pub(crate) async fn read_prefix(resp: &mut Response, cap: usize) -> Vec<u8> {
    let mut buf = Vec::new();
    while let Ok(Some(chunk)) = resp.chunk().await {
        let room = cap.saturating_sub(buf.len());
        buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if buf.len() >= cap {
            break;
        }
    }
    buf
}
