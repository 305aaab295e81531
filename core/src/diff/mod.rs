//! Breaking-change classification between two contract bundles.

mod change;
pub mod proto;

pub use change::{Change, ChangeType, Classification, overall};
