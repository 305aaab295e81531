//! A structured summary of a contract, for `pacto explain` and the dashboard.

use crate::bundle::Bundle;
use crate::model::{Contract, Owner};
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    pub pacto_version: String,
    pub service: ServiceSummary,
    pub owner: Option<String>,
    pub runtime: Option<RuntimeSummary>,
    pub interfaces: Vec<InterfaceSummary>,
    pub dependencies: Vec<DependencySummary>,
    pub scaling: Option<ScalingSummary>,
    pub configuration: Vec<ConfigurationSummary>,
    pub policy: Vec<PolicySummary>,
    /// 2.0 capabilities (health and metrics bindings, extensions).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub capabilities: Vec<CapabilitySummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readiness: Option<ReadinessSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CapabilitySummary {
    #[serde(rename = "type")]
    pub kind: String,
    /// `interface path` of an http binding.
    pub binding: Option<String>,
    /// An extension's namespaced ref.
    #[serde(rename = "ref")]
    pub reference: Option<String>,
}

/// The readiness assessment: its gate and each check (1.x) or claim (2.0).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReadinessSummary {
    pub min_score: Option<u32>,
    pub expires: Option<String>,
    /// `checks` (1.x) or `claims` (2.0).
    pub list: String,
    pub items: Vec<ReadinessItemSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReadinessItemSummary {
    pub id: String,
    pub status: Option<String>,
    pub weight: u32,
    pub category: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSummary {
    pub name: String,
    pub version: String,
    pub image: Option<String>,
    pub chart: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeSummary {
    pub workload: String,
    pub state: String,
    pub persistence: String,
    pub data_criticality: String,
    pub upgrade_strategy: Option<String>,
    pub graceful_shutdown_seconds: Option<u64>,
    pub health: Option<String>,
    pub metrics: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InterfaceSummary {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub port: Option<u32>,
    pub visibility: String,
    pub contract: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DependencySummary {
    pub name: String,
    #[serde(rename = "ref")]
    pub reference: String,
    pub required: bool,
    pub compatibility: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScalingSummary {
    pub min: u32,
    pub max: u32,
    pub fixed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigurationSummary {
    pub name: String,
    pub schema: Option<String>,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub properties: Vec<PropertySummary>,
    pub values: Option<Value>,
}

/// One top-level property of a configuration JSON Schema.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PropertySummary {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub required: bool,
    pub default: Option<Value>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicySummary {
    pub name: String,
    pub schema: Option<String>,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
}

/// Summarises `contract`; configuration properties are read from the bundled schema.
pub fn explain(contract: &Contract, bundle: &Bundle) -> Explanation {
    let lifecycle = contract.lifecycle();
    let lifecycle = lifecycle.as_ref();
    let runtime = contract
        .workload()
        .zip(contract.state())
        .map(|(workload, state)| RuntimeSummary {
            workload: workload.to_string(),
            state: state.kind.to_string(),
            persistence: format!(
                "{}/{}",
                state.persistence.scope, state.persistence.durability
            ),
            data_criticality: state.data_criticality.to_string(),
            upgrade_strategy: lifecycle
                .and_then(|l| l.upgrade_strategy)
                .map(|s| s.to_string()),
            graceful_shutdown_seconds: lifecycle.and_then(|l| l.graceful_shutdown_seconds),
            health: contract
                .health()
                .map(|h| endpoint(&h.interface, h.path.as_deref())),
            metrics: contract
                .metrics()
                .map(|m| endpoint(&m.interface, m.path.as_deref())),
        });
    Explanation {
        pacto_version: contract.pacto_version.to_string(),
        service: ServiceSummary {
            name: contract.service.name.clone(),
            version: contract.service.version.clone(),
            image: contract.image().map(|i| i.reference),
            chart: contract
                .chart()
                .map(|c| format!("{}@{}", c.reference, c.version)),
        },
        owner: contract
            .service
            .owner
            .as_ref()
            .and_then(Owner::display_name)
            .map(str::to_string),
        runtime,
        interfaces: contract
            .interfaces
            .iter()
            .map(|i| InterfaceSummary {
                name: i.name.clone(),
                kind: i.kind.to_string(),
                port: i.port.or_else(|| contract.port_of(&i.name)),
                visibility: i.visibility.as_str().to_string(),
                contract: i.spec_file().map(str::to_string),
            })
            .collect(),
        dependencies: contract
            .dependencies
            .iter()
            .map(|d| DependencySummary {
                name: d.key(),
                reference: d.reference.clone(),
                required: d.required,
                compatibility: d.compatibility.clone(),
            })
            .collect(),
        scaling: contract.scaling().and_then(|s| {
            s.bounds().map(|(min, max)| ScalingSummary {
                min,
                max,
                fixed: s.replicas.is_some(),
            })
        }),
        configuration: contract
            .all_configurations()
            .into_iter()
            .map(|(_, c)| ConfigurationSummary {
                name: c.display_name().to_string(),
                properties: c
                    .schema
                    .as_deref()
                    .and_then(|p| bundle.read(p))
                    .and_then(|b| serde_json::from_slice::<Value>(b).ok())
                    .map(|s| schema_properties(&s))
                    .unwrap_or_default(),
                schema: c.schema,
                reference: c.reference,
                values: c.values,
            })
            .collect(),
        policy: contract
            .all_policies()
            .into_iter()
            .map(|(_, p)| PolicySummary {
                name: p.display_name().to_string(),
                schema: p.schema,
                reference: p.reference,
            })
            .collect(),
        capabilities: contract
            .capabilities
            .iter()
            .map(|c| CapabilitySummary {
                kind: c.kind.as_str().to_string(),
                binding: c
                    .binding
                    .as_ref()
                    .map(|b| endpoint(&b.interface, b.path.as_deref())),
                reference: c.reference.clone(),
            })
            .collect(),
        readiness: contract.readiness.as_ref().map(|r| ReadinessSummary {
            min_score: r.min_score,
            expires: r.expires.clone(),
            list: r.items_field().to_string(),
            items: r
                .items()
                .iter()
                .map(|c| ReadinessItemSummary {
                    id: c.id.clone(),
                    status: c.status.clone(),
                    weight: c.weight,
                    category: c.category.clone(),
                })
                .collect(),
        }),
    }
}

fn endpoint(interface: &str, path: Option<&str>) -> String {
    match path {
        Some(p) => format!("{interface} {p}"),
        None => interface.to_string(),
    }
}

/// Top-level properties of a JSON Schema object, in declaration order.
pub fn schema_properties(schema: &Value) -> Vec<PropertySummary> {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return Vec::new();
    };
    props
        .iter()
        .map(|(name, p)| PropertySummary {
            name: name.clone(),
            kind: match p.get("type") {
                Some(Value::String(t)) => Some(t.clone()),
                Some(Value::Array(ts)) => Some(
                    ts.iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join("|"),
                ),
                _ => None,
            },
            required: required.contains(&name.as_str()),
            default: p.get("default").cloned(),
            description: p
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string),
        })
        .collect()
}
