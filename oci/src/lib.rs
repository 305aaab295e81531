//! Pacto OCI distribution: push, pull, resolve, cache and credentials for contract bundles.
//!
//! Artifact format (shared with the Go CLI): an OCI image manifest with one layer
//! `application/vnd.pacto.bundle.layer.v1.tar+gzip` (the deterministic bundle tarball) and
//! an image config whose labels carry `io.pacto.name`, `io.pacto.version` and
//! `io.pacto.pactoVersion`. Pull also accepts the Docker image config media type.

pub mod artifact;
pub mod blocking;
pub mod cache;
pub mod cached;
pub mod client;
pub mod creds;
pub mod effective;
pub mod error;
pub mod fetcher;
pub mod login;
pub mod lru;
pub mod resident;
pub mod resolver;
pub mod transport;

pub use artifact::BundleLabels;
pub use blocking::BlockingRegistry;
pub use cached::{CacheOptions, CachedRegistry};
pub use client::{Pulled, PushResult, RegistryClient, RegistryOptions};
pub use creds::{Credential, CredentialSource, Keychain};
pub use error::OciError;
pub use fetcher::{CompositeFetcher, OciFetcher};
pub use lru::ByteLru;
pub use resolver::OciPolicyResolver;
