//! The Kubernetes objects of a [`Plan`], as JSON values in a fixed key order (so the YAML is
//! deterministic). Values a Helm chart exposes go through [`Values`], which in chart mode puts
//! a placeholder in the object and remembers the plain value for `values.yaml`.

use serde_json::{Map, Value, json};

use super::configs::ConfigMapPlan;
use super::names::dns_label;
use super::plan::{Kind, Plan, Probe, Replicas, Storage};

/// Marks a placeholder in chart mode: `@@<key>@@` becomes `{{ .Values.<key> }}`.
pub const MARK: &str = "@@";
/// The placeholder key of the release namespace.
pub const RELEASE_NAMESPACE: &str = "Release.Namespace";

/// The values a chart exposes (empty in plain mode).
#[derive(Debug, Default)]
pub struct Values {
    pub helm: bool,
    pub entries: Vec<(String, Value)>,
}

impl Values {
    pub fn get(&mut self, key: &str, plain: Value) -> Value {
        if !self.helm {
            return plain;
        }
        if !self.entries.iter().any(|(k, _)| k == key) {
            self.entries.push((key.to_string(), plain));
        }
        Value::String(format!("{MARK}{key}{MARK}"))
    }

    fn namespace(&self, ns: &str) -> Value {
        if self.helm {
            Value::String(format!("{MARK}{RELEASE_NAMESPACE}{MARK}"))
        } else {
            Value::String(ns.to_string())
        }
    }
}

/// What every object needs: names, labels, namespace.
pub struct Ctx<'a> {
    pub plan: &'a Plan,
    pub namespace: Option<&'a str>,
}

impl Ctx<'_> {
    /// `app.kubernetes.io/name`: the selector of the Service, PDB and workload.
    pub fn selector(&self) -> Value {
        json!({"app.kubernetes.io/name": dns_label(&self.plan.name)})
    }

    fn labels(&self) -> Value {
        // A label value allows [A-Za-z0-9._-]: a semver `+build` becomes `_build`.
        let version: String = self
            .plan
            .version
            .chars()
            .map(|c| if c == '+' { '_' } else { c })
            .take(63)
            .collect();
        json!({
            "app.kubernetes.io/name": dns_label(&self.plan.name),
            "app.kubernetes.io/version": version,
            "app.kubernetes.io/managed-by": "pacto-plugin-k8s",
        })
    }

    pub fn metadata(&self, name: &str, v: &Values) -> Value {
        let mut m = Map::new();
        m.insert("name".into(), Value::String(name.to_string()));
        if let Some(ns) = self.namespace {
            m.insert("namespace".into(), v.namespace(ns));
        }
        m.insert("labels".into(), self.labels());
        Value::Object(m)
    }

    pub fn name(&self) -> String {
        dns_label(&self.plan.name)
    }
}

fn probe(p: &Probe, delay: Option<u64>) -> Value {
    let mut out = match p {
        Probe::Http { port, path } => json!({
            "httpGet": {"path": path.as_deref().unwrap_or("/"), "port": port}
        }),
        Probe::Grpc { port } => json!({"grpc": {"port": port}}),
    };
    if let Some(d) = delay {
        out["initialDelaySeconds"] = json!(d);
    }
    out
}

fn container(cx: &Ctx<'_>, configs: &[ConfigMapPlan], v: &mut Values) -> Value {
    let plan = cx.plan;
    let mut c = Map::new();
    c.insert("name".into(), json!(cx.name()));
    c.insert("image".into(), v.get("image", json!(plan.image)));
    if !plan.ports.is_empty() {
        let ports: Vec<Value> = plan
            .ports
            .iter()
            .map(|p| json!({"name": p.name, "containerPort": p.number, "protocol": "TCP"}))
            .collect();
        c.insert("ports".into(), Value::Array(ports));
    }
    if !configs.is_empty() {
        let refs: Vec<Value> = configs
            .iter()
            .map(|m| json!({"configMapRef": {"name": m.name}}))
            .collect();
        c.insert("envFrom".into(), Value::Array(refs));
    }
    if let Some(p) = &plan.probe {
        c.insert("readinessProbe".into(), probe(p, plan.initial_delay));
        c.insert("livenessProbe".into(), probe(p, plan.initial_delay));
    }
    c.insert(
        "resources".into(),
        json!({"requests": {"cpu": "100m", "memory": "128Mi"}}),
    );
    if plan.storage != Storage::None {
        c.insert(
            "volumeMounts".into(),
            json!([{"name": "data", "mountPath": "/data"}]),
        );
    }
    Value::Object(c)
}

fn pod_template(cx: &Ctx<'_>, configs: &[ConfigMapPlan], v: &mut Values) -> Value {
    let plan = cx.plan;
    let mut spec = Map::new();
    if !plan.kind.is_service() {
        spec.insert("restartPolicy".into(), json!("OnFailure"));
    }
    if let Some(g) = plan.grace {
        spec.insert("terminationGracePeriodSeconds".into(), json!(g));
    }
    spec.insert(
        "containers".into(),
        Value::Array(vec![container(cx, configs, v)]),
    );
    if plan.storage == Storage::Shared {
        spec.insert(
            "volumes".into(),
            json!([{"name": "data", "persistentVolumeClaim": {"claimName": claim_name(cx)}}]),
        );
    }
    let mut labels = cx.labels();
    labels
        .as_object_mut()
        .map(|l| l.remove("app.kubernetes.io/managed-by"));
    json!({"metadata": {"labels": labels}, "spec": spec})
}

pub fn claim_name(cx: &Ctx<'_>) -> String {
    dns_label(&format!("{}-data", cx.plan.name))
}

