//! Breaking-change classification between two contract bundles.

mod change;

pub use change::{Change, ChangeType, Classification, overall};
