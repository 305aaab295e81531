//! Matches a contract's dependencies to the Pactos in the cluster (pure: the runtime passes
//! what it already holds of every Pacto, see [`Provider`]).

use pacto_core::Contract;
use pacto_core::model::Dependency;
use pacto_core::oci_ref;
use pacto_core::semver_range::{Constraint, parse_version_lenient};
use pacto_crds::Pacto;

use super::target_snapshot::ObservedDependency;

/// What dependency matching reads of a Pacto: where it is, its `contractRef.oci`, and from its
/// status the contract's version and `service.name`. The operator keeps just these per Pacto
/// (`controller::statuses`); a whole [`Pacto`] provides them too.
pub trait Provider {
    fn namespace(&self) -> &str;
    fn name(&self) -> &str;
    fn oci(&self) -> Option<&str>;
    fn contract_version(&self) -> Option<&str>;
    fn service_name(&self) -> Option<&str>;
}

impl Provider for Pacto {
    fn namespace(&self) -> &str {
        self.metadata.namespace.as_deref().unwrap_or_default()
    }
    fn name(&self) -> &str {
        self.metadata.name.as_deref().unwrap_or_default()
    }
    fn oci(&self) -> Option<&str> {
        self.spec.contract_ref.oci.as_deref()
    }
    fn contract_version(&self) -> Option<&str> {
        self.status.as_ref()?.contract_version.as_deref()
    }
    fn service_name(&self) -> Option<&str> {
        self.status
            .as_ref()?
            .contract
            .as_ref()?
            .service_name
            .as_deref()
    }
}

/// One entry per contract dependency, in declaration order.
///
/// A Pacto provides dependency `d` when its contract `service.name` (from status) equals
/// `d.key()`, or when its `contractRef.oci` names the same registry/repository as `d.ref`.
/// Among several providers the choice is deterministic: same namespace first, then one whose
/// version satisfies the range, then by `namespace/name`. `list_error` (the Pacto list could
/// not be read) makes every entry unobservable.
pub fn observe_dependencies<P: Provider>(
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
                .filter(|p| provides(*p, d, &name))
                .min_by_key(|p| {
                    (
                        p.namespace() != namespace,
                        !satisfies(p.contract_version(), range.as_ref()),
                        p.namespace(),
                        p.name(),
                    )
                });
            ObservedDependency {
                pacto: best.map(|p| format!("{}/{}", p.namespace(), p.name())),
                found_version: best.and_then(|p| p.contract_version().map(str::to_string)),
                name,
                unobservable: None,
            }
        })
        .collect()
}

fn satisfies(version: Option<&str>, range: Option<&Constraint>) -> bool {
    match (version.and_then(parse_version_lenient), range) {
        (Some(v), Some(r)) => r.matches(&v),
        _ => false,
    }
}

fn provides(p: &impl Provider, d: &Dependency, key: &str) -> bool {
    p.service_name() == Some(key) || same_repository(p.oci(), &d.reference)
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
