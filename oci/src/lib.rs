//! Pacto OCI distribution: push, pull, resolve, cache and credentials for contract bundles.
//!
//! Artifact format (shared with the Go CLI): an OCI image manifest with one layer
//! `application/vnd.pacto.bundle.layer.v1.tar+gzip` (the deterministic bundle tarball) and
//! an image config whose labels carry `io.pacto.name`, `io.pacto.version` and
//! `io.pacto.pactoVersion`. Pull also accepts the Docker image config media type.

pub mod artifact;
pub mod blocking;
pub mod caching_registry;
pub mod client;
pub mod creds;
pub mod disk_cache;
pub mod error;
pub mod fetcher;
pub mod login;
pub mod lru;
pub mod memory_size;
pub mod printable;
pub mod resolver;
pub mod settings_report;
pub mod transport;

pub use artifact::BundleLabels;
pub use blocking::BlockingRegistry;
pub use caching_registry::{CacheOptions, CachedRegistry};
pub use client::{Pulled, PushResult, RegistryClient, RegistryOptions};
pub use creds::{Credential, CredentialSource, Keychain};
pub use error::OciError;
pub use fetcher::{CompositeFetcher, OciFetcher};
pub use lru::ByteLru;
pub use resolver::OciPolicyResolver;
