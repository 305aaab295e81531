//! Tag answers past the cache, for what a lock pins and verifies.

use super::CachedRegistry;
use crate::disk_cache::now_ms;
use crate::error::OciError;
use pacto_core::oci_ref::OciRef;
use std::time::Duration;

impl CachedRegistry {
    /// The digest `r`'s tag points to now: a HEAD past the tag cache (the answer is
    /// cached for later reads). Offline, the cached answer still serves. What a lock
    /// pins and verifies, so a tag moved by another machine is seen at once.
    pub async fn revalidate_digest(&self, r: &OciRef) -> Result<String, OciError> {
        if let Some(d) = &r.digest {
            return Ok(d.clone());
        }
        self.net();
        match self.client.resolve_digest(r).await {
            Ok(d) => {
                self.store_tag(r, &d);
                Ok(d)
            }
            Err(e @ (OciError::NotFound { .. } | OciError::Auth { .. })) => Err(e),
            Err(e) => match self.cached_tag(r) {
                Some(d) => {
                    tracing::warn!("{e}; using the cached digest of {r}");
                    Ok(d)
                }
                None => Err(e),
            },
        }
    }

    /// A cached tag answer of any age (memory, then disk).
    pub(super) fn cached_tag(&self, r: &OciRef) -> Option<String> {
        let key = r.to_string();
        if let Some(a) = self.mem.tags.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Some(a.value);
        }
        self.disk
            .as_ref()
            .and_then(|c| c.get_tag(r, Duration::MAX, now_ms()))
    }
}
