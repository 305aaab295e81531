//! Which consumers break if a service moves from one of its versions to another
//! (`/api/impact`, the impact page): the diff of the two versions joined with the
//! snapshot's dependents (each consumer's current contract) by `pacto_core::impact`.

use super::diff::{ChangeView, contract_diff, load_both};
use super::{QueryError, find};
use crate::loader::Loader;
use crate::model::ContractStatus;
use crate::snapshot::{ServiceEntry, Snapshot};
use pacto_core::impact::{Consumer, Edge, ImpactReport, analyze};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Longest `service`, `from` or `to` accepted (longer is a bad request, not a lookup).
pub const MAX_PARAM_LEN: usize = 256;

/// The impact controls shared by the API and the page.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImpactParams {
    /// The service that changes (required).
    pub service: Option<String>,
    /// The version it moves from. Default: the contract version a Pacto in the cluster
    /// reports (when it is another known version), else the version before `to`.
    pub from: Option<String>,
    /// The version it moves to. Default: its newest version.
    pub to: Option<String>,
}

/// Impact parameters that cannot name anything.
#[derive(Debug, thiserror::Error)]
pub enum ImpactParamsError {
    #[error("service is required: /api/impact?service=NAME[&from=VERSION&to=VERSION]")]
    MissingService,
    #[error("{0} must be at most {MAX_PARAM_LEN} characters")]
    TooLong(&'static str),
}

/// Validated [`ImpactParams`]: empty `from`/`to` (what the page's form sends for "default")
/// are absent.
#[derive(Debug, Clone)]
pub struct ImpactQuery {
    pub service: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl ImpactParams {
    pub fn query(&self) -> Result<ImpactQuery, ImpactParamsError> {
        let check = |name: &'static str, v: &Option<String>| match v.as_deref().map(str::trim) {
            Some(s) if s.len() > MAX_PARAM_LEN => Err(ImpactParamsError::TooLong(name)),
            Some(s) if !s.is_empty() => Ok(Some(s.to_string())),
            _ => Ok(None),
        };
        let service = check("service", &self.service)?.ok_or(ImpactParamsError::MissingService)?;
        Ok(ImpactQuery {
            service,
            from: check("from", &self.from)?,
            to: check("to", &self.to)?,
        })
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImpactConsumer {
    pub service: String,
    /// Hops from the changed service (1 = depends on it directly).
    pub depth: u32,
    pub direct: bool,
    /// The shortest chain of dependents, `[changed service, …, this consumer]`.
    pub path: Vec<String>,
    /// It cannot work without the changed service (required dependencies all the way).
    pub required: bool,
    /// The range a direct consumer declares on the changed service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compatibility: Option<String>,
    /// `compatible`, `incompatible` or `unknown`.
    pub compatibility_verdict: String,
    pub reason: String,
    /// The consumer's current version, as the service list shows it.
    pub version: Option<String>,
    #[schema(value_type = crate::model::ContractStatusSchema)]
    pub contract_status: ContractStatus,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImpactLimitation {
    /// `SERVICE_NOT_IN_FLEET`, `CONSUMERS_TRUNCATED`, `SAME_VERSION`, …
    pub code: String,
    pub message: String,
}

/// `pacto impact`'s report (`schemaVersion: pacto.dev/impact/v1`), each consumer with its
/// current version and status.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImpactResponse {
    pub schema_version: String,
    pub service: String,
    pub old_version: String,
    pub new_version: String,
    /// `NON_BREAKING`, `POTENTIAL_BREAKING` or `BREAKING`.
    pub classification: String,
    pub breaking_changes: Vec<ChangeView>,
    pub potentially_breaking_changes: Vec<ChangeView>,
    pub non_breaking_changes: Vec<ChangeView>,
    pub consumers: Vec<ImpactConsumer>,
    pub limitations: Vec<ImpactLimitation>,
    /// The change breaks a consumer that cannot work without the service (`pacto impact`
    /// exits 1 then).
    pub blocking: bool,
}

/// The versions the answer compares when `from`/`to` are left out (see [`ImpactParams`]).
pub fn default_versions(
    svc: &ServiceEntry,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(String, String), QueryError> {
    let to = match to {
        Some(t) => t.to_string(),
        None => svc
            .versions
            .first()
            .map(|m| m.record.version.clone())
            .ok_or_else(|| QueryError::NoContract(svc.name.clone()))?,
    };
    let from = match from {
        Some(f) => f.to_string(),
        None => {
            let deployed = svc.runtime.iter().find_map(|r| {
                r.status
                    .contract_version
                    .clone()
                    .filter(|v| *v != to && svc.version(v).is_some())
            });
            let previous = || {
                let i = svc.versions.iter().position(|m| m.record.version == to)?;
                svc.versions.get(i + 1).map(|m| m.record.version.clone())
            };
            deployed.or_else(previous).unwrap_or_else(|| to.clone())
        }
    };
    Ok((from, to))
}

/// The impact of `q.service` moving between two of its versions.
pub async fn impact(
    snap: &Snapshot,
    loader: &Loader,
    q: &ImpactQuery,
) -> Result<ImpactResponse, QueryError> {
    let svc = find(snap, &q.service)?;
    let (from, to) = default_versions(svc, q.from.as_deref(), q.to.as_deref())?;
    let version = |v: &str| {
        svc.version(v).ok_or_else(|| QueryError::NoVersion {
            name: svc.name.clone(),
            version: v.to_string(),
        })
    };
    let (la, lb) = load_both(loader, version(&from)?, version(&to)?).await?;
    let diff = contract_diff(&la, &lb).ok_or(QueryError::NotDiffable)?;
    let report = analyze(&svc.name, (&from, &to), diff, |n| dependents(snap, n));
    Ok(response(snap, report))
}

/// The direct dependents of `name` as the snapshot links them (current contracts).
fn dependents(snap: &Snapshot, name: &str) -> Vec<Edge> {
    snap.services
        .get(name)
        .map(|s| {
            s.dependents
                .iter()
                .map(|(from, d)| Edge::new(from.clone(), d.required, Some(&d.compatibility)))
                .collect()
        })
        .unwrap_or_default()
}

fn response(snap: &Snapshot, r: ImpactReport) -> ImpactResponse {
    let blocking = r.blocking();
    let views = |cs: Vec<pacto_core::diff::Change>| cs.into_iter().map(ChangeView::from).collect();
    let consumer = |c: Consumer| {
        let known = snap.services.get(&c.service);
        ImpactConsumer {
            version: known.and_then(|s| s.entry.version.clone()),
            contract_status: known.map_or(ContractStatus::Unknown, |s| s.status),
            service: c.service,
            depth: c.depth,
            direct: c.direct,
            path: c.path,
            required: c.required,
            compatibility: c.compatibility,
            compatibility_verdict: c.compatibility_verdict.as_str().to_string(),
            reason: c.reason,
        }
    };
    ImpactResponse {
        schema_version: r.schema_version,
        service: r.service,
        old_version: r.old_version,
        new_version: r.new_version,
        classification: r.classification.as_str().to_string(),
        breaking_changes: views(r.breaking_changes),
        potentially_breaking_changes: views(r.potentially_breaking_changes),
        non_breaking_changes: views(r.non_breaking_changes),
        consumers: r.consumers.into_iter().map(consumer).collect(),
        limitations: r
            .limitations
            .into_iter()
            .map(|l| ImpactLimitation {
                code: l.code.as_str().to_string(),
                message: l.message,
            })
            .collect(),
        blocking,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(service: Option<&str>, from: Option<&str>, to: Option<&str>) -> ImpactParams {
        ImpactParams {
            service: service.map(str::to_string),
            from: from.map(str::to_string),
            to: to.map(str::to_string),
        }
    }

    #[test]
    fn params_are_checked() {
        let q = params(Some(" svc "), Some(""), Some("2.0.0"))
            .query()
            .unwrap();
        assert_eq!(
            (q.service.as_str(), q.from, q.to.as_deref()),
            ("svc", None, Some("2.0.0"))
        );
        for p in [
            params(None, None, None),
            params(Some("  "), Some("1"), None),
        ] {
            assert!(matches!(p.query(), Err(ImpactParamsError::MissingService)));
        }
        let long = "x".repeat(MAX_PARAM_LEN + 1);
        let e = params(Some("a"), Some(&long), None).query().unwrap_err();
        assert_eq!(e.to_string(), "from must be at most 256 characters");
        assert!(
            params(Some(&"y".repeat(MAX_PARAM_LEN)), None, None)
                .query()
                .is_ok()
        );
    }
}
