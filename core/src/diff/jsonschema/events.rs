//! What a schema change does to the accepted values, and how much that breaks by direction.

use super::SchemaDirection;
use crate::diff::change::Classification;

/// What a single schema change does to the set of accepted values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Event {
    PropertyAdded,
    PropertyRemoved,
    RequiredAdded,
    RequiredRemoved,
    Tightened,
    Loosened,
    TypeWidened,
    TypeChanged,
    Deprecation,
    Other,
}

pub(super) fn classify(dir: SchemaDirection, ev: Event) -> Classification {
    use Classification::{Breaking as B, NonBreaking as N, PotentialBreaking as P};
    use SchemaDirection::{Input, Output, Policy, Unknown};
    match (ev, dir) {
        (Event::PropertyAdded, Input | Output) => N,
        (Event::PropertyRemoved, Output) => B,
        (Event::RequiredAdded, Output) => N,
        (Event::RequiredAdded, _) => B,
        (Event::RequiredRemoved, Input) => N,
        (Event::RequiredRemoved, Unknown) => B,
        (Event::Tightened, Input | Policy) => B,
        (Event::Tightened, Output) => N,
        (Event::Loosened, Input) => N,
        (Event::TypeWidened, Input) => N,
        (Event::TypeWidened, Output) => B,
        (Event::TypeChanged, _) => B,
        (Event::Deprecation, _) => N,
        _ => P,
    }
}
