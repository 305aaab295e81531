//! The Pacto operator: checks `Pacto` resources against the live cluster.
//!
//! `eval` is the pure core (contract + observed snapshot + probe results -> desired status);
//! it does no I/O so every check is unit-tested from YAML fixtures.

pub mod eval;
