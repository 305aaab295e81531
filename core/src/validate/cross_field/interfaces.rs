//! `interfaces[]`: unique names, ports (1.x) and spec files per protocol.

use super::first_seen;
use crate::bundle::Bundle;
use crate::finding::Finding;
use crate::model::{Contract, Interface, Protocol};
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
        if contract.pacto_version.is_v2() {
            // 2.0: no ports (they live in the cluster), `ref` is required by the schema and
            // must parse as its spec kind.
            if let Some(file) = iface.spec_file()
                && let Some(bytes) = bundle.read(file)
                && let Some(problem) = spec_problem(file, bytes, iface.protocol())
            {
                out.push(Finding::error(
                    codes::INVALID_INTERFACE_SPEC,
                    format!("{at}.ref"),
                    format!("spec file `{file}` of interface '{name}' {problem}"),
                ));
            }
            continue;
        }
        v1_port(iface, &at, out);
        match (iface.spec_file(), iface.protocol()) {
            (None, Protocol::Grpc) => out.push(Finding::error(
                codes::CONTRACT_REQUIRED,
                format!("{at}.contract"),
                format!("grpc interface '{name}' needs its service definition: add `contract: interfaces/{name}.proto` and bundle the file"),
            )),
            (None, Protocol::Event) => out.push(Finding::error(
                codes::CONTRACT_REQUIRED,
                format!("{at}.contract"),
                format!("event interface '{name}' needs its message contract: add `contract: interfaces/{name}.yaml` (AsyncAPI) and bundle the file"),
            )),
            (Some(file), _) => {
                if let Some(bytes) = bundle.read(file)
                    && let Some(problem) = spec_problem(file, bytes, Protocol::Http)
                {
                    out.push(Finding::error(
                        codes::INVALID_CONTRACT_FILE,
                        format!("{at}.contract"),
                        format!("contract file `{file}` of interface '{name}' {problem}"),
                    ));
                }
            }
            (None, Protocol::Http) => {}
        }
    }
}

/// 1.x: http and grpc interfaces need a port; an event interface's port is ignored.
fn v1_port(iface: &Interface, at: &str, out: &mut Vec<Finding>) {
    let name = &iface.name;
    match (iface.protocol(), iface.port) {
        (Protocol::Http | Protocol::Grpc, None) => {
            let example = if iface.protocol() == Protocol::Http {
                8080
            } else {
                9090
            };
            out.push(Finding::error(
                codes::PORT_REQUIRED,
                format!("{at}.port"),
                format!(
                    "interface '{name}' is {} and needs a port: add `port: {example}`",
                    iface.kind
                ),
            ));
        }
        (Protocol::Event, Some(port)) => out.push(Finding::warning(
            codes::PORT_IGNORED,
            format!("{at}.port"),
            format!(
                "interface '{name}' is an event interface, so `port: {port}` is ignored: remove it"
            ),
        )),
        _ => {}
    }
}

/// Content check: YAML and JSON specs must parse to a mapping; a 2.0 grpc spec must
/// parse as a `.proto` file (1.x only asks any other text spec to be UTF-8).
fn spec_problem(file: &str, bytes: &[u8], protocol: Protocol) -> Option<String> {
    let lower = file.to_ascii_lowercase();
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Some("is not UTF-8 text: save it as UTF-8".to_string());
    };
    if protocol == Protocol::Grpc {
        return crate::diff::proto::parse_proto(text)
            .err()
            .map(|e| format!("is not a valid .proto file ({e}): fix the definition"));
    }
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
