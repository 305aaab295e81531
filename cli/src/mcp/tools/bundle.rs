//! Tools over the bundle the server was started on: `pacto_explain` and `pacto_interfaces`.

use super::args::InterfacesArgs;
use crate::mcp::resources::BundleState;
use pacto_core::explain::explain as explain_contract;
use pacto_core::model::Protocol;
use pacto_dashboard::specs;
use serde_json::{Value, json};

pub fn explain(b: &BundleState) -> Result<Value, String> {
    let contract = b.contract()?;
    serde_json::to_value(explain_contract(contract, &b.bundle)).map_err(|e| e.to_string())
}

/// The operations of each interface's spec: OpenAPI endpoints, AsyncAPI channels,
/// protobuf services. A spec that cannot be read gives an `error` for that interface.
pub fn interfaces(b: &BundleState, a: InterfacesArgs) -> Result<Value, String> {
    let contract = b.contract()?;
    if let Some(name) = &a.interface
        && contract.interface(name).is_none()
    {
        return Err(format!("no interface named {name:?}"));
    }
    let mut out = Vec::new();
    for iface in &contract.interfaces {
        if a.interface.as_ref().is_some_and(|n| n != &iface.name) {
            continue;
        }
        let mut entry = json!({
            "name": iface.name,
            "type": iface.kind.as_str(),
            "protocol": iface.protocol().as_str(),
            "visibility": iface.visibility.as_str(),
            "specFile": iface.spec_file(),
        });
        let text = iface.spec_file().and_then(|f| b.bundle.read_str(f));
        let ops = match (text, iface.protocol()) {
            (None, _) => Ok(json!([])),
            (Some(t), Protocol::Grpc) => {
                to_json(specs::proto_services(t)).map(|s| json!({ "grpcServices": s }))
            }
            (Some(t), Protocol::Http) => specs::parse(t)
                .and_then(|doc| to_json(specs::openapi_endpoints(&doc)))
                .map(|e| json!({ "operations": e })),
            (Some(t), Protocol::Event) => specs::parse(t)
                .and_then(|doc| to_json(specs::asyncapi_channels(&doc)))
                .map(|c| json!({ "channels": c })),
        };
        match ops {
            Ok(Value::Object(m)) => entry
                .as_object_mut()
                .into_iter()
                .for_each(|e| e.extend(m.clone())),
            Ok(_) => {}
            Err(e) => {
                entry["error"] = json!(e);
            }
        }
        out.push(entry);
    }
    Ok(json!({ "service": contract.service.name, "interfaces": out }))
}

fn to_json<T: serde::Serialize>(v: T) -> Result<Value, String> {
    serde_json::to_value(v).map_err(|e| e.to_string())
}
