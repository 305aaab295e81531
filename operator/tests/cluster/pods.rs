//! Pods that stand for netns replicas, so Kubernetes' own EndpointSlice controller (not the
//! test) writes the Service's EndpointSlice: the operator probes only slices managed by
//! Kubernetes' endpoint controllers. No scheduler or kubelet runs: each Pod is bound to a Node
//! object that only has to exist, and its status (running, ready, the replica's address) is
//! written by the harness the way a kubelet would.

use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::{Node, Pod, ServiceAccount};
use kube::Api;
use kube::api::{DeleteParams, ListParams, Patch, PatchParams, PostParams};
use serde_json::{Value, json};

use super::{MANAGER, Replica, World};

/// The Node every harness Pod is bound to.
pub const NODE: &str = "pacto-e2e-node";

impl World {
    /// Deletes the namespace's Pods with no grace period (no kubelet would confirm one).
    pub async fn delete_pods_now(&self) {
        // The ServiceAccount admission plugin refuses Pods until the namespace's `default`
        // ServiceAccount exists; kube-controller-manager creates it, but not always within
        // seconds on a loaded machine, so create it here (an existing one is fine).
        let accounts: Api<ServiceAccount> = Api::namespaced(self.client.clone(), &self.ns);
        let account: ServiceAccount = serde_json::from_value(
            json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default"}}),
        )
        .unwrap_or_else(|e| panic!("ServiceAccount manifest: {e}"));
        match accounts.create(&PostParams::default(), &account).await {
            Ok(_) => {}
            Err(kube::Error::Api(e)) if e.code == 409 => {}
            Err(e) => panic!("create ServiceAccount default in {}: {e}", self.ns),
        }
        let pods: Api<Pod> = Api::namespaced(self.client.clone(), &self.ns);
        let _ = pods
            .delete_collection(
                &DeleteParams::default().grace_period(0),
                &ListParams::default(),
            )
            .await;
    }

    /// One ready Pod per replica, labelled `labels` (the selector of the Service that should
    /// route to them), at the replica's address; named `<prefix>-<i>`.
    pub async fn pods_at(&self, prefix: &str, labels: Value, ports: &[u16], replicas: &[&Replica]) {
        let ports: Vec<Value> = ports.iter().map(|p| json!({"containerPort": p})).collect();
        let template = json!({
            "metadata": {"labels": labels},
            "spec": {"containers": [{"name": "app", "image": "ghcr.io/acme/replica:1", "ports": ports}]}
        });
        self.pods_from_template(prefix, &template, replicas).await;
    }

    /// One ready Pod per replica from a workload's pod template (its labels, containers and
    /// named ports, as the workload's controller would create them), at the replica's address.
    pub async fn pods_from_template(&self, prefix: &str, template: &Value, replicas: &[&Replica]) {
        let nodes: Api<Node> = Api::all(self.client.clone());
        nodes
            .patch(
                NODE,
                &PatchParams::apply(MANAGER).force(),
                &Patch::Apply(
                    json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": NODE}}),
                ),
            )
            .await
            .unwrap_or_else(|e| panic!("apply Node {NODE}: {e}"));
        let pods: Api<Pod> = Api::namespaced(self.client.clone(), &self.ns);
        for (i, r) in replicas.iter().enumerate() {
            let name = format!("{prefix}-{i}");
            let mut spec = template["spec"].clone();
            spec["nodeName"] = json!(NODE);
            spec["automountServiceAccountToken"] = json!(false);
            let pod = json!({
                "apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": name, "namespace": self.ns, "labels": template["metadata"]["labels"]},
                "spec": spec
            });
            // The namespace's default ServiceAccount appears a moment after the namespace.
            let deadline = Instant::now() + Duration::from_secs(30);
            loop {
                match pods
                    .patch(
                        &name,
                        &PatchParams::apply(MANAGER).force(),
                        &Patch::Apply(&pod),
                    )
                    .await
                {
                    Ok(_) => break,
                    Err(e) if Instant::now() < deadline => {
                        eprintln!("apply Pod {name}: {e}; retrying");
                        tokio::time::sleep(Duration::from_millis(300)).await;
                    }
                    Err(e) => panic!("apply Pod {name}: {e}"),
                }
            }
            let status = json!({
                "apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": name, "namespace": self.ns},
                "status": {
                    "phase": "Running",
                    "podIP": r.addr,
                    "podIPs": [{"ip": r.addr}],
                    "conditions": [
                        {"type": "PodScheduled", "status": "True"},
                        {"type": "Ready", "status": "True"},
                        {"type": "ContainersReady", "status": "True"}
                    ]
                }
            });
            pods.patch_status(
                &name,
                &PatchParams::apply(MANAGER).force(),
                &Patch::Apply(&status),
            )
            .await
            .unwrap_or_else(|e| panic!("apply Pod {name} status: {e}"));
        }
    }
}

impl Replica {
    /// Probe requests (`/health`, `/metrics`) its server on `port` has answered so far, from
    /// the server's log (netns.sh's own readiness check asks for `/`).
    pub fn requests(&self, port: u16) -> usize {
        let log = super::target_dir()
            .join("e2e")
            .join("netns")
            .join(&self.name)
            .join(format!("{port}.log"));
        std::fs::read_to_string(log)
            .map(|t| {
                t.lines()
                    .filter(|l| l.contains("\"GET /health") || l.contains("\"GET /metrics"))
                    .count()
            })
            .unwrap_or(0)
    }
}
