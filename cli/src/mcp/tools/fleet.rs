//! The fleet tools of `pacto mcp --fleet`, answered from the in-process dashboard's JSON
//! API (`crate::mcp::fleet`): search, one service, the dependency graph, the live Pacto
//! statuses of the cluster source, and the transitive impact of a change.

use super::args::{FleetMaybeNameArgs, FleetNameArgs, FleetSearchArgs};
use crate::mcp::fleet::{Answer, Fleet, segment};
use pacto_core::impact::Edge;
use pacto_core::impact::walk::walk;
use serde_json::{Value, json};

const DEFAULT_LIMIT: usize = 50;

fn found(f: &Fleet, url: &str, name: Option<&str>) -> Result<Value, String> {
    match f.get(url)? {
        Answer::Found(v) => Ok(v),
        Answer::NotFound(why) => Err(match name {
            Some(n) => format!("no service named {n:?} in the fleet (use pacto_fleet_search)"),
            None => why,
        }),
    }
}

fn service(f: &Fleet, name: &str) -> Result<Value, String> {
    found(f, &format!("/api/services/{}", segment(name)), Some(name))
}

fn services(f: &Fleet) -> Result<Vec<Value>, String> {
    match found(f, "/api/services", None)? {
        Value::Array(list) => Ok(list),
        other => Err(format!("unexpected service list: {other}")),
    }
}

fn contains(hay: &Value, needle: &str) -> bool {
    hay.as_str()
        .is_some_and(|h| h.to_lowercase().contains(needle))
}

pub fn search(f: &Fleet, a: FleetSearchArgs) -> Result<Value, String> {
    let query = a.query.as_deref().map(str::to_lowercase);
    let owner = a.owner.as_deref().map(str::to_lowercase);
    let limit = a.limit.unwrap_or(DEFAULT_LIMIT);
    let all = services(f)?;
    let total = all.len();
    let matched: Vec<Value> = all
        .into_iter()
        .filter(|s| {
            query.as_deref().is_none_or(|q| {
                // Contracts carry no description; a listing field of that name would count.
                ["name", "owner", "description"]
                    .iter()
                    .any(|k| contains(&s[*k], q))
            }) && owner.as_deref().is_none_or(|o| contains(&s["owner"], o))
        })
        .collect();
    let count = matched.len();
    let shown: Vec<Value> = matched.into_iter().take(limit).collect();
    Ok(json!({
        "total": total,
        "matched": count,
        "truncated": count > shown.len(),
        "services": shown,
        "summary": format!("{count} of {total} service(s) match"),
    }))
}

pub fn get(f: &Fleet, a: FleetNameArgs) -> Result<Value, String> {
    service(f, &a.name)
}

pub fn graph(f: &Fleet, a: FleetMaybeNameArgs) -> Result<Value, String> {
    match &a.name {
        Some(n) => found(f, &format!("/api/services/{}/graph", segment(n)), Some(n)),
        None => found(f, "/api/graph", None),
    }
}

/// The live statuses: the runtime records (one per Pacto object) of the cluster source.
pub fn status(f: &Fleet, a: FleetMaybeNameArgs) -> Result<Value, String> {
    let sources = found(f, "/api/sources", None)?;
    let k8s = sources["sources"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|s| s["type"] == "k8s")
        .cloned()
        .unwrap_or(Value::Null);
    if k8s["enabled"] != true {
        let why = k8s["reason"].as_str().unwrap_or("not configured");
        // Still answer whether the service exists, so a wrong name is an error.
        if let Some(n) = &a.name {
            service(f, n)?;
        }
        return Ok(json!({
            "clusterSource": false,
            "reason": why,
            "statuses": [],
            "summary": format!(
                "no Kubernetes cluster source ({why}): live Pacto statuses need a cluster (kubeconfig or in-cluster config, the Pacto CRD served) and `pacto mcp --fleet` without --no-k8s"
            ),
        }));
    }
    let names: Vec<String> = match &a.name {
        Some(n) => vec![n.clone()],
        None => services(f)?
            .iter()
            .filter(|s| {
                s["sources"]
                    .as_array()
                    .is_some_and(|l| l.contains(&json!("k8s")))
            })
            .filter_map(|s| s["name"].as_str().map(str::to_string))
            .collect(),
    };
    let mut statuses = Vec::new();
    for n in &names {
        let d = service(f, n)?;
        statuses.push(json!({
            "name": n,
            "contractStatus": d["contractStatus"],
            "namespaces": d["namespaces"],
            "runtime": d["runtime"],
        }));
    }
    let deployed = statuses
        .iter()
        .filter(|s| s["runtime"].as_array().is_some_and(|r| !r.is_empty()))
        .count();
    Ok(json!({
        "clusterSource": true,
        "reason": k8s["reason"],
        "statuses": statuses,
        "summary": format!("{deployed} of {} service(s) have a Pacto in the cluster", names.len()),
    }))
}

/// Who breaks if `name` changes: its dependents, theirs, and so on.
pub fn impact(f: &Fleet, a: FleetNameArgs) -> Result<Value, String> {
    service(f, &a.name)?;
    let walked = walk(&a.name, |n| {
        let url = format!("/api/services/{}/dependents", segment(n));
        let list = match f.get(&url)? {
            Answer::Found(Value::Array(l)) => l,
            // A dependent the fleet lists but cannot describe ends the walk there.
            _ => Vec::new(),
        };
        Ok::<_, String>(
            list.iter()
                .filter_map(|d| {
                    Some(Edge::new(
                        d["name"].as_str()?,
                        d["required"].as_bool().unwrap_or(false),
                        d["compatibility"].as_str(),
                    ))
                })
                .collect(),
        )
    })?;
    let impacted: Vec<Value> = walked
        .reached
        .iter()
        .map(|r| {
            json!({
                "name": r.name,
                "depth": r.depth,
                "via": r.via(),
                "required": r.edge.required,
                "requiredPath": r.required_path,
            })
        })
        .collect();
    let direct = walked.reached.iter().filter(|i| i.depth == 1).count();
    let hard = walked.reached.iter().filter(|i| i.required_path).count();
    Ok(json!({
        "name": a.name,
        "dependents": impacted,
        "summary": format!(
            "{} service(s) depend on {} ({direct} directly); {hard} through required dependencies only",
            impacted.len(),
            a.name
        ),
    }))
}
