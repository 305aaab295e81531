//! `interfaces[]`: unique names, ports and spec files per protocol.

use super::first_seen;
use crate::bundle::Bundle;
use crate::finding::Finding;
use crate::model::{Contract, InterfaceType};
use crate::validate::codes;

pub fn check(contract: &Contract, bundle: &Bundle, out: &mut Vec<Finding>) {
    let mut seen = Vec::new();
    for (i, iface) in contract.interfaces.iter().enumerate() {
        let at = format!("interfaces[{i}]");
        let name = &iface.name;
        if let Some(first) = first_seen(&mut seen, name) {
            out.push(Finding::error(
                codes::DUPLICATE_INTERFACE_NAME,
                format!("{at}.name"),
                format!("interface name '{name}' is already used by interfaces[{first}]: give each interface a unique name"),
            ));
        }
        match (iface.kind, iface.port) {
            (InterfaceType::Http | InterfaceType::Grpc, None) => {
                let example = if iface.kind == InterfaceType::Http { 8080 } else { 9090 };
                out.push(Finding::error(
                    codes::PORT_REQUIRED,
                    format!("{at}.port"),
                    format!("interface '{name}' is {} and needs a port: add `port: {example}`", iface.kind),
                ));
            }
            (InterfaceType::Event, Some(port)) => out.push(Finding::warning(
                codes::PORT_IGNORED,
                format!("{at}.port"),
                format!("interface '{name}' is an event interface, so `port: {port}` is ignored: remove it"),
            )),
            _ => {}
        }
        match (&iface.contract, iface.kind) {
            (None, InterfaceType::Grpc) => out.push(Finding::error(
                codes::CONTRACT_REQUIRED,
                format!("{at}.contract"),
                format!("grpc interface '{name}' needs its service definition: add `contract: interfaces/{name}.proto` and bundle the file"),
            )),
            (None, InterfaceType::Event) => out.push(Finding::error(
                codes::CONTRACT_REQUIRED,
                format!("{at}.contract"),
                format!("event interface '{name}' needs its message contract: add `contract: interfaces/{name}.yaml` (AsyncAPI) and bundle the file"),
            )),
            (Some(file), _) => {
                if let Some(bytes) = bundle.read(file)
                    && let Some(problem) = spec_problem(file, bytes)
                {
                    out.push(Finding::error(
                        codes::INVALID_CONTRACT_FILE,
                        format!("{at}.contract"),
                        format!("contract file `{file}` of interface '{name}' {problem}"),
                    ));
                }
            }
            (None, InterfaceType::Http) => {}
        }
    }
}

/// Content check by extension: YAML and JSON specs must parse to a mapping; `.proto`
/// (and any other text spec) must be UTF-8.
fn spec_problem(file: &str, bytes: &[u8]) -> Option<String> {
    let lower = file.to_ascii_lowercase();
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Some("is not UTF-8 text: save it as UTF-8".to_string());
    };
    if lower.ends_with(".json") {
        return match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Object(_)) => None,
            Ok(_) => {
                Some("is JSON but not an object: a spec document is a JSON object".to_string())
            }
            Err(e) => Some(format!("is not valid JSON ({e}): fix the syntax")),
        };
    }
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        return match crate::parse::parse_yaml(text) {
            Ok(_) => None,
            Err(f) => Some(format!(
                "cannot be read: {}",
                f.message.replacen("pacto.yaml", "the file", 1)
            )),
        };
    }
    None
}
