//! `pacto.lock`: the committed, deterministic record of a contract's resolved
//! dependency closure and configuration/policy reference closure.
//!
//! The format is the Go reference's (lockVersion 3): the same YAML field names and
//! shapes, so either tool reads the other's lock. This module is pure: the model and
//! its deterministic serialization ([`model`]), the content hash of local bundles
//! ([`hash`]), turning a resolved graph into entries ([`build`]) and comparing an
//! existing lock with a freshly resolved one ([`verify`]). Resolution (registry HEADs,
//! pulls, reading directories) is the caller's.

pub mod build;
mod error;
pub mod hash;
pub mod model;
pub mod verify;

pub use error::LockError;
pub use model::{
    CURRENT_LOCK_VERSION, Entry, LOCK_FILE, Lock, MAX_LOCK_BYTES, MIN_LOCK_VERSION, PactoInfo,
    Reference, RootInfo, SOURCE_LOCAL, SOURCE_OCI,
};
