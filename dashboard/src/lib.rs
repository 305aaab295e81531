//! Pacto dashboard: contracts, versions, diffs, dependency graph and runtime compliance,
//! from local bundle dirs, OCI registries, the on-disk cache and Kubernetes, served as
//! a JSON API and server-rendered pages. One library behind the `pacto-dashboard`
//! binary and `pacto dashboard`.

pub mod api;
pub mod config;
pub mod contract_view;
pub mod graph_layout;
pub mod html;
pub mod loader;
// The byte-bounded LRU lives in pacto-oci, shared with the registry cache and the operator.
pub use pacto_oci::lru;
pub mod markdown;
pub mod metrics;
pub mod model;
pub mod queries;
pub mod runtime;
pub mod scope;
pub mod server;
pub mod snapshot;
pub mod sources;
pub mod specs;
pub mod state;
pub mod summarize;
pub mod version_order;

pub use config::{Config, K8sMode};
pub use scope::{NamespaceScope, ScopeError};
pub use server::{ServeError, router, serve};
pub use state::AppState;
