//! Layer 2: rules that relate fields to each other and to the bundle's files.

mod capabilities;
mod dates;
mod dependencies;
mod interfaces;
mod probes;
mod readiness;
mod refs;
mod runtime;
pub(super) mod sections;
mod service;

pub(crate) use capabilities::is_safe_path as is_safe_binding_path;

use super::codes;
use crate::bundle::Bundle;
use crate::finding::Finding;
use crate::model::Contract;

pub fn check(contract: &Contract, bundle: &Bundle) -> Vec<Finding> {
    let mut out = Vec::new();
    service::check(contract, &mut out);
    interfaces::check(contract, bundle, &mut out);
    probes::check(contract, &mut out);
    capabilities::check(contract, &mut out);
    files_exist(contract, bundle, &mut out);
    sections::check(contract, bundle, &mut out);
    dependencies::check(contract, &mut out);
    readiness::check(contract, &mut out);
    runtime::check(contract, &mut out);
    out
}

/// Every bundle-relative file the contract names must be in the bundle.
fn files_exist(contract: &Contract, bundle: &Bundle, out: &mut Vec<Finding>) {
    for (path, file) in contract.referenced_files() {
        if !bundle.contains(&file) {
            out.push(Finding::error(
                codes::FILE_NOT_FOUND,
                path,
                format!("`{file}` is not in the bundle: add the file (paths are relative to the directory holding pacto.yaml) or fix the path; check that .pactoignore does not exclude it"),
            ));
        }
    }
}

/// Index of the first item with the same key, for duplicate messages.
fn first_seen<'a>(seen: &mut Vec<&'a str>, key: &'a str) -> Option<usize> {
    if let Some(i) = seen.iter().position(|k| *k == key) {
        return Some(i);
    }
    seen.push(key);
    None
}
