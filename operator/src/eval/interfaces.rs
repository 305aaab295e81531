//! Where each contract interface is served: which Service port, found from (in this order)
//! the Pacto's `spec.target.interfaceBindings`, the contract's own port (1.x
//! `interfaces[].port`, or the one `pacto migrate` preserved in a 2.0 contract), or a Service
//! port named like the interface (name-match discovery, as the reference operator's
//! `--interface-name-match-discovery`). A 2.0 contract declares no ports, so without a
//! binding or a matching name its interfaces are unbound: reported, not failed.
//!
//! Shared by PortsValid, the health checks, the probe planner and the observed status fields,
//! so all of them agree on the port of an interface.

use k8s_openapi::api::core::v1::{Service, ServicePort};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use pacto_core::Contract;
use pacto_crds::Target;

/// What says where an interface is served.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// `spec.target.interfaceBindings[i]`.
    Binding(usize),
    /// The contract's port (1.x, or preserved by `pacto migrate`).
    Declared,
    /// A Service port named like the interface.
    NameMatch,
}

impl Source {
    /// The field to fix when the port is wrong (`None` for a name match: nothing declared it).
    pub(crate) fn path(self, c: &Contract, interface: &str) -> Option<String> {
        match self {
            Self::Binding(i) => Some(format!("spec.target.interfaceBindings[{i}].servicePort")),
            Self::Declared => {
                let n = c.interfaces.iter().position(|i| i.name == interface)?;
                Some(if c.pacto_version.is_v2() {
                    format!("interfaces[{n}]")
                } else {
                    format!("interfaces[{n}].port")
                })
            }
            Self::NameMatch => None,
        }
    }
}

/// The Service port asked for, by number or by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Wanted {
    Number(i32),
    Name(String),
}

impl Wanted {
    /// `8080` or `admin-http`, for messages.
    pub(crate) fn show(&self) -> String {
        match self {
            Self::Number(n) => n.to_string(),
            Self::Name(s) => s.clone(),
        }
    }

    fn matches(&self, sp: &ServicePort) -> bool {
        match self {
            Self::Number(n) => sp.port == *n,
            Self::Name(s) => sp.name.as_deref() == Some(s.as_str()),
        }
    }
}

/// Where one interface is served.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Resolution<'a> {
    /// By this Service port.
    Served {
        port: &'a ServicePort,
        source: Source,
    },
    /// A binding or the contract names a Service port the Service does not have.
    Absent { wanted: Wanted, source: Source },
    /// A port is named, but no Service was observed to look it up in.
    Unchecked { wanted: Wanted, source: Source },
    /// Nothing says where it is served.
    Unbound,
}

impl Resolution<'_> {
    /// The Service port number, as far as known.
    pub(crate) fn port_number(&self) -> Option<i32> {
        match self {
            Self::Served { port, .. } => Some(port.port),
            Self::Absent {
                wanted: Wanted::Number(n),
                ..
            }
            | Self::Unchecked {
                wanted: Wanted::Number(n),
                ..
            } => Some(*n),
            _ => None,
        }
    }
}

/// Why an interface that resolved to [`Resolution::Unbound`] has no Service port: one wording
/// for every check and the probe planner; for 2.0 it names the field to set.
pub(crate) fn unbound_reason(contract: &Contract, interface: &str) -> String {
    if contract.pacto_version.is_v2() {
        format!(
            "interface {interface} is not bound to a Service port (add it to \
             spec.target.interfaceBindings)"
        )
    } else {
        format!("interface {interface} has no port")
    }
}

/// Resolves interfaces of one contract against one (optional) Service.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Interfaces<'a> {
    contract: &'a Contract,
    target: Option<&'a Target>,
    service: Option<&'a Service>,
    name_match: bool,
}

impl<'a> Interfaces<'a> {
    pub(crate) fn new(
        contract: &'a Contract,
        target: Option<&'a Target>,
        service: Option<&'a Service>,
        name_match: bool,
    ) -> Self {
        Self {
            contract,
            target,
            service,
            name_match,
        }
    }

    /// What the binding or the contract asks for, before looking at the Service.
    pub(crate) fn wanted(&self, interface: &str) -> Option<(Wanted, Source)> {
        let bound = self
            .target
            .into_iter()
            .flat_map(|t| t.interface_bindings.iter())
            .enumerate()
            .find(|(_, b)| b.interface == interface);
        if let Some((i, b)) = bound {
            let wanted = match &b.service_port {
                IntOrString::Int(n) => Wanted::Number(*n),
                IntOrString::String(s) => Wanted::Name(s.clone()),
            };
            return Some((wanted, Source::Binding(i)));
        }
        let port = self
            .contract
            .port_of(interface)
            .and_then(|p| i32::try_from(p).ok())?;
        Some((Wanted::Number(port), Source::Declared))
    }

