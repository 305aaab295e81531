//! Observed facts copied into status: resources, ports, endpoints, runtime.

use pacto_crds::PactoStatus;
use pacto_crds::status::{
    EndpointStatus, EndpointsStatus, ObjectPresence, ObservedRuntime, PortsStatus, ReplicaProbe,
    ResourcesStatus,
};

use super::EvalInput;
use super::checks::health::{find_health_probe, health_port};
use super::checks::ports::contract_ports;
use super::checks::workload::persistent_storage;
use super::interfaces::Interfaces;
use super::probes::EndpointProbe;
use super::service_ports::service_ports;
use super::target_snapshot::{Observed, workload_of};

/// Fills the observed-fact fields of a targeted Pacto's status.
pub(crate) fn fill(s: &mut PactoStatus, input: &EvalInput<'_>) {
    let (Some(target), Some(c)) = (input.target, input.contract) else {
        return;
    };
    let snap = input.snapshot;
    s.resources = Some(ResourcesStatus {
        service: target.service_name.as_ref().map(|n| ObjectPresence {
            name: n.clone(),
            kind: None,
            exists: matches!(snap.service, Observed::Found(_)),
        }),
        workload: workload_of(target).map(|(kind, name)| ObjectPresence {
            name,
            kind: Some(kind.as_str().to_string()),
            exists: matches!(snap.workload, Observed::Found(_)),
        }),
    });
    let svc = target.service_name.as_ref().and(snap.service.found());
    let ifs = Interfaces::new(c, Some(target), svc, input.settings.interface_name_match);
    if let Some(svc) = svc {
        let expected = contract_ports(&ifs);
        let observed = service_ports(svc);
        if !expected.is_empty() || !observed.is_empty() {
            s.ports = Some(PortsStatus {
                missing: expected
                    .iter()
                    .copied()
                    .filter(|p| !observed.contains(p))
                    .collect(),
                unexpected: observed
                    .iter()
                    .copied()
                    .filter(|p| !expected.contains(p))
                    .collect(),
                expected,
                observed,
            });
        }
        let health = input.probes.health.as_ref().map(endpoint_status);
        let metrics = input.probes.metrics.as_ref().map(endpoint_status);
        if health.is_some() || metrics.is_some() {
            s.endpoints = Some(EndpointsStatus { health, metrics });
        }
    }
    if let Some(w) = snap.workload.found() {
        let pod = w.pod_spec();
        let (templates, volumes) = persistent_storage(w);
        let health_delay = c
            .health()
            .zip(pod)
            .and_then(|(h, pod)| {
                let (port, grpc) = health_port(&ifs, &h, pod).ok()?;
                find_health_probe(pod, port, h.path.as_deref(), grpc).ok()
            })
            .map(|p| p.probe.initial_delay_seconds.unwrap_or(0));
        s.observed_runtime = Some(ObservedRuntime {
            workload_kind: Some(w.kind().as_str().to_string()),
            deployment_strategy: match w {
                super::Workload::Deployment(d) => Some(
                    d.spec
                        .strategy
                        .as_ref()
                        .and_then(|s| s.type_.clone())
                        .unwrap_or_else(|| "RollingUpdate".to_string()),
                ),
                super::Workload::StatefulSet(st) => Some(
                    st.spec
                        .update_strategy
                        .as_ref()
                        .and_then(|u| u.type_.clone())
                        .unwrap_or_else(|| "RollingUpdate".to_string()),
                ),
                _ => None,
            },
            pod_management_policy: match w {
                super::Workload::StatefulSet(st) => Some(
                    st.spec
                        .pod_management_policy
                        .clone()
                        .unwrap_or_else(|| "OrderedReady".to_string()),
                ),
                _ => None,
            },
            termination_grace_period_seconds: pod.and_then(|p| p.termination_grace_period_seconds),
            container_images: pod
                .into_iter()
                .flat_map(|p| p.containers.iter())
                .filter_map(|c| c.image.clone())
                .collect(),
            has_pvc: !templates.is_empty() || !volumes.is_empty(),
            has_empty_dir: pod
                .into_iter()
                .flat_map(|p| p.volumes.iter().flatten())
                .any(|v| v.empty_dir.is_some()),
            health_probe_initial_delay_seconds: health_delay,
            replicas: w.replicas(),
            ready_replicas: w.ready_replicas(),
        });
    }
}

fn endpoint_status(p: &EndpointProbe) -> EndpointStatus {
    let first_failing = p.replicas.iter().find(|r| !r.ok);
    let shown = first_failing.or(p.replicas.first());
    EndpointStatus {
        url: Some(p.url.clone()),
        reachable: p.round_ok(),
        status_code: shown.and_then(|r| r.status_code).map(i32::from),
        latency_ms: p
            .replicas
            .iter()
            .map(|r| r.latency_ms)
            .max()
            .map(|l| i64::try_from(l).unwrap_or(i64::MAX)),
        error: p
            .unobservable
            .clone()
            .or_else(|| first_failing.and_then(|r| r.error.clone())),
        replicas_probed: Some(i32::try_from(p.replicas.len()).unwrap_or(i32::MAX)),
        replicas_passing: Some(i32::try_from(p.passing()).unwrap_or(i32::MAX)),
        replicas: p
            .replicas
            .iter()
            .map(|r| ReplicaProbe {
                address: r.address.clone(),
                pod_name: r.pod_name.clone(),
                reachable: r.ok,
                status_code: r.status_code.map(i32::from),
                latency_ms: Some(i64::try_from(r.latency_ms).unwrap_or(i64::MAX)),
                error: r.error.clone(),
            })
            .collect(),
    }
}
