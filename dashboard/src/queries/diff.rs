//! The diff of two contract versions (`/api/diff`, the diff page): both bundles loaded,
//! compared by the core, classified.

use super::{QueryError, find_version};
use crate::loader::{Loaded, Loader};
use crate::model::SourceKind;
use crate::snapshot::{MergedVersion, Snapshot};
use pacto_core::diff::ContractDiff;
use serde::Serialize;
use serde_json::Value;
use std::sync::Arc;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiffSide {
    pub name: String,
    pub version: String,
    pub source: SourceKind,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChangeView {
    pub path: String,
    #[serde(rename = "type")]
    pub change_type: String,
    pub classification: String,
    pub reason: String,
    pub old_value: Option<Value>,
    pub new_value: Option<Value>,
}

impl From<pacto_core::diff::Change> for ChangeView {
    fn from(c: pacto_core::diff::Change) -> Self {
        ChangeView {
            path: c.path,
            change_type: c.change_type.as_str().to_string(),
            classification: c.classification.as_str().to_string(),
            reason: c.reason,
            old_value: c.old_value,
            new_value: c.new_value,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiffResponse {
    pub from: DiffSide,
    pub to: DiffSide,
    pub classification: String,
    pub changes: Vec<ChangeView>,
}

/// The diff of two versions written `name@version` (a bare name: its current version).
pub async fn compare(
    snap: &Snapshot,
    loader: &Loader,
    from: &str,
    to: &str,
) -> Result<DiffResponse, QueryError> {
    let (a, b) = (find_version(snap, from)?, find_version(snap, to)?);
    let (la, lb) = load_both(loader, a, b).await?;
    let body = diff(&la, &lb).ok_or(QueryError::NotDiffable)?;
    Ok(DiffResponse {
        from: side(a),
        to: side(b),
        classification: body.classification,
        changes: body.changes,
    })
}

fn side(m: &MergedVersion) -> DiffSide {
    DiffSide {
        name: m.record.name.clone(),
        version: m.record.version.clone(),
        source: m.record.source,
    }
}

/// Both versions' bundles, read through the loader.
pub async fn load_both(
    loader: &Loader,
    a: &MergedVersion,
    b: &MergedVersion,
) -> Result<(Arc<Loaded>, Arc<Loaded>), QueryError> {
    let load = |m: &MergedVersion| {
        let locator = m.record.locator.clone();
        async move {
            loader
                .load(&locator)
                .await
                .map_err(|e| QueryError::Unavailable(e.to_string()))
        }
    };
    Ok((load(a).await?, load(b).await?))
}

/// The core's contract diff; `None` when either side failed validation.
pub fn contract_diff(old: &Loaded, new: &Loaded) -> Option<ContractDiff> {
    let (a, b) = (old.contract.as_ref()?, new.contract.as_ref()?);
    Some(pacto_core::diff::diff_contracts(
        a,
        &old.bundle,
        b,
        &new.bundle,
    ))
}

/// The core's contract diff, in wire form; `None` when either side failed validation.
pub fn diff(old: &Loaded, new: &Loaded) -> Option<DiffBody> {
    let d = contract_diff(old, new)?;
    Some(DiffBody {
        classification: d.classification.as_str().to_string(),
        changes: d.changes.into_iter().map(ChangeView::from).collect(),
    })
}

/// A diff's classification and changes, without its sides.
pub struct DiffBody {
    pub classification: String,
    pub changes: Vec<ChangeView>,
}