fn replicas_value(plan: &Plan, v: &mut Values) -> Value {
    match plan.replicas {
        Replicas::Fixed(n) => v.get("replicas", json!(n)),
        Replicas::Auto { min, .. } => v.get("minReplicas", json!(min)),
    }
}

/// The Deployment, StatefulSet, Job or CronJob.
pub fn workload(cx: &Ctx<'_>, configs: &[ConfigMapPlan], v: &mut Values) -> Value {
    let plan = cx.plan;
    let name = cx.name();
    let template = pod_template(cx, configs, v);
    let spec = match plan.kind {
        Kind::Deployment => {
            let strategy = match plan.strategy {
                Some(pacto_core::model::UpgradeStrategy::Recreate) => "Recreate",
                _ => "RollingUpdate",
            };
            json!({
                "replicas": replicas_value(plan, v),
                "selector": {"matchLabels": cx.selector()},
                "strategy": {"type": strategy},
                "template": template,
            })
        }
        Kind::StatefulSet => {
            let update = match plan.strategy {
                Some(pacto_core::model::UpgradeStrategy::Recreate) => "OnDelete",
                _ => "RollingUpdate",
            };
            let mut s = json!({
                "serviceName": name,
                "replicas": replicas_value(plan, v),
                "selector": {"matchLabels": cx.selector()},
                "podManagementPolicy": "OrderedReady",
                "updateStrategy": {"type": update},
                "template": template,
            });
            if plan.storage == Storage::PerReplica {
                s["volumeClaimTemplates"] = json!([{
                    "metadata": {"name": "data"},
                    "spec": {
                        "accessModes": ["ReadWriteOnce"],
                        "resources": {"requests": {"storage": v.get("storage", json!("1Gi"))}}
                    }
                }]);
            }
            s
        }
        Kind::Job => job_spec(plan, template),
        Kind::CronJob => json!({
            "schedule": v.get("schedule", json!(plan.schedule.clone().unwrap_or_default())),
            "concurrencyPolicy": "Forbid",
            "jobTemplate": {"spec": job_spec(plan, template)},
        }),
    };
    json!({
        "apiVersion": plan.kind.api_version(),
        "kind": plan.kind.as_str(),
        "metadata": cx.metadata(&name, v),
        "spec": spec,
    })
}

fn job_spec(plan: &Plan, template: Value) -> Value {
    let mut s = json!({"backoffLimit": 3});
    if let Some(d) = plan.deadline {
        s["activeDeadlineSeconds"] = json!(d);
    }
    s["template"] = template;
    s
}

/// The Service routing to the pods: one port per interface port, targetPort by name.
pub fn service(cx: &Ctx<'_>, v: &Values) -> Option<Value> {
    if !cx.plan.kind.is_service() || cx.plan.ports.is_empty() {
        return None;
    }
    let ports: Vec<Value> = cx
        .plan
        .ports
        .iter()
        .map(|p| json!({"name": p.name, "port": p.number, "targetPort": p.name, "protocol": "TCP"}))
        .collect();
    Some(json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": cx.metadata(&cx.name(), v),
        "spec": {"selector": cx.selector(), "ports": ports},
    }))
}

pub fn hpa(cx: &Ctx<'_>, v: &mut Values) -> Option<Value> {
    let Replicas::Auto { min, max } = cx.plan.replicas else {
        return None;
    };
    Some(json!({
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": cx.metadata(&cx.name(), v),
        "spec": {
            "scaleTargetRef": {
                "apiVersion": cx.plan.kind.api_version(),
                "kind": cx.plan.kind.as_str(),
                "name": cx.name(),
            },
            "minReplicas": v.get("minReplicas", json!(min)),
            "maxReplicas": v.get("maxReplicas", json!(max)),
            "metrics": [{
                "type": "Resource",
                "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}
            }]
        }
    }))
}

/// A PodDisruptionBudget keeping all but one replica up, for services of two or more.
pub fn pdb(cx: &Ctx<'_>, v: &Values) -> Option<Value> {
    if !cx.plan.kind.is_service() || cx.plan.replicas.min() < 2 {
        return None;
    }
    Some(json!({
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": cx.metadata(&cx.name(), v),
        "spec": {"maxUnavailable": 1, "selector": {"matchLabels": cx.selector()}},
    }))
}

/// The claim every replica mounts (shared persistent state).
pub fn shared_claim(cx: &Ctx<'_>, v: &mut Values) -> Option<Value> {
    if cx.plan.storage != Storage::Shared {
        return None;
    }
    Some(json!({
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": cx.metadata(&claim_name(cx), v),
        "spec": {
            "accessModes": ["ReadWriteMany"],
            "resources": {"requests": {"storage": v.get("storage", json!("1Gi"))}}
        }
    }))
}

pub fn configmap(cx: &Ctx<'_>, m: &ConfigMapPlan, v: &Values) -> Value {
    let data: Map<String, Value> = m
        .data
        .iter()
        .map(|(k, val)| (k.clone(), Value::String(val.clone())))
        .collect();
    json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": cx.metadata(&m.name, v),
        "data": data,
    })
}

/// The `Pacto` resource checking the generated objects against the contract.
pub fn pacto(cx: &Ctx<'_>, contract_ref: Value, v: &Values) -> Value {
    let mut target = Map::new();
    if cx.plan.kind.is_service() && !cx.plan.ports.is_empty() {
        target.insert("serviceName".into(), json!(cx.name()));
    }
    target.insert(
        "workloadRef".into(),
        json!({"kind": cx.plan.kind.as_str(), "name": cx.name()}),
    );
    json!({
        "apiVersion": "pacto.trianalab.io/v1alpha1",
        "kind": "Pacto",
        "metadata": cx.metadata(&cx.name(), v),
        "spec": {"contractRef": contract_ref, "target": target},
    })
}
