//! Matches a contract's dependencies to the Pactos in the cluster (pure: the runtime passes
//! the Pactos it already holds in its store).

use pacto_core::Contract;
use pacto_core::model::Dependency;
use pacto_core::oci_ref;
use pacto_core::semver_range::{Constraint, parse_version_lenient};
use pacto_crds::Pacto;

use super::target_snapshot::ObservedDependency;

/// One entry per contract dependency, in declaration order.
///
/// A Pacto provides dependency `d` when its contract `service.name` (from status) equals
/// `d.key()`, or when its `contractRef.oci` names the same registry/repository as `d.ref`.
/// Among several providers the choice is deterministic: same namespace first, then one whose
/// version satisfies the range, then by `namespace/name`. `list_error` (the Pacto list could
/// not be read) makes every entry unobservable.
pub fn observe_dependencies<P: std::borrow::Borrow<Pacto>>(
    contract: &Contract,
    namespace: &str,
    pactos: &[P],
    list_error: Option<&str>,
) -> Vec<ObservedDependency> {
    contract
        .dependencies
        .iter()
        .map(|d| {
            let name = d.key();
            if let Some(e) = list_error {
                return ObservedDependency {
                    name,
                    unobservable: Some(e.to_string()),
                    ..ObservedDependency::default()
                };
            }
            let range = Constraint::parse(&d.compatibility).ok();
            let best = pactos
                .iter()
                .map(std::borrow::Borrow::borrow)
                .filter(|p| provides(p, d, &name))
                .min_by_key(|p| {
                    let ns = p.metadata.namespace.as_deref().unwrap_or_default();
                    (
                        ns != namespace,
                        !satisfies(version_of(p), range.as_ref()),
                        ns.to_string(),
                        p.metadata.name.clone().unwrap_or_default(),
                    )
                });
            ObservedDependency {
                pacto: best.map(|p| {
                    format!(
                        "{}/{}",
                        p.metadata.namespace.as_deref().unwrap_or_default(),
                        p.metadata.name.as_deref().unwrap_or_default()
                    )
                }),
                found_version: best.and_then(|p| version_of(p).map(str::to_string)),
                name,
                unobservable: None,
            }
        })
        .collect()
}

fn version_of(p: &Pacto) -> Option<&str> {
    p.status
        .as_ref()
        .and_then(|s| s.contract_version.as_deref())
}

fn satisfies(version: Option<&str>, range: Option<&Constraint>) -> bool {
    match (version.and_then(parse_version_lenient), range) {
        (Some(v), Some(r)) => r.matches(&v),
        _ => false,
    }
}

fn provides(p: &Pacto, d: &Dependency, key: &str) -> bool {
    let by_name = p
        .status
        .as_ref()
        .and_then(|s| s.contract.as_ref())
        .and_then(|c| c.service_name.as_deref())
        == Some(key);
    by_name || same_repository(p.spec.contract_ref.oci.as_deref(), &d.reference)
}

fn same_repository(pacto_ref: Option<&str>, dep_ref: &str) -> bool {
    let (Some(a), Ok(b)) = (pacto_ref.map(oci_ref::parse), oci_ref::parse(dep_ref)) else {
        return false;
    };
    a.is_ok_and(|a| a.registry == b.registry && a.repository == b.repository)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract(deps: &str) -> Contract {
        let yaml = format!(
            "pactoVersion: \"1.1\"\nservice:\n  name: api\n  version: 1.0.0\ndependencies:\n{deps}"
        );
        serde_saphyr::from_str(&yaml).expect("contract")
    }

    fn pacto(ns: &str, name: &str, oci: Option<&str>, service: &str, version: &str) -> Pacto {
        let yaml = format!(
            concat!(
                "apiVersion: pacto.trianalab.io/v1alpha1\nkind: Pacto\nmetadata:\n  name: {name}\n  namespace: {ns}\n",
                "spec:\n  contractRef:\n    {src}\nstatus:\n  contractVersion: \"{version}\"\n",
                "  contract:\n    serviceName: {service}\n"
            ),
            name = name,
            ns = ns,
            version = version,
            service = service,
            src = match oci {
                Some(o) => format!("oci: {o}"),
                None => "inline: x".to_string(),
            }
        );
        serde_saphyr::from_str(&yaml).expect("pacto")
    }

    #[test]
    fn matches_by_service_name_and_by_repository() {
        let c = contract(concat!(
            "  - name: auth\n    ref: oci://ghcr.io/acme/auth:1.0.0\n    compatibility: ^1.0.0\n    required: true\n",
            "  - name: billing\n    ref: oci://ghcr.io/acme/billing-contract\n    compatibility: ^2.0.0\n",
            "  - name: ghost\n    ref: oci://ghcr.io/acme/ghost\n    compatibility: '*'\n",
        ));
        let pactos = [
            pacto("shop", "auth", None, "auth", "1.4.0"),
            pacto(
                "other",
                "billing",
                Some("ghcr.io/acme/billing-contract"),
                "bill",
                "2.1.0",
            ),
        ];
        let got = observe_dependencies(&c, "shop", &pactos, None);
        assert_eq!(got[0].pacto.as_deref(), Some("shop/auth"));
        assert_eq!(got[0].found_version.as_deref(), Some("1.4.0"));
        assert_eq!(got[1].pacto.as_deref(), Some("other/billing"));
        assert_eq!(got[2].name, "ghost");
        assert_eq!(got[2].pacto, None);
    }

    #[test]
    fn prefers_same_namespace_then_satisfying_version() {
        let c = contract(
            "  - name: auth\n    ref: oci://ghcr.io/acme/auth\n    compatibility: ^2.0.0\n",
        );
        let pactos = [
            pacto("b", "auth-old", None, "auth", "1.0.0"),
            pacto("a", "auth-new", None, "auth", "2.0.0"),
            pacto("a", "auth-bad", None, "auth", "1.0.0"),
        ];
        let got = observe_dependencies(&c, "z", &pactos, None);
        assert_eq!(got[0].pacto.as_deref(), Some("a/auth-new"));
        let got = observe_dependencies(&c, "b", &pactos, None);
        assert_eq!(got[0].pacto.as_deref(), Some("b/auth-old"));
    }

    #[test]
    fn list_error_is_unobservable() {
        let c = contract(
            "  - name: auth\n    ref: oci://ghcr.io/acme/auth\n    compatibility: ^2.0.0\n",
        );
        let got = observe_dependencies::<Pacto>(&c, "z", &[], Some("forbidden"));
        assert_eq!(got[0].unobservable.as_deref(), Some("forbidden"));
    }
}
