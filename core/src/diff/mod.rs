//! Breaking-change classification between two contract bundles.
//!
//! [`diff_contracts`] applies the rule tables ([`rules::V1_RULES`], [`rules::V2_RULES`])
//! to the normalised view of both contracts, so two 1.x, two 2.0 or a 1.x and a 2.0
//! contract compare by meaning, then deep-diffs the bundled specs: OpenAPI
//! ([`diff_openapi`]), AsyncAPI ([`diff_asyncapi`]), protobuf and configuration/policy JSON
//! Schemas ([`diff_json_schema`]).

mod asyncapi;
mod change;
mod contract;
mod jsonschema;
mod openapi;
pub mod proto;
mod refs;
pub mod rules;
mod sbom;

#[cfg(test)]
mod asyncapi_tests;
#[cfg(test)]
mod contract_tests;
#[cfg(test)]
mod contract_v2_tests;
#[cfg(test)]
mod jsonschema_tests;
#[cfg(test)]
mod openapi_tests;
#[cfg(test)]
mod sbom_tests;

pub use asyncapi::diff_asyncapi;
pub use change::{Change, ChangeType, Classification, overall};
pub use contract::{ContractDiff, LEGACY_EXTENSION, diff_contracts};
pub use jsonschema::{SchemaDirection, diff_json_schema};
pub use openapi::diff_openapi;
pub use refs::resolve_pointer;
pub use sbom::{
    Sbom, SbomChange, SbomDiff, SbomError, SbomFormat, SbomPackage, diff_sbom, load_sbom,
    parse_sbom,
};

/// Deterministic order: by path, then added < modified < removed; ties keep the
/// order in which the differ found them.
pub(crate) fn sort_changes(changes: &mut [Change]) {
    let rank = |t: ChangeType| match t {
        ChangeType::Added => 0,
        ChangeType::Modified => 1,
        ChangeType::Removed => 2,
    };
    changes.sort_by(|a, b| {
        a.path
            .cmp(&b.path)
            .then(rank(a.change_type).cmp(&rank(b.change_type)))
    });
}
