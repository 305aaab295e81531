//! Registry client tunables and the environment variables that set them.

use std::path::PathBuf;
use std::time::Duration;

use pacto_core::bundle::Limits;

use crate::creds::Environment;
use crate::transport::{ENV_INSECURE, parse_insecure_list};

/// Environment variable naming an extra PEM CA bundle for registry TLS.
pub const ENV_CA_FILE: &str = "PACTO_REGISTRY_CA_FILE";

/// Tunables; [`RegistryOptions::from_env`] reads the documented variables.
#[derive(Debug, Clone)]
pub struct RegistryOptions {
    /// Hosts (or host:port) allowed over plain HTTP besides loopback.
    pub insecure_registries: Vec<String>,
    /// Extra PEM CA certificates trusted for registry TLS.
    pub ca_file: Option<PathBuf>,
    /// TCP connect limit per request.
    pub connect_timeout: Duration,
    /// Upper bound for one whole operation (push, pull, list, resolve).
    pub operation_timeout: Duration,
    /// Unpack limits applied to pulled layers.
    pub limits: Limits,
}

impl Default for RegistryOptions {
    fn default() -> Self {
        Self {
            insecure_registries: Vec::new(),
            ca_file: None,
            connect_timeout: Duration::from_secs(5),
            operation_timeout: Duration::from_secs(60),
            limits: Limits::default(),
        }
    }
}

impl RegistryOptions {
    pub fn from_env(env: &dyn Environment) -> Self {
        Self {
            insecure_registries: env
                .var(ENV_INSECURE)
                .map(|v| parse_insecure_list(&v))
                .unwrap_or_default(),
            ca_file: env
                .var(ENV_CA_FILE)
                .filter(|s| !s.is_empty())
                .map(PathBuf::from),
            ..Self::default()
        }
    }
}
