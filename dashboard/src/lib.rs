//! Pacto dashboard: contracts, versions, diffs, dependency graph and runtime compliance,
//! from local bundle dirs, OCI registries, the on-disk cache and Kubernetes, served as
//! a JSON API and server-rendered pages. One library behind the `pacto-dashboard`
//! binary and `pacto dashboard`.
//!
//! Layers, bottom up; each imports only those below it (`scripts/check-architecture.py`
//! fails on an import cycle):
//!
//! 1. [`model`]: the records everything is built from (versions, runtime state, sections),
//!    and pure helpers over them: [`summarize`], [`contract_view`] (with [`specs`],
//!    [`markdown`]), [`runtime`], [`version_order`], [`graph_layout`].
//! 2. [`sources`]: local dirs, OCI, the disk cache and k8s produce the records; [`loader`]
//!    reads a full bundle on demand into a byte-bounded LRU.
//! 3. [`snapshot`] (a pure merge of what the sources returned) and [`state`] (the sources,
//!    the loader and the current snapshot, rebuilt when a source changes).
//! 4. [`queries`]: lookups, service detail, versions, graph and diff.
//! 5. [`api`] (JSON handlers, their errors, OpenAPI) and [`html`] (pages), both answering
//!    from `queries`; [`server`] routes to them (under the [`base_path`] prefix, if any);
//!    [`export`] renders pages to static files.

pub mod api;
pub mod base_path;
pub mod config;
pub mod contract_view;
pub mod export;
pub mod graph_layout;
pub mod host_guard;
pub mod html;
pub mod in_process;
pub mod loader;
// The byte-bounded LRU lives in pacto-oci, shared with the registry cache and the operator.
pub use pacto_oci::lru;
pub mod markdown;
pub mod metrics;
pub mod model;
pub mod queries;
pub mod runtime;
pub mod runtime_findings;
pub mod scope;
pub mod server;
pub mod snapshot;
pub mod sources;
pub mod specs;
pub mod state;
pub mod summarize;
pub mod version_order;

pub use base_path::{BasePath, BasePathError};
pub use config::{Config, K8sMode};
pub use scope::{NamespaceScope, ScopeError};
pub use server::{ServeError, router, serve};
pub use state::AppState;
