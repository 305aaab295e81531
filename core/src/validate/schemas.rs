//! The embedded contract JSON Schemas (also published under `schema/` for editors),
//! parsed and compiled once per process.

use crate::model::PactoVersion;
use jsonschema::Validator;
use serde_json::Value;
use std::sync::LazyLock;

pub const SCHEMA_V1_0: &str = include_str!("../../../schema/pacto-v1.0.schema.json");
pub const SCHEMA_V1_1: &str = include_str!("../../../schema/pacto-v1.1.schema.json");
pub const SCHEMA_V1_2: &str = include_str!("../../../schema/pacto-v1.2.schema.json");
pub const SCHEMA_V2_0: &str = include_str!("../../../schema/pacto-v2.0.schema.json");

/// A parsed schema document and its compiled validator, or why it failed to build.
pub struct Compiled {
    pub document: Value,
    pub validator: Validator,
}

/// Why an embedded schema did not load (a bug in pacto, never in the user's contract).
#[derive(Debug, thiserror::Error)]
pub enum SchemaLoadError {
    #[error("{0}")]
    NotJson(serde_json::Error),
    #[error("{0}")]
    NotASchema(Box<jsonschema::ValidationError<'static>>),
}

type Slot = LazyLock<Result<Compiled, SchemaLoadError>>;

static V1_0: Slot = LazyLock::new(|| compile(SCHEMA_V1_0));
static V1_1: Slot = LazyLock::new(|| compile(SCHEMA_V1_1));
static V1_2: Slot = LazyLock::new(|| compile(SCHEMA_V1_2));
static V2_0: Slot = LazyLock::new(|| compile(SCHEMA_V2_0));

/// The JSON Schema text for a version.
pub fn schema_text(version: PactoVersion) -> &'static str {
    match version {
        PactoVersion::V1_0 => SCHEMA_V1_0,
        PactoVersion::V1_1 => SCHEMA_V1_1,
        PactoVersion::V1_2 => SCHEMA_V1_2,
        PactoVersion::V2_0 => SCHEMA_V2_0,
    }
}

/// The compiled schema for a version; an `Err` means the embedded schema is broken
/// (a bug, reported as `SCHEMA_ERROR` rather than a panic).
pub fn compiled(version: PactoVersion) -> Result<&'static Compiled, &'static SchemaLoadError> {
    let slot: &'static Slot = match version {
        PactoVersion::V1_0 => &V1_0,
        PactoVersion::V1_1 => &V1_1,
        PactoVersion::V1_2 => &V1_2,
        PactoVersion::V2_0 => &V2_0,
    };
    slot.as_ref()
}

fn compile(text: &str) -> Result<Compiled, SchemaLoadError> {
    let document: Value = serde_json::from_str(text).map_err(SchemaLoadError::NotJson)?;
    let validator = jsonschema::draft202012::options()
        .build(&document)
        .map_err(|e| SchemaLoadError::NotASchema(Box::new(e)))?;
    Ok(Compiled {
        document,
        validator,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_schema_compiles_and_names_its_version() {
        for v in PactoVersion::ALL {
            let c = compiled(v).expect("schema compiles");
            assert_eq!(
                c.document["$id"],
                format!("https://pacto.trianalab.com/schema/v{}", v.as_str())
            );
            assert_eq!(
                c.document["properties"]["pactoVersion"]["enum"][0],
                v.as_str()
            );
        }
    }
}
