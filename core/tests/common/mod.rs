//! Test helpers: load a fixture directory into a Bundle, and a map-backed policy resolver.
#![allow(dead_code)]

use pacto_core::Bundle;
use pacto_core::validate::{PolicyResolver, RefError};
use serde_json::Value;
use std::path::Path;

/// Files that describe a fixture rather than belong to its bundle.
pub const FIXTURE_META: [&str; 2] = ["expect.txt", "resolver.json"];

/// Reads every file under `dir` (recursively) into a Bundle, skipping fixture metadata.
pub fn load_dir(dir: &Path) -> Bundle {
    let mut bundle = Bundle::new();
    add(dir, dir, &mut bundle);
    bundle
}

fn add(root: &Path, dir: &Path, bundle: &mut Bundle) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read fixture dir")
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            add(root, &p, bundle);
            continue;
        }
        let rel = p
            .strip_prefix(root)
            .expect("under root")
            .to_string_lossy()
            .replace('\\', "/");
        if FIXTURE_META.contains(&rel.as_str()) {
            continue;
        }
        bundle.insert(rel, std::fs::read(&p).expect("read fixture file"));
    }
}

/// Resolves policy refs from a JSON map `{ref: schema}`; unknown refs fail. A value
/// `{"$cycle": [refs…]}` answers with a ref cycle. Configuration refs are looked up under
/// `"config:<ref>"` and are only handled when such a key exists.
pub struct MapResolver(pub serde_json::Map<String, Value>);

impl PolicyResolver for MapResolver {
    fn resolve(&self, reference: &str) -> Result<Value, RefError> {
        self.0
            .get(reference)
            .cloned()
            .ok_or_else(|| RefError::Unresolved(format!("no policy published at {reference}")))
    }

    fn resolve_policy(&self, reference: &str) -> Result<Value, RefError> {
        let v = self.resolve(reference)?;
        match v.get("$cycle").and_then(Value::as_array) {
            Some(chain) => Err(RefError::Cycle(
                chain
                    .iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect(),
            )),
            None => Ok(v),
        }
    }

    fn resolve_config(&self, reference: &str) -> Option<Result<Value, RefError>> {
        let handled = self.0.keys().any(|k| k.starts_with("config:"));
        handled.then(|| {
            self.0
                .get(&format!("config:{reference}"))
                .cloned()
                .filter(|v| !v.is_null())
                .ok_or_else(|| {
                    RefError::Unresolved(format!("no configuration published at {reference}"))
                })
        })
    }
}

pub fn fixtures_root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/validate")
}

/// Validates a fixture directory, with its `resolver.json` as the policy resolver when
/// it has one.
pub fn validate_fixture(dir: &Path) -> pacto_core::validate::ValidationReport {
    use pacto_core::validate::{ValidateOptions, validate_bundle};
    let bundle = load_dir(dir);
    let resolver = std::fs::read_to_string(dir.join("resolver.json"))
        .ok()
        .map(|t| MapResolver(serde_json::from_str(&t).expect("resolver.json")));
    let opts = ValidateOptions {
        policy_resolver: resolver.as_ref().map(|r| r as _),
    };
    validate_bundle(&bundle, &opts)
}
