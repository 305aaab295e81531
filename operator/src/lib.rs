//! The Pacto operator: checks `Pacto` resources against the live cluster.
//!
//! `eval` is the pure core (contract + observed snapshot + probe results -> desired status);
//! it does no I/O so every check is unit-tested from YAML fixtures. Everything else is the
//! runtime around it: dereference the contract ([`contract`]), read the target from watch-fed
//! stores ([`observe`]), probe endpoints off the reconcile path ([`probe`]), write status only when
//! its meaning changed ([`status_writer`]), keep PactoRevisions ([`revisions`]), export
//! metrics ([`metrics`], [`server`]) and lead through a Lease ([`leader`]), one per shard when sharded ([`shard`]).

pub mod api_error;
pub mod config;
pub mod contract;
pub mod controller;
pub mod eval;
pub mod fence;
pub mod index;
pub mod leader;
pub mod metrics;
pub mod observe;
pub mod packed;
pub mod pacto_key;
pub mod probe;
pub mod revisions;
pub mod run;
pub mod server;
pub mod shard;
pub mod status_writer;
pub mod trailing;
pub mod triggers;
