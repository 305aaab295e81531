//! 2.0 `capabilities[]` and `extensions`: bindings point at a declared http interface
//! with a safe path, extensions are namespaced, each assertion is made once.

use super::first_seen;
use crate::finding::Finding;
use crate::model::{CapabilityType, Contract, Protocol};
use crate::percent::percent_decode;
use crate::validate::codes;

pub fn check(contract: &Contract, out: &mut Vec<Finding>) {
    let mut seen = Vec::new();
    for (i, cap) in contract.capabilities.iter().enumerate() {
        let at = format!("capabilities[{i}]");
        if let Some(b) = &cap.binding {
            match contract.interface(&b.interface) {
                None => out.push(Finding::error(
                    codes::CAPABILITY_INTERFACE_UNKNOWN,
                    format!("{at}.binding.interface"),
                    format!(
                        "{} binding names interface '{}', which is not declared in `interfaces`: {}",
                        cap.kind.as_str(),
                        b.interface,
                        declared_http(contract)
                    ),
                )),
                Some(iface) if iface.protocol() != Protocol::Http => out.push(Finding::error(
                    codes::CAPABILITY_INTERFACE_NOT_HTTP,
                    format!("{at}.binding.interface"),
                    format!(
                        "{} is bound over http, but interface '{}' is {}: bind it to an openapi interface or drop the binding",
                        cap.kind.as_str(),
                        iface.name,
                        iface.kind
                    ),
                )),
                Some(_) => {}
            }
            if let Some(path) = &b.path
                && !is_safe_path(path)
            {
                out.push(Finding::error(
                    codes::CAPABILITY_PATH_INVALID,
                    format!("{at}.binding.path"),
                    format!("binding path {path:?} must start with a single '/' and carry no scheme, host, user info or fragment, e.g. `/healthz`"),
                ));
            }
        }
        if cap.kind == CapabilityType::Extension {
            match cap.reference.as_deref() {
                None => out.push(Finding::error(
                    codes::CAPABILITY_REF_REQUIRED,
                    format!("{at}.ref"),
                    "an extension capability needs a namespaced ref, e.g. `ref: example.com/feature`",
                )),
                Some(r) if !is_namespaced(r) => out.push(Finding::error(
                    codes::CAPABILITY_REF_INVALID,
                    format!("{at}.ref"),
                    format!("extension ref {r:?} is not namespaced: write `<domain>/<name>`, e.g. `example.com/{r}`"),
                )),
                Some(_) => {}
            }
        }
        if let Some(key) = cap.assertion_key()
            && let Some(first) = first_seen(&mut seen, key)
        {
            out.push(Finding::error(
                codes::DUPLICATE_CAPABILITY,
                at,
                format!("capability '{key}' is already declared at capabilities[{first}]: declare each once"),
            ));
        }
    }
    for key in contract.extensions.iter().flat_map(|e| e.keys()) {
        if !is_namespaced(key) {
            out.push(Finding::warning(
                codes::EXTENSION_KEY_NOT_NAMESPACED,
                format!("extensions.{key}"),
                format!("extension key {key:?} is not namespaced: use `<domain>/<name>` so tools cannot collide, e.g. `example.com/{key}`"),
            ));
        }
    }
}

/// `<domain with a dot>/<rest>`, as the reference checks extension refs.
fn is_namespaced(s: &str) -> bool {
    match s.split_once('/') {
        Some((domain, rest)) => domain.contains('.') && !rest.is_empty(),
        None => false,
    }
}

/// A probe path that can only address the bound interface: a single leading `/`, no
/// scheme, authority, user info, fragment or encoded `//` that a URL joiner would read
/// as another host.
pub(crate) fn is_safe_path(path: &str) -> bool {
    if !path.starts_with('/') || path.starts_with("//") || path.contains('#') {
        return false;
    }
    if path.chars().any(|c| c.is_control() || c == '\\') {
        return false;
    }
    let route = path.split('?').next().unwrap_or(path);
    match percent_decode(route) {
        Ok(decoded) => !decoded.starts_with("//") && !decoded.contains('\\'),
        Err(_) => false,
    }
}

fn declared_http(contract: &Contract) -> String {
    let names: Vec<&str> = contract
        .interfaces
        .iter()
        .filter(|i| i.protocol() == Protocol::Http)
        .map(|i| i.name.as_str())
        .collect();
    if names.is_empty() {
        "declare an openapi interface under `interfaces` first".into()
    } else {
        format!("use one of: {}", names.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_paths() {
        for ok in ["/", "/healthz", "/a/b?x=1", "/metrics%20x"] {
            assert!(is_safe_path(ok), "{ok}");
        }
        for bad in [
            "healthz",
            "//evil.example/x",
            "/%2Fevil.example",
            "/%2f%2fevil",
            "/x#frag",
            "/a\\b",
            "/\u{7}",
        ] {
            assert!(!is_safe_path(bad), "{bad}");
        }
    }

    #[test]
    fn namespaced_refs() {
        assert!(is_namespaced("example.com/custom"));
        assert!(!is_namespaced("custom"));
        assert!(!is_namespaced("example/custom"));
        assert!(!is_namespaced("example.com/"));
    }
}
