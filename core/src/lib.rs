//! Pacto contract core: parse, validate, diff, graph and bundle service contracts.
//!
//! Pure logic lives here with no Kubernetes or network dependency; I/O is limited to
//! reading bundle directories and tarballs handed in by callers.

pub mod finding;
pub mod model;

pub use finding::{Finding, Severity};
pub use model::{Contract, PactoVersion};
