//! Dashboard configuration, shared by the `pacto-dashboard` binary and `pacto dashboard`.

use crate::base_path::BasePath;
use crate::scope::NamespaceScope;
use std::path::PathBuf;
use std::time::Duration;

/// Whether to try the Kubernetes source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum K8sMode {
    /// Use it when a kubeconfig or in-cluster config works and the CRD is served.
    Auto,
    Off,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub host: String,
    pub port: u16,
    /// Namespaces the k8s source watches (one watch each); empty = all namespaces.
    pub namespaces: NamespaceScope,
    /// Serve `/api/debug/*`.
    pub diagnostics: bool,
    /// Do not read the on-disk bundle cache.
    pub no_cache: bool,
    /// Directories searched for bundles (the local source).
    pub dirs: Vec<PathBuf>,
    /// OCI repositories (`oci://host/repo` or `host/repo`).
    pub repos: Vec<String>,
    /// File holding a bearer token; when set, every request but `/healthz`, `/readyz`
    /// and `/metrics` must carry it.
    pub token_file: Option<PathBuf>,
    /// Cache root (default `$PACTO_CACHE_DIR`, else `$XDG_CACHE_HOME/pacto` or
    /// `~/.cache/pacto`, the OCI crate's digest-keyed layout shared with the CLI).
    pub cache_dir: Option<PathBuf>,
    /// Upper bound of bundle bytes kept resident.
    pub lru_bytes: u64,
    pub k8s: K8sMode,
    /// How often local dirs are re-stamped for changes.
    pub local_rescan: Duration,
    /// How often OCI tags are listed again.
    pub oci_rescan: Duration,
    /// Host names (besides IP literals, `localhost` and `host`) the dashboard answers to; any
    /// other `Host` gets 421 (DNS-rebinding defence, see `host_guard`).
    pub allowed_hosts: Vec<String>,
    /// The path prefix every URL the pages produce starts with (`--base-path`); requests
    /// are answered with and without it (see `base_path`).
    pub base_path: BasePath,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: "127.0.0.1".into(),
            port: 3000,
            namespaces: NamespaceScope::all(),
            diagnostics: false,
            no_cache: false,
            dirs: Vec::new(),
            repos: Vec::new(),
            token_file: None,
            cache_dir: None,
            lru_bytes: 32 * 1024 * 1024,
            k8s: K8sMode::Auto,
            local_rescan: Duration::from_secs(2),
            oci_rescan: Duration::from_secs(300),
            allowed_hosts: Vec::new(),
            base_path: BasePath::root(),
        }
    }
}