    /// Where `interface` is served.
    pub(crate) fn resolve(&self, interface: &str) -> Resolution<'a> {
        let ports = || {
            self.service
                .and_then(|s| s.spec.as_ref())
                .into_iter()
                .flat_map(|s| s.ports.iter().flatten())
        };
        match self.wanted(interface) {
            Some((wanted, source)) if self.service.is_none() => {
                Resolution::Unchecked { wanted, source }
            }
            Some((wanted, source)) => match ports().find(|sp| wanted.matches(sp)) {
                Some(port) => Resolution::Served { port, source },
                None => Resolution::Absent { wanted, source },
            },
            None if self.name_match => ports()
                .find(|sp| sp.name.as_deref() == Some(interface))
                .map_or(Resolution::Unbound, |port| Resolution::Served {
                    port,
                    source: Source::NameMatch,
                }),
            None => Resolution::Unbound,
        }
    }

    /// Bindings naming an interface the contract does not declare, with their index.
    pub(crate) fn stray_bindings(&self) -> Vec<(usize, &'a str)> {
        self.target
            .into_iter()
            .flat_map(|t| t.interface_bindings.iter())
            .enumerate()
            .filter(|(_, b)| self.contract.interface(&b.interface).is_none())
            .map(|(i, b)| (i, b.interface.as_str()))
            .collect()
    }

    /// The contract.
    pub(crate) fn contract(&self) -> &'a Contract {
        self.contract
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pacto_core::Bundle;
    use pacto_core::validate::{ValidateOptions, validate_bundle};

    fn contract(yaml: &str) -> Contract {
        let mut b = Bundle::new();
        b.insert("pacto.yaml", yaml.as_bytes().to_vec());
        for f in ["api.yaml", "events.yaml"] {
            b.insert(
                f,
                b"openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n".to_vec(),
            );
        }
        let r = validate_bundle(&b, &ValidateOptions::default());
        r.contract.unwrap_or_else(|| panic!("{:?}", r.errors))
    }

    fn v2() -> Contract {
        contract(concat!(
            "pactoVersion: \"2.0\"\n",
            "service: {name: orders, version: 1.0.0, owner: {team: shop}}\n",
            "interfaces:\n",
            "  - {name: api, type: openapi, ref: api.yaml}\n",
            "  - {name: admin, type: openapi, ref: api.yaml}\n",
            "  - {name: other, type: openapi, ref: api.yaml}\n",
        ))
    }

    fn service() -> Service {
        serde_json::from_value(serde_json::json!({"spec": {"ports": [
            {"name": "http", "port": 80, "targetPort": 8080},
            {"name": "admin", "port": 9090},
        ]}}))
        .expect("service")
    }

    fn target(bindings: serde_json::Value) -> Target {
        serde_json::from_value(serde_json::json!({
            "serviceName": "orders", "interfaceBindings": bindings
        }))
        .expect("target")
    }

    #[test]
    fn bindings_then_names_then_unbound() {
        let c = v2();
        let svc = service();
        let t = target(serde_json::json!([
            {"interface": "api", "servicePort": "http"},
            {"interface": "ghost", "servicePort": 1},
        ]));
        let ifs = Interfaces::new(&c, Some(&t), Some(&svc), true);
        assert!(matches!(
            ifs.resolve("api"),
            Resolution::Served { port, source: Source::Binding(0) } if port.port == 80
        ));
        assert!(matches!(
            ifs.resolve("admin"),
            Resolution::Served { port, source: Source::NameMatch } if port.port == 9090
        ));
        assert_eq!(ifs.resolve("other"), Resolution::Unbound);
        assert_eq!(ifs.stray_bindings(), vec![(1, "ghost")]);
        let no_discovery = Interfaces::new(&c, Some(&t), Some(&svc), false);
        assert_eq!(no_discovery.resolve("admin"), Resolution::Unbound);
    }

    #[test]
    fn a_binding_to_a_port_the_service_lacks_is_absent() {
        let c = v2();
        let svc = service();
        let t = target(serde_json::json!([{"interface": "api", "servicePort": 8443}]));
        let ifs = Interfaces::new(&c, Some(&t), Some(&svc), true);
        let r = ifs.resolve("api");
        assert_eq!(
            r,
            Resolution::Absent {
                wanted: Wanted::Number(8443),
                source: Source::Binding(0)
            }
        );
        assert_eq!(r.port_number(), Some(8443));
        assert_eq!(
            Source::Binding(0).path(&c, "api").as_deref(),
            Some("spec.target.interfaceBindings[0].servicePort")
        );
        let unchecked = Interfaces::new(&c, Some(&t), None, true).resolve("api");
        assert!(matches!(unchecked, Resolution::Unchecked { .. }));
    }

    #[test]
    fn a_1x_port_is_the_declared_service_port() {
        let c = contract(concat!(
            "pactoVersion: \"1.0\"\n",
            "service: {name: orders, version: 1.0.0, owner: team/shop}\n",
            "interfaces:\n  - {name: api, type: http, port: 9090, contract: api.yaml}\n",
        ));
        let svc = service();
        let ifs = Interfaces::new(&c, None, Some(&svc), true);
        assert!(matches!(
            ifs.resolve("api"),
            Resolution::Served { port, source: Source::Declared } if port.port == 9090
        ));
        assert_eq!(
            Source::Declared.path(&c, "api").as_deref(),
            Some("interfaces[0].port")
        );
    }
}
