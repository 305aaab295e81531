//! A synchronous face for callers without an async runtime (the CLI, the graph
//! builder, validation's policy resolver): one small multi-threaded runtime per process.

use std::future::Future;
use std::sync::Arc;

use crate::caching_registry::CachedRegistry;
use crate::error::OciError;

pub struct BlockingRegistry {
    rt: tokio::runtime::Runtime,
    inner: Arc<CachedRegistry>,
}

impl BlockingRegistry {
    pub fn new(inner: CachedRegistry) -> Result<Self, OciError> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("pacto-oci")
            .enable_all()
            .build()
            .map_err(|e| OciError::Runtime(e.to_string()))?;
        Ok(Self {
            rt,
            inner: Arc::new(inner),
        })
    }

    pub fn registry(&self) -> &Arc<CachedRegistry> {
        &self.inner
    }

    /// Runs `f` to completion. Must not be called from inside an async task.
    pub fn block_on<F: Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }
}
