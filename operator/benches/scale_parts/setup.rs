//! The benchmark's world: N Pactos with their Deployments and Services (the control plane's
//! endpointslice controller adds one EndpointSlice per Service) spread over namespaces, their
//! bundles (`distinct` of them, half of them 2.0 contracts bound by `interfaceBindings`, see
//! `PACTO_BENCH_V2_PERCENT`) in a local registry.

use std::time::Instant;

use futures_util::StreamExt;
use k8s_openapi::api::core::v1::Namespace;
use kube::Api;

use crate::cluster::{Registry, World, pacto};

/// Whether bundle `b` is a 2.0 contract: `PACTO_BENCH_V2_PERCENT` of them (default 50).
pub fn is_v2(b: usize) -> bool {
    let percent = crate::cluster::env_num("PACTO_BENCH_V2_PERCENT", 50) as usize;
    b % 100 < percent
}

/// A 2.0 contract: no ports; the Pacto binds `api` to the Service port, health is a capability.
fn contract_v2_yaml(i: usize) -> String {
    format!(
        "pactoVersion: \"2.0\"\nservice:\n  name: svc-{i}\n  version: 2.0.{i}\n  owner:\n    team: bench\ninterfaces:\n  - name: api\n    type: openapi\n    ref: api.yaml\nworkload: service\nstate:\n  type: stateless\n  persistence:\n    scope: local\n    durability: ephemeral\n  dataCriticality: low\ncapabilities:\n  - type: health\n    binding: {{type: http, interface: api, path: /health}}\n"
    )
}

fn contract_yaml(i: usize) -> String {
    format!(
        "pactoVersion: \"1.1\"\nservice:\n  name: svc-{i}\n  version: 1.0.{i}\n  owner:\n    team: bench\ninterfaces:\n  - name: api\n    type: http\n    port: 8080\nruntime:\n  workload: service\n  state:\n    type: stateless\n    persistence:\n      scope: local\n      durability: ephemeral\n    dataCriticality: low\n"
    )
}

pub struct Setup {
    pub namespaces: Vec<String>,
    /// Kept so the registry process lives as long as the benchmark.
    pub _registry: Registry,
}

/// The namespace Pacto `i` lives in.
pub fn ns_of(s: &Setup, i: usize) -> &str {
    &s.namespaces[i % s.namespaces.len()]
}

pub async fn create(w: &World, n: usize, distinct: usize, namespaces: usize) -> Setup {
    let registry = Registry::new(false);
    for i in 0..distinct {
        if is_v2(i) {
            let mut bundle = pacto_core::Bundle::new();
            bundle.insert("pacto.yaml", contract_v2_yaml(i).into_bytes());
            bundle.insert(
                "api.yaml",
                b"openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n".to_vec(),
            );
            registry
                .push_bundle(&format!("bench/svc-{i}"), &format!("2.0.{i}"), &bundle)
                .await;
        } else {
            let yaml = contract_yaml(i);
            registry
                .push(&format!("bench/svc-{i}"), &format!("1.0.{i}"), &yaml)
                .await;
        }
    }
    let t = Instant::now();
    let nss: Vec<String> = (0..namespaces).map(|k| format!("{}-{k}", w.ns)).collect();
    for ns in &nss {
        let obj: Namespace =
            serde_json::from_value(serde_json::json!({"metadata": {"name": ns}})).expect("ns");
        Api::<Namespace>::all(w.client.clone())
            .create(&Default::default(), &obj)
            .await
            .expect("namespace");
    }
    let host = registry.host();
    futures_util::stream::iter(0..n)
        .for_each_concurrent(24, |i| {
            let client = w.client.clone();
            let ns = nss[i % namespaces].clone();
            let host = host.clone();
            async move {
                let sub = World { client, kubeconfig: Default::default(), ns };
                let name = format!("app-{i}");
                let b = i % distinct;
                sub.apply(serde_json::json!({
                    "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
                    "spec": {"replicas": 1, "selector": {"matchLabels": {"app": name}},
                        "template": {"metadata": {"labels": {"app": name}},
                            "spec": {"containers": [{"name": "c", "image": "x/y:1", "ports": [{"containerPort": 8080}]}]}}}
                }))
                .await;
                sub.apply(serde_json::json!({
                    "apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
                    "spec": {"clusterIP": "None", "selector": {"app": name}, "ports": [{"name": "api", "port": 8080, "targetPort": 8080}]}
                }))
                .await;
                let (tag, target) = if is_v2(b) {
                    (
                        format!("2.0.{b}"),
                        serde_json::json!({"serviceName": name,
                            "interfaceBindings": [{"interface": "api", "servicePort": 8080}]}),
                    )
                } else {
                    (format!("1.0.{b}"), serde_json::json!({"serviceName": name}))
                };
                sub.apply(pacto(
                    &name,
                    serde_json::json!({"oci": format!("{host}/bench/svc-{b}:{tag}")}),
                    Some(target),
                ))
                .await;
            }
        })
        .await;
    println!(
        "created {} objects ({n} Pactos, Deployments, Services) in {:.1}s",
        n * 3,
        t.elapsed().as_secs_f64()
    );
    wait_for_slices(w, n).await;
    Setup {
        namespaces: nss,
        _registry: registry,
    }
}

/// Waits until the endpointslice controller has written a slice per Service, so the operator
/// starts in a settled cluster (not racing the controller-manager for the API server).
async fn wait_for_slices(w: &World, n: usize) {
    use k8s_openapi::api::discovery::v1::EndpointSlice;
    use kube::ResourceExt;
    let t = Instant::now();
    let slices: Api<EndpointSlice> = Api::all(w.client.clone());
    let lp = kube::api::ListParams::default().labels("kubernetes.io/service-name");
    let mut count = 0;
    while t.elapsed() < std::time::Duration::from_secs(600) {
        count = match slices.list_metadata(&lp).await {
            Ok(l) => l
                .items
                .iter()
                .filter(|s| s.namespace().is_some_and(|ns| ns.starts_with(&w.ns)))
                .count(),
            Err(_) => 0,
        };
        if count >= n {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    }
    println!(
        "EndpointSlices: {count} of {n} after {:.1}s more",
        t.elapsed().as_secs_f64()
    );
}
