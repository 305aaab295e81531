//! The normalised view: what 1.x and 2.0 contracts both say, read one way.
//!
//! Consumers (explain, graph, diff, the dashboard, the operator) call these instead of
//! reaching into `runtime`, `capabilities` or the version-specific field names, so they
//! branch on the version only where the meaning really differs. Ports, probe timings,
//! scaling, image, chart and lifecycle are 1.x fields; on a 2.0 contract migrated by
//! `pacto migrate` the accessors below read them from the preserved extension
//! ([`super::Preserved`]).

use super::{
    CapabilityType, Chart, Contract, Image, Lifecycle, Preserved, Scaling, State, Workload,
};

/// A health or metrics endpoint: the interface serving it and the path on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub interface: String,
    pub path: Option<String>,
    /// 1.x `runtime.health.initialDelaySeconds` (2.0 has no probe timings).
    pub initial_delay_seconds: Option<u64>,
    /// The YAML path of the declaration, for messages.
    pub at: String,
}

impl Contract {
    /// The execution pattern (1.x `runtime.workload`, 2.0 `workload`).
    pub fn workload(&self) -> Option<Workload> {
        self.runtime.as_ref().map(|r| r.workload).or(self.workload)
    }

    /// The state model (1.x `runtime.state`, 2.0 `state`).
    pub fn state(&self) -> Option<&State> {
        self.runtime
            .as_ref()
            .map(|r| &r.state)
            .or(self.state.as_ref())
    }

    /// The health endpoint (1.x `runtime.health`, 2.0 a bound `health` capability).
    pub fn health(&self) -> Option<Endpoint> {
        if let Some(h) = self.runtime.as_ref().and_then(|r| r.health.as_ref()) {
            return Some(Endpoint {
                interface: h.interface.clone(),
                path: h.path.clone(),
                initial_delay_seconds: h.initial_delay_seconds,
                at: "runtime.health".into(),
            });
        }
        let mut bound = self.bound_capability(CapabilityType::Health)?;
        bound.initial_delay_seconds = self
            .preserved()
            .and_then(|p| p.health_initial_delay_seconds);
        Some(bound)
    }

    /// The metrics endpoint (1.x `runtime.metrics`, 2.0 a bound `metrics` capability).
    pub fn metrics(&self) -> Option<Endpoint> {
        if let Some(m) = self.runtime.as_ref().and_then(|r| r.metrics.as_ref()) {
            return Some(Endpoint {
                interface: m.interface.clone(),
                path: m.path.clone(),
                initial_delay_seconds: None,
                at: "runtime.metrics".into(),
            });
        }
        self.bound_capability(CapabilityType::Metrics)
    }

    /// Whether the contract declares a capability of this type (bound or not).
    pub fn declares(&self, kind: CapabilityType) -> bool {
        self.capabilities.iter().any(|c| c.kind == kind)
            || match kind {
                CapabilityType::Health => self.health().is_some(),
                CapabilityType::Metrics => self.metrics().is_some(),
                CapabilityType::Extension => false,
            }
    }

    fn bound_capability(&self, kind: CapabilityType) -> Option<Endpoint> {
        self.capabilities
            .iter()
            .enumerate()
            .find_map(|(i, c)| match (&c.binding, c.kind == kind) {
                (Some(b), true) => Some(Endpoint {
                    interface: b.interface.clone(),
                    path: b.path.clone(),
                    initial_delay_seconds: None,
                    at: format!("capabilities[{i}].binding"),
                }),
                _ => None,
            })
    }

    /// The 1.x facts `pacto migrate` kept in a 2.0 contract (`None` for 1.x, which has
    /// them natively, and for a 2.0 contract without the extension).
    pub fn preserved(&self) -> Option<Preserved> {
        if !self.pacto_version.is_v2() {
            return None;
        }
        Preserved::from_extensions(self.extensions.as_ref())
    }

    /// The port of an interface (1.x `interfaces[].port`, else the preserved one).
    pub fn port_of(&self, interface: &str) -> Option<u32> {
        if !self.pacto_version.is_v2() {
            return self.interface(interface).and_then(|i| i.port);
        }
        self.preserved()
            .and_then(|p| p.ports.get(interface).copied())
    }

    /// Replica bounds (1.x `scaling`, else the preserved one).
    pub fn scaling(&self) -> Option<Scaling> {
        self.scaling
            .clone()
            .or_else(|| self.preserved().and_then(|p| p.scaling))
    }

    /// Container image (1.x `service.image`, else the preserved one).
    pub fn image(&self) -> Option<Image> {
        self.service
            .image
            .clone()
            .or_else(|| self.preserved().and_then(|p| p.image))
    }

    /// Helm chart (1.x `service.chart`, else the preserved one).
    pub fn chart(&self) -> Option<Chart> {
        self.service
            .chart
            .clone()
            .or_else(|| self.preserved().and_then(|p| p.chart))
    }

    /// Upgrade and shutdown behaviour (1.x `runtime.lifecycle`, else the preserved one).
    pub fn lifecycle(&self) -> Option<Lifecycle> {
        self.runtime
            .as_ref()
            .and_then(|r| r.lifecycle.clone())
            .or_else(|| self.preserved().and_then(|p| p.lifecycle))
    }
}
