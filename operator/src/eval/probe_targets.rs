//! Which EndpointSlice addresses the operator may probe.
//!
//! Whoever may write an EndpointSlice could otherwise make the operator GET any host:port. Only
//! slices written by Kubernetes' own controllers are trusted (the EndpointSlice controller for
//! a Service with a selector, the mirroring controller for a selector-less Service's
//! `Endpoints`), only IP addresses of the slice's family are probed (never `FQDN`), and never an
//! address whose `targetRef` lives in another namespace than the Pacto's.

use std::net::{Ipv4Addr, Ipv6Addr};

use k8s_openapi::api::discovery::v1::EndpointSlice;

/// Label naming the controller that manages an EndpointSlice.
pub const MANAGED_BY_LABEL: &str = "endpointslice.kubernetes.io/managed-by";

/// `managed-by` values of Kubernetes' own endpoint controllers.
pub const TRUSTED_MANAGERS: [&str; 2] = [
    "endpointslice-controller.k8s.io",
    "endpointslicemirroring-controller.k8s.io",
];

/// Skip notes quoted in a message; the rest are counted.
const QUOTED_SKIPS: usize = 3;

/// Why a whole slice is not probed, or `None` when it may be.
pub fn slice_refusal(slice: &EndpointSlice) -> Option<String> {
    let name = slice.metadata.name.as_deref().unwrap_or("(unnamed)");
    let managed_by = slice
        .metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(MANAGED_BY_LABEL));
    match managed_by {
        Some(m) if TRUSTED_MANAGERS.contains(&m.as_str()) => {}
        Some(m) => {
            return Some(format!(
                "EndpointSlice {name}: managed by {m:?}, not by Kubernetes"
            ));
        }
        None => {
            return Some(format!(
                "EndpointSlice {name}: not managed by Kubernetes (no {MANAGED_BY_LABEL})"
            ));
        }
    }
    match slice.address_type.as_str() {
        "IPv4" | "IPv6" => None,
        other => Some(format!(
            "EndpointSlice {name}: addressType {other} is not probed"
        )),
    }
}

/// Why one address of a trusted slice is not probed, or `None` when it may be.
fn address_refusal(
    slice: &EndpointSlice,
    address: &str,
    target_namespace: Option<&str>,
    namespace: &str,
) -> Option<String> {
    let name = slice.metadata.name.as_deref().unwrap_or("(unnamed)");
    let family_ok = match slice.address_type.as_str() {
        "IPv4" => address.parse::<Ipv4Addr>().is_ok(),
        "IPv6" => address.parse::<Ipv6Addr>().is_ok(),
        _ => false,
    };
    if !family_ok {
        return Some(format!(
            "EndpointSlice {name}: {address:?} is not an {} address",
            slice.address_type
        ));
    }
    match target_namespace {
        Some(ns) if ns != namespace => Some(format!(
            "EndpointSlice {name}: {address} targets namespace {ns}"
        )),
        _ => None,
    }
}

/// The probeable part of a Service's EndpointSlices.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProbeTargets<'a> {
    /// Trusted slices (their ports may resolve a named targetPort).
    pub slices: Vec<&'a EndpointSlice>,
    /// Ready addresses with their pod names, sorted, deduplicated.
    pub addresses: Vec<(String, Option<String>)>,
    /// Why slices or addresses were left out, one note each.
    pub skipped: Vec<String>,
}

impl ProbeTargets<'_> {
    /// A short summary of what was skipped (`None` when nothing was).
    pub fn skipped_summary(&self) -> Option<String> {
        if self.skipped.is_empty() {
            return None;
        }
        let mut quoted: Vec<String> = self.skipped.iter().take(QUOTED_SKIPS).cloned().collect();
        if self.skipped.len() > QUOTED_SKIPS {
            quoted.push(format!("and {} more", self.skipped.len() - QUOTED_SKIPS));
        }
        Some(format!("not probed: {}", quoted.join("; ")))
    }
}

/// Splits `slices` (of one Service in `namespace`) into what may be probed and why the rest
/// is not. `conditions.ready` absent counts as ready, as in the API.
pub fn probe_targets<'a>(slices: &'a [EndpointSlice], namespace: &str) -> ProbeTargets<'a> {
    let mut out = ProbeTargets::default();
    for slice in slices {
        if let Some(why) = slice_refusal(slice) {
            out.skipped.push(why);
            continue;
        }
        out.slices.push(slice);
        let ready = slice
            .endpoints
            .iter()
            .flatten()
            .filter(|e| e.conditions.as_ref().and_then(|c| c.ready) != Some(false));
        for e in ready {
            let target_ns = e.target_ref.as_ref().and_then(|r| r.namespace.as_deref());
            let pod = e
                .target_ref
                .as_ref()
                .filter(|r| r.kind.as_deref() == Some("Pod"))
                .and_then(|r| r.name.clone());
            for a in &e.addresses {
                match address_refusal(slice, a, target_ns, namespace) {
                    Some(why) => out.skipped.push(why),
                    None => out.addresses.push((a.clone(), pod.clone())),
                }
            }
        }
    }
    out.addresses.sort();
    out.addresses.dedup_by(|a, b| a.0 == b.0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(
        managed_by: Option<&str>,
        address_type: &str,
        addr: &str,
        ns: Option<&str>,
    ) -> EndpointSlice {
        let mut labels = serde_json::json!({"kubernetes.io/service-name": "orders"});
        if let Some(m) = managed_by {
            labels[MANAGED_BY_LABEL] = m.into();
        }
        serde_json::from_value(serde_json::json!({
            "metadata": {"name": "s", "labels": labels},
            "addressType": address_type,
            "endpoints": [{"addresses": [addr], "targetRef": {"kind": "Pod", "name": "p", "namespace": ns}}]
        }))
        .expect("slice")
    }

    #[test]
    fn only_trusted_ip_slices_in_the_namespace_are_probed() {
        let ctl = Some(TRUSTED_MANAGERS[0]);
        let ok = [
            slice(ctl, "IPv4", "10.0.0.1", Some("shop")),
            slice(Some(TRUSTED_MANAGERS[1]), "IPv6", "fd00::1", None),
        ];
        assert_eq!(probe_targets(&ok, "shop").addresses.len(), 2);
        for bad in [
            slice(None, "IPv4", "10.0.0.1", None),
            slice(Some("someone"), "IPv4", "10.0.0.1", None),
            slice(ctl, "FQDN", "example.com", None),
            slice(ctl, "IPv4", "example.com", None),
            slice(ctl, "IPv6", "10.0.0.1", None),
            slice(ctl, "IPv4", "10.0.0.1", Some("other")),
        ] {
            let t = probe_targets(std::slice::from_ref(&bad), "shop");
            assert!(t.addresses.is_empty(), "{bad:?}");
            assert_eq!(t.skipped.len(), 1, "{bad:?}");
        }
    }

    #[test]
    fn summary_quotes_a_few_and_counts_the_rest() {
        let many: Vec<_> = (0..5)
            .map(|_| slice(None, "IPv4", "10.0.0.1", None))
            .collect();
        let s = probe_targets(&many, "shop")
            .skipped_summary()
            .expect("summary");
        assert!(
            s.starts_with("not probed: ") && s.ends_with("and 2 more"),
            "{s}"
        );
    }
}
