//! What to deploy, decided from the contract's normalised view and the options: the workload
//! kind, ports, probe, replicas, storage and strategy. The choices follow the operator's checks
//! (operator/src/eval/checks): `service` runs as a Deployment, or a StatefulSet when state is
//! `stateful`, persistent or upgraded `ordered`; `job` a Job; `scheduled` a CronJob.

use pacto_core::Contract;
use pacto_core::model::{
    CapabilityType, Durability, PersistenceScope, Protocol, StateType, UpgradeStrategy, Workload,
};
use serde_json::Value;

use super::K8sError;
use super::names::port_names;
use super::options::Options;

/// The extension namespace whose `ports.<interface>` give 2.0 interfaces their port.
pub const EXTENSION: &str = "pacto.trianalab.io/v1";
/// Ports of interfaces that say nothing (2.0 has no `port`).
pub const DEFAULT_HTTP_PORT: u16 = 8080;
pub const DEFAULT_GRPC_PORT: u16 = 9090;
/// CronJob schedule when neither `--option schedule` nor `metadata.schedule` gives one.
pub const DEFAULT_SCHEDULE: &str = "0 0 * * *";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Deployment,
    StatefulSet,
    Job,
    CronJob,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Deployment => "Deployment",
            Self::StatefulSet => "StatefulSet",
            Self::Job => "Job",
            Self::CronJob => "CronJob",
        }
    }

    pub fn api_version(self) -> &'static str {
        match self {
            Self::Deployment | Self::StatefulSet => "apps/v1",
            Self::Job | Self::CronJob => "batch/v1",
        }
    }

    /// Runs pods continuously (gets a Service, replicas, a PDB).
    pub fn is_service(self) -> bool {
        matches!(self, Self::Deployment | Self::StatefulSet)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Port {
    pub interface: String,
    /// Container and Service port name (an IANA service name).
    pub name: String,
    pub number: u16,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Probe {
    /// httpGet on the named container port.
    Http { port: String, path: Option<String> },
    /// gRPC health checking protocol on the port number.
    Grpc { port: u16 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replicas {
    Fixed(u32),
    Auto { min: u32, max: u32 },
}

impl Replicas {
    pub fn min(self) -> u32 {
        match self {
            Self::Fixed(n) => n,
            Self::Auto { min, .. } => min,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    None,
    /// StatefulSet volumeClaimTemplates: one volume per replica.
    PerReplica,
    /// One PersistentVolumeClaim mounted by every replica.
    Shared,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub name: String,
    pub version: String,
    pub kind: Kind,
    pub image: String,
    pub ports: Vec<Port>,
    pub probe: Option<Probe>,
    pub initial_delay: Option<u64>,
    pub grace: Option<u64>,
    pub strategy: Option<UpgradeStrategy>,
    pub replicas: Replicas,
    pub storage: Storage,
    pub schedule: Option<String>,
    pub deadline: Option<u64>,
    /// Things the reader should know (defaults taken, checks that cannot pass).
    pub notes: Vec<String>,
}

pub fn plan(c: &Contract, o: &Options) -> Result<Plan, K8sError> {
    let mut notes = Vec::new();
    let name = c.service.name.clone();
    let image = o
        .image
        .clone()
        .or_else(|| c.service.image.as_ref().map(|i| i.reference.clone()))
        .ok_or_else(|| K8sError::NoImage {
            version: c.pacto_version.to_string(),
        })?;
    if let (Some(opt), Some(declared)) = (&o.image, &c.service.image)
        && *opt != declared.reference
    {
        notes.push(format!(
            "image {opt} is not the contract's service.image.ref {}: the operator's ImageMatch check will fail",
            declared.reference
        ));
    }
    let state = c.state();
    let persistent = state.is_some_and(|s| s.persistence.durability == Durability::Persistent);
    let lifecycle = c.runtime.as_ref().and_then(|r| r.lifecycle.as_ref());
    let strategy = lifecycle.and_then(|l| l.upgrade_strategy);
    let kind = match c.workload() {
        Some(Workload::Job) => Kind::Job,
        Some(Workload::Scheduled) => Kind::CronJob,
        declared => {
            if declared.is_none() {
                notes.push("the contract declares no workload: generated a service".into());
            }
            let stateful = state.is_some_and(|s| s.kind == StateType::Stateful);
            if stateful || persistent || strategy == Some(UpgradeStrategy::Ordered) {
                Kind::StatefulSet
            } else {
                Kind::Deployment
            }
        }
    };
    let storage = match state {
        Some(s) if persistent && s.persistence.scope == PersistenceScope::Local => {
            if kind == Kind::StatefulSet {
                Storage::PerReplica
            } else {
                notes.push(format!(
                    "local persistent state needs per-replica volumes, which a {} cannot have: mounted one shared claim",
                    kind.as_str()
                ));
                Storage::Shared
            }
        }
        _ if persistent => Storage::Shared,
        _ => Storage::None,
    };
    let ports = ports(c, o)?;
    let (probe, initial_delay) = probe(c, &ports, &mut notes);
    let replicas = replicas(c, o, kind)?;
    let schedule = (kind == Kind::CronJob).then(|| {
        o.schedule
            .clone()
            .or_else(|| metadata_str(c, "schedule"))
            .unwrap_or_else(|| {
                notes.push(format!(
                    "no schedule (--option schedule or metadata.schedule): using {DEFAULT_SCHEDULE:?}"
                ));
                DEFAULT_SCHEDULE.to_string()
            })
    });
    let deadline = matches!(kind, Kind::Job | Kind::CronJob)
        .then(|| {
            c.metadata
                .as_ref()
                .and_then(|m| m.get("timeoutSeconds"))
                .and_then(Value::as_u64)
        })
        .flatten();
    Ok(Plan {
        name,
        version: c.service.version.clone(),
        kind,
        image,
        ports,
        probe,
        initial_delay,
        grace: lifecycle.and_then(|l| l.graceful_shutdown_seconds),
        strategy,
        replicas,
        storage,
        schedule,
        deadline,
        notes,
    })
}

fn metadata_str(c: &Contract, key: &str) -> Option<String> {
    c.metadata.as_ref()?.get(key)?.as_str().map(str::to_string)
}

/// `--option port.<iface>`, else the 1.x `port`, else the extension's `ports.<iface>`, else
/// the protocol default (taking the next free number on a clash). Event interfaces without
/// any of these have no port.
fn ports(c: &Contract, o: &Options) -> Result<Vec<Port>, K8sError> {
    for k in o.ports.keys() {
        if c.interface(k).is_none() {
            return Err(K8sError::UnknownInterface {
                option: format!("port.{k}"),
                interface: k.clone(),
            });
        }
    }
    let ext = c
        .extensions
        .as_ref()
        .and_then(|e| e.get(EXTENSION))
        .and_then(|e| e.get("ports"));
    let explicit = |name: &str, port: Option<u32>| -> Option<u16> {
        o.ports
            .get(name)
            .copied()
            .or_else(|| port.and_then(|p| u16::try_from(p).ok()))
            .or_else(|| {
                ext.and_then(|e| e.get(name))
                    .and_then(Value::as_u64)
                    .and_then(|p| u16::try_from(p).ok())
            })
    };
    let mut used: Vec<u16> = c
        .interfaces
        .iter()
        .filter_map(|i| explicit(&i.name, i.port))
        .collect();
    let mut numbers = Vec::new();
    for i in &c.interfaces {
        let n = match (explicit(&i.name, i.port), i.protocol()) {
            (Some(n), _) => Some(n),
            (None, Protocol::Event) => None,
            (None, p) => {
                let mut n = if p == Protocol::Grpc {
                    DEFAULT_GRPC_PORT
                } else {
                    DEFAULT_HTTP_PORT
                };
                while used.contains(&n) {
                    n += 1;
                }
                used.push(n);
                Some(n)
            }
        };
        if let Some(n) = n {
            numbers.push((i.name.clone(), n));
        }
    }
    let names = port_names(numbers.iter().map(|(i, _)| i.as_str()));
    // Two interfaces on one number share one container port (the first name).
    let mut out: Vec<Port> = Vec::new();
    for ((interface, number), name) in numbers.into_iter().zip(names) {
        if out.iter().any(|p| p.number == number) {
            continue;
        }
        out.push(Port {
            interface,
            name,
            number,
        });
    }
    Ok(out)
}

fn probe(c: &Contract, ports: &[Port], notes: &mut Vec<String>) -> (Option<Probe>, Option<u64>) {
    let Some(h) = c.health() else {
        // 2.0: an unbound health capability on a gRPC service means the gRPC health protocol.
        if c.declares(CapabilityType::Health)
            && let Some(g) = c
                .interfaces
                .iter()
                .find(|i| i.protocol() == Protocol::Grpc)
                .and_then(|i| ports.iter().find(|p| p.interface == i.name))
        {
            return (Some(Probe::Grpc { port: g.number }), None);
        }
        return (None, None);
    };
    let iface = c.interface(&h.interface);
    let port = ports
        .iter()
        .find(|p| p.interface == h.interface)
        .or_else(|| {
            let n = iface?.port.and_then(|p| u16::try_from(p).ok())?;
            ports.iter().find(|p| p.number == n)
        });
    let Some(port) = port else {
        notes.push(format!(
            "health interface {} has no port: no probe generated",
            h.interface
        ));
        return (None, h.initial_delay_seconds);
    };
    let probe = if iface.is_some_and(|i| i.protocol() == Protocol::Grpc) {
        Probe::Grpc { port: port.number }
    } else {
        Probe::Http {
            port: port.name.clone(),
            path: h.path.clone(),
        }
    };
    (Some(probe), h.initial_delay_seconds)
}

fn replicas(c: &Contract, o: &Options, kind: Kind) -> Result<Replicas, K8sError> {
    let bounds = c.scaling.as_ref().and_then(|s| s.bounds());
    if let Some(n) = o.replicas {
        if let Some((min, max)) = bounds
            && (n < min || n > max)
        {
            return Err(K8sError::ReplicasOutOfRange { n, min, max });
        }
        return Ok(Replicas::Fixed(n));
    }
    Ok(match bounds {
        Some((min, max)) if min < max && kind.is_service() => Replicas::Auto { min, max },
        Some((min, _)) => Replicas::Fixed(min),
        None => Replicas::Fixed(1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract(yaml: &str) -> Contract {
        let raw = pacto_core::parse::parse_yaml(yaml).expect("yaml");
        pacto_core::parse::contract_from_value(&raw).expect("contract")
    }

    const V2: &str = r#"pactoVersion: "2.0"
service: {name: s, version: 1.0.0}
interfaces:
  - {name: a, type: openapi, ref: a.yaml}
  - {name: b, type: openapi, ref: b.yaml}
  - {name: g, type: grpc, ref: g.proto}
  - {name: e, type: asyncapi, ref: e.yaml}
workload: service
"#;

    fn numbers(p: &Plan) -> Vec<(&str, u16)> {
        p.ports
            .iter()
            .map(|p| (p.interface.as_str(), p.number))
            .collect()
    }

    #[test]
    fn v2_ports_default_by_protocol_without_clashes() {
        let o = Options {
            image: Some("i".into()),
            ..Options::default()
        };
        let p = plan(&contract(V2), &o).expect("plan");
        assert_eq!(numbers(&p), [("a", 8080), ("b", 8081), ("g", 9090)]);
        assert_eq!(p.kind, Kind::Deployment);
        assert_eq!(p.replicas, Replicas::Fixed(1));
    }

    #[test]
    fn option_then_extension_then_default() {
        let with_ext = V2.replace(
            "workload: service\n",
            "workload: service\nextensions:\n  pacto.trianalab.io/v1:\n    ports: {a: 8081, g: 7000}\n",
        );
        let mut o = Options {
            image: Some("i".into()),
            ..Options::default()
        };
        o.ports.insert("g".into(), 6000);
        let p = plan(&contract(&with_ext), &o).expect("plan");
        // b's default 8080 is free; a took 8081 from the extension; the option beats it for g.
        assert_eq!(numbers(&p), [("a", 8081), ("b", 8080), ("g", 6000)]);
    }

    #[test]
    fn state_and_strategy_choose_the_kind() {
        let base = r#"pactoVersion: "1.1"
service: {name: s, version: 1.0.0, image: {ref: nginx}}
runtime:
  workload: service
  state: {type: STATE, persistence: {scope: SCOPE, durability: DUR}, dataCriticality: low}
  lifecycle: {upgradeStrategy: UPG}
"#;
        let o = Options::default();
        for (state, scope, dur, upg, kind, storage) in [
            (
                "stateless",
                "local",
                "ephemeral",
                "rolling",
                Kind::Deployment,
                Storage::None,
            ),
            (
                "stateless",
                "local",
                "ephemeral",
                "ordered",
                Kind::StatefulSet,
                Storage::None,
            ),
            (
                "hybrid",
                "local",
                "ephemeral",
                "recreate",
                Kind::Deployment,
                Storage::None,
            ),
            (
                "stateful",
                "local",
                "ephemeral",
                "rolling",
                Kind::StatefulSet,
                Storage::None,
            ),
            (
                "hybrid",
                "local",
                "persistent",
                "rolling",
                Kind::StatefulSet,
                Storage::PerReplica,
            ),
            (
                "stateful",
                "shared",
                "persistent",
                "recreate",
                Kind::StatefulSet,
                Storage::Shared,
            ),
        ] {
            let y = base
                .replace("STATE", state)
                .replace("SCOPE", scope)
                .replace("DUR", dur)
                .replace("UPG", upg);
            let p = plan(&contract(&y), &o).expect("plan");
            assert_eq!(
                (p.kind, p.storage),
                (kind, storage),
                "{state} {scope} {dur} {upg}"
            );
        }
    }
}
