//! Contract facts copied into status (for `kubectl get`, the dashboard and JSONPath users).

use std::collections::BTreeMap;

use pacto_core::Contract;
use pacto_core::model::{CapabilityType, Owner};
use pacto_crds::status::{
    CapabilityInfo, ConfigurationInfo, Contact, ContractInfo, DependencyInfo, InterfaceInfo,
    OwnerInfo, PolicyInfo, RuntimeInfo, ScalingInfo,
};
use pacto_crds::{Overrides, PactoStatus};
use serde_json::Value;

/// Marks configuration values that reference a secret instead of holding one.
const SECRET_PREFIX: &str = "secret://";

/// Fills the contract projection fields of `status`.
pub(crate) fn project(
    status: &mut PactoStatus,
    c: &Contract,
    overrides: Option<&Overrides>,
    resolved_ref: Option<&str>,
) {
    status.contract_version = Some(c.service.version.clone());
    status.contract = Some(contract_info(c, resolved_ref));
    status.interfaces = c
        .interfaces
        .iter()
        .map(|i| InterfaceInfo {
            name: i.name.clone(),
            type_: i.kind.as_str().to_string(),
            port: i
                .port
                .or_else(|| c.port_of(&i.name))
                .and_then(|p| i32::try_from(p).ok()),
            visibility: Some(i.visibility.as_str().to_string()),
            has_contract_file: i.spec_file().is_some(),
        })
        .collect();
    status.capabilities = capabilities(c);
    status.configurations = c
        .all_configurations()
        .into_iter()
        .map(|(_, conf)| configuration_info(&conf, overrides))
        .collect();
    status.dependencies = c
        .dependencies
        .iter()
        .map(|d| DependencyInfo {
            name: d.key(),
            ref_: Some(d.reference.clone()),
            required: d.required,
            compatibility: Some(d.compatibility.clone()),
        })
        .collect();
    status.policies = c
        .all_policies()
        .into_iter()
        .map(|(_, p)| PolicyInfo {
            name: Some(p.display_name().to_string()),
            has_schema: p.schema.is_some(),
            schema: p.schema.clone(),
            ref_: p.reference.clone(),
            ..PolicyInfo::default()
        })
        .collect();
    // The normalised view: 1.x `runtime` and 2.0 top-level workload/state/capabilities.
    let lifecycle = c.runtime.as_ref().and_then(|r| r.lifecycle.as_ref());
    let (health, metrics) = (c.health(), c.metrics());
    status.runtime = (c.workload().is_some() || c.state().is_some()).then(|| RuntimeInfo {
        workload: c.workload().map(|w| w.as_str().to_string()),
        state_type: c.state().map(|s| s.kind.as_str().to_string()),
        persistence_scope: c.state().map(|s| s.persistence.scope.as_str().to_string()),
        persistence_durability: c
            .state()
            .map(|s| s.persistence.durability.as_str().to_string()),
        data_criticality: c.state().map(|s| s.data_criticality.as_str().to_string()),
        upgrade_strategy: lifecycle
            .and_then(|l| l.upgrade_strategy)
            .map(|u| u.as_str().to_string()),
        graceful_shutdown_seconds: lifecycle
            .and_then(|l| l.graceful_shutdown_seconds)
            .and_then(|s| i32::try_from(s).ok()),
        health_interface: health.as_ref().map(|h| h.interface.clone()),
        health_path: health.as_ref().and_then(|h| h.path.clone()),
        metrics_interface: metrics.as_ref().map(|m| m.interface.clone()),
        metrics_path: metrics.as_ref().and_then(|m| m.path.clone()),
        health_initial_delay_seconds: health
            .as_ref()
            .and_then(|h| h.initial_delay_seconds)
            .and_then(|s| i32::try_from(s).ok()),
    });
    status.scaling = c.scaling().map(|s| ScalingInfo {
        replicas: s.replicas.and_then(|n| i32::try_from(n).ok()),
        min: s.min.and_then(|n| i32::try_from(n).ok()),
        max: s.max.and_then(|n| i32::try_from(n).ok()),
    });
    status.metadata = c
        .metadata
        .iter()
        .flatten()
        .map(|(k, v)| (k.clone(), stringify(v)))
        .collect::<BTreeMap<_, _>>();
}

/// 2.0 `capabilities[]` as declared, then a 1.x `runtime.health`/`runtime.metrics` as the
/// capability it migrates to (when not declared already).
fn capabilities(c: &Contract) -> Vec<CapabilityInfo> {
    let mut out: Vec<CapabilityInfo> = c
        .capabilities
        .iter()
        .map(|k| CapabilityInfo {
            type_: k.kind.as_str().to_string(),
            ref_: k.reference.clone(),
        })
        .collect();
    let implied = [
        (CapabilityType::Health, c.health().is_some()),
        (CapabilityType::Metrics, c.metrics().is_some()),
    ];
    for (kind, declared) in implied {
        if declared && !out.iter().any(|o| o.type_ == kind.as_str()) {
            out.push(CapabilityInfo {
                type_: kind.as_str().to_string(),
                ref_: None,
            });
        }
    }
    out
}

fn contract_info(c: &Contract, resolved_ref: Option<&str>) -> ContractInfo {
    let owner = c.service.owner.as_ref().map(|o| match o {
        Owner::Name(n) => OwnerInfo {
            team: Some(n.clone()),
            ..OwnerInfo::default()
        },
        Owner::Info(i) => OwnerInfo {
            team: i.team.clone(),
            dri: i.dri.clone(),
            contacts: i
                .contacts
                .iter()
                .map(|c| Contact {
                    type_: c.kind.clone(),
                    value: c.value.clone(),
                    purpose: c.purpose.clone(),
                })
                .collect(),
        },
    });
    ContractInfo {
        service_name: Some(c.service.name.clone()),
        version: Some(c.service.version.clone()),
        owner_display: c
            .service
            .owner
            .as_ref()
            .and_then(|o| o.display_name())
            .map(str::to_string),
        owner,
        image_ref: c.image().map(|i| i.reference),
        resolved_ref: resolved_ref.map(str::to_string),
    }
}

fn configuration_info(
    conf: &pacto_core::model::Configuration,
    overrides: Option<&Overrides>,
) -> ConfigurationInfo {
    let name = conf.display_name().to_string();
    let mut value_keys = Vec::new();
    let mut secret_keys = Vec::new();
    if let Some(Value::Object(values)) = &conf.values {
        for (k, v) in values {
            if v.as_str().is_some_and(|s| s.starts_with(SECRET_PREFIX)) {
                secret_keys.push(k.clone());
            } else {
                value_keys.push(k.clone());
            }
        }
    }
    let overridden_keys = overrides
        .into_iter()
        .flat_map(|o| o.configurations.iter())
        .filter(|o| o.name == name)
        .flat_map(|o| o.values.keys().cloned())
        .collect();
    ConfigurationInfo {
        name,
        has_schema: conf.schema.is_some(),
        ref_: conf.reference.clone(),
        value_keys,
        secret_keys,
        overridden_keys,
        properties: Vec::new(),
    }
}

/// Metadata values as text: strings verbatim, everything else as compact JSON.
fn stringify(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
