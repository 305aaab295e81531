//! Shared server state and the task that rebuilds the snapshot when a source changes.

use crate::config::{Config, K8sMode};
use crate::loader::Loader;
use crate::metrics::Metrics;
use crate::snapshot::Snapshot;
use crate::sources::{Sources, cache, k8s, local, lock};
use pacto_oci::{CacheOptions, CachedRegistry, Keychain, RegistryClient, RegistryOptions};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::{Notify, broadcast};

/// The shared state as handlers extract it.
pub type AppRef = axum::extract::State<Arc<AppState>>;

pub struct AppState {
    pub config: Config,
    snapshot: RwLock<Arc<Snapshot>>,
    pub ready: AtomicBool,
    pub events: broadcast::Sender<String>,
    pub loader: Loader,
    pub sources: Sources,
    pub wake: Arc<Notify>,
    pub metrics: Metrics,
    pub token: Option<String>,
    next_id: AtomicU64,
    /// Serialises requested refreshes (`POST /api/refresh`) so concurrent callers share one.
    refresh_gate: tokio::sync::Mutex<()>,
    /// Requested refreshes that actually ran (callers that shared one are not counted).
    pub requested_refreshes: AtomicU64,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot read the token file {path}: {source}")]
    Token {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the token file {0} is empty")]
    EmptyToken(String),
}

impl AppState {
    /// Detects the sources (k8s connects here) and returns the state; the first snapshot
    /// is built by [`AppState::refresh`].
    pub async fn start(config: Config) -> Result<Arc<AppState>, StartError> {
        let token = match &config.token_file {
            Some(p) => {
                let t = std::fs::read_to_string(p).map_err(|source| StartError::Token {
                    path: p.display().to_string(),
                    source,
                })?;
                let t = t.trim().to_string();
                if t.is_empty() {
                    return Err(StartError::EmptyToken(p.display().to_string()));
                }
                Some(t)
            }
            None => None,
        };
        let wake = Arc::new(Notify::new());
        let (k8s, k8s_reason) = match config.k8s {
            K8sMode::Off => (None, "disabled".to_string()),
            K8sMode::Auto => {
                match k8s::K8sSource::start(config.namespaces.clone(), wake.clone()).await {
                    Ok(s) => (Some(s), String::new()),
                    Err(e) => (None, e.to_string()),
                }
            }
        };
        let cache_root = config.cache_dir.clone().or_else(cache::default_dir);
        let (oci, oci_reason) = if config.repos.is_empty() && k8s.is_none() {
            (
                None,
                "no repository given (oci://… arguments or PACTO_DASHBOARD_REPO)".to_string(),
            )
        } else {
            // Refs discovered in the cluster are chosen by whoever may edit a Pacto:
            // environment credentials go only to the hosts PACTO_REGISTRY_HOST lists.
            match Keychain::load(Box::new(pacto_oci::creds::ProcessEnv))
                .map(Keychain::env_only_for_listed_hosts)
                .map_err(|e| e.to_string())
                .and_then(|kc| {
                    RegistryClient::new(
                        kc,
                        RegistryOptions::from_env(&pacto_oci::creds::ProcessEnv),
                    )
                    .map_err(|e| e.to_string())
                }) {
                Ok(c) => {
                    // Pulls fill the disk cache (also with --no-cache, as the CLI does);
                    // tags are listed on every rescan, which has its own schedule.
                    let opts = CacheOptions {
                        dir: cache_root.clone(),
                        read: !config.no_cache,
                        tag_ttl: Duration::ZERO,
                        // The loader's LRU holds what is viewed; this layer only spares a
                        // rescan re-reading each repository's newest version from disk.
                        memory_bytes: 8 * 1024 * 1024,
                    };
                    (Some(Arc::new(CachedRegistry::new(c, opts))), String::new())
                }
                // Credentials problems are reported by kind only.
                Err(_) => (
                    None,
                    "registry client could not be configured (credentials)".to_string(),
                ),
            }
        };
        let (cache_src, cache_reason) = if config.no_cache {
            (None, "disabled by --no-cache".to_string())
        } else {
            match cache_root {
                // Active even when still empty: the OCI source fills it as it pulls.
                Some(d) if d.is_dir() || oci.is_some() => {
                    (Some(Arc::new(cache::CacheSource::new(d))), String::new())
                }
                Some(d) => (None, format!("no cache directory at {}", d.display())),
                None => (None, "no cache directory (HOME unset)".to_string()),
            }
        };
        let mut repos = BTreeSet::new();
        for r in &config.repos {
            if let Ok(n) = crate::sources::oci::repo_name(r) {
                repos.insert(n);
            }
        }
        let sources = Sources {
            local: (!config.dirs.is_empty())
                .then(|| Arc::new(local::LocalSource::new(config.dirs.clone()))),
            cache: cache_src,
            cache_reason,
            oci: oci.clone(),
            oci_reason,
            repos: std::sync::Mutex::new(repos),
            oci_scans: Default::default(),
            k8s,
            k8s_reason,
        };
        let (events, _) = broadcast::channel(64);
        Ok(Arc::new(AppState {
            loader: Loader::new(config.lru_bytes, oci),
            config,
            snapshot: RwLock::new(Arc::new(Snapshot::empty())),
            ready: AtomicBool::new(false),
            events,
            sources,
            wake,
            metrics: Metrics::new(),
            token,
            next_id: AtomicU64::new(1),
            refresh_gate: tokio::sync::Mutex::new(()),
            requested_refreshes: AtomicU64::new(0),
        }))
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// Collects from every source and swaps the snapshot in if anything changed; then
    /// tells `/api/events` listeners. Returns whether it changed.
    pub async fn refresh(&self, rescan_oci: bool) -> bool {
        let started = Instant::now();
        let inputs = self.sources.collect(rescan_oci).await;
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let snap = Snapshot::build(id, inputs);
        self.metrics.observe_build(started.elapsed(), &snap);
        let changed = self.publish(snap);
        self.ready.store(true, Ordering::Release);
        changed
    }

    /// Swaps `snap` in if it differs from the current snapshot and tells `/api/events`
    /// listeners; returns whether it did. Also how tests show the pages states no local
    /// source can produce (Pacto objects without a cluster).
    pub fn publish(&self, snap: Snapshot) -> bool {
        let changed = snap.fingerprint != self.snapshot().fingerprint;
        if changed {
            // Contract content may have changed under the same locator.
            self.loader.clear();
            let id = snap.id;
            match self.snapshot.write() {
                Ok(mut g) => *g = Arc::new(snap),
                Err(p) => *p.into_inner() = Arc::new(snap),
            }
            let _ = self
                .events
                .send(format!("{{\"type\":\"snapshot\",\"snapshotId\":{id}}}"));
        }
        changed
    }

    /// A refresh someone asked for (clears the view cache, rescans OCI). Single-flight: a
    /// caller that arrives while one runs waits for it and shares its result instead of
    /// starting another, so a burst of requests costs one rescan.
    pub async fn requested_refresh(&self) -> u64 {
        let seen = self.requested_refreshes.load(Ordering::Acquire);
        let _gate = self.refresh_gate.lock().await;
        if self.requested_refreshes.load(Ordering::Acquire) == seen {
            self.loader.clear();
            self.refresh(true).await;
            self.requested_refreshes.fetch_add(1, Ordering::AcqRel);
        }
        self.snapshot().id
    }

    /// Holds the refresh gate: requested refreshes queue behind it until the guard drops.
    /// Lets a test line up concurrent callers deterministically.
    #[doc(hidden)]
    pub async fn hold_refresh_gate(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.refresh_gate.lock().await
    }

    /// Rebuilds on k8s watch events (debounced), local changes and the OCI schedule.
    pub fn spawn_refresher(self: &Arc<Self>) {
        let me = self.clone();
        tokio::spawn(async move {
            let mut last_oci = Instant::now();
            loop {
                let tick = tokio::time::sleep(me.config.local_rescan);
                tokio::select! {
                    _ = me.wake.notified() => {
                        // Let a burst of watch events settle into one rebuild.
                        tokio::time::sleep(Duration::from_millis(150)).await;
                    }
                    _ = tick => {}
                }
                let oci_due = last_oci.elapsed() >= me.config.oci_rescan;
                if oci_due {
                    last_oci = Instant::now();
                }
                me.refresh(oci_due).await;
            }
        });
    }

    pub fn repos(&self) -> Vec<String> {
        lock(&self.sources.repos).iter().cloned().collect()
    }
}
