//! Pacto contract core: parse, validate, diff, graph and bundle service contracts.
//!
//! Pure logic lives here with no Kubernetes or network dependency; I/O is limited to
//! reading bundle directories and tarballs handed in by callers.

pub mod bundle;
pub mod diff;
pub mod doc;
pub mod explain;
pub mod finding;
pub mod graph;
pub mod impact;
pub mod lock;
pub mod migrate;
pub mod model;
pub mod oci_ref;
pub mod parse;
pub mod percent;
pub mod scope_overrides;
pub mod semver_range;
pub mod spec_outline;
pub mod validate;
pub mod value_overrides;

pub use bundle::Bundle;
pub use finding::{Finding, Severity};
pub use model::{Contract, PactoVersion};
