//! Dev-only support for the end-to-end tests that need a real Kubernetes control plane
//! (`e2e/controlplane/cluster.sh`): one control plane per test binary, started on first use and
//! stopped by a watcher when the binary exits, the CRDs installed, and clients and namespaces
//! for the tests; and real registries (`e2e/registry.sh`). `PACTO_E2E_KUBECONFIG` selects an already running control plane instead
//! (`e2e/with-controlplane.sh`). Used only as a dev-dependency; each crate's
//! `tests/support`-style module is a thin wrapper over it. Also the small helpers every test
//! suite needs ([`free_port`], [`json_pointer`] edits) and, with feature `oci`, the CLI's
//! registry world ([`pacto_cli`]).

mod binaries;
mod client;
mod control_plane;
mod crds;
mod error;
mod faults;
pub mod json_pointer;
mod namespace;
mod net;
#[cfg(feature = "oci")]
pub mod pacto_cli;
mod paths;
mod registry;
mod require;

pub use binaries::{binaries_present, binary_dir_name, control_plane_available};
pub use client::client_for;
pub use control_plane::{Setup, SharedControlPlane, start_or_reuse};
pub use crds::install_crds;
pub use error::SupportError;
pub use faults::{Component, component_pid, kill_component, start_component, state_dir_of};
pub use namespace::{create_namespace, delete_namespace, next_seq, unique_namespace};
pub use net::free_port;
pub use paths::{repo_root, state_dir, target_dir};
pub use registry::Registries;
pub use require::{REQUIRE_ENV, real_parts_required, skip_or_fail};
