#!/usr/bin/env python3
"""Tests of charts/pacto-operator: helm lint/template over several value sets, the values
schema, least-privilege RBAC invariants, and (with --cluster) install, upgrade, RBAC proof with a
real ServiceAccount token and uninstall against the local control plane.

usage: chart_test.py [--cluster] [-k SUBSTRING]

Needs HELM (path to helm) and KUBECTL in the environment (charts/tests/run.sh sets them), and
for --cluster a control plane (e2e/with-controlplane.sh exports KUBECONFIG). Prints
'N passed, N failed' last and exits 1 on any failure.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

import yaml

import binaries

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CHART = os.path.join(ROOT, "charts", "pacto-operator")
VALUES = os.path.join(HERE, "values")
FIXTURES = os.path.join(HERE, "fixtures")
HELM = os.environ.get("HELM", "helm")
KUBECTL = os.environ.get("KUBECTL", "kubectl")
PROMTOOL = os.environ.get("PROMTOOL", "promtool")
SETS = ["default", "namespaced", "standalone", "disabled", "monitoring", "ha"]

# Verbs that change state; the operator may use them only on the resources below.
WRITE_VERBS = {"create", "update", "patch", "delete", "deletecollection", "escalate", "bind", "impersonate"}
OPERATOR_WRITABLE = {
    "pactos/status", "pactorevisions", "pactorevisions/status", "pactos/finalizers", "events", "leases",
}


def run(cmd, check=True, input=None, env=None):
    proc = subprocess.run(cmd, capture_output=True, text=True, input=input, env=env)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def values_args(name):
    return [] if name == "default" else ["-f", os.path.join(VALUES, f"{name}.yaml")]


def render(name, *extra, release="t", namespace="pacto-system", chart=CHART):
    out = run([HELM, "template", release, chart, "-n", namespace, *values_args(name), *extra]).stdout
    return [d for d in yaml.safe_load_all(out) if d]


def find(docs, kind, name=None):
    hits = [d for d in docs if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)]
    return hits


def one(docs, kind, name=None):
    hits = find(docs, kind, name)
    assert len(hits) == 1, f"expected one {kind} {name or ''}, got {[h['metadata']['name'] for h in hits]}"
    return hits[0]


def container(deploy, name):
    for c in deploy["spec"]["template"]["spec"]["containers"]:
        if c["name"] == name:
            return c
    raise AssertionError(f"no container {name} in {deploy['metadata']['name']}")


def env_of(c):
    return {e["name"]: e for e in c.get("env", [])}


# --------------------------------------------------------------------------- offline tests

def test_lint_every_value_set():
    for name in SETS:
        run([HELM, "lint", "--strict", CHART, *values_args(name)])


def test_default_sidecar_shares_cache_and_is_hardened():
    docs = render("default")
    deploy = one(docs, "Deployment")
    op, dash = container(deploy, "operator"), container(deploy, "dashboard")
    for c in (op, dash):
        assert {"name": "cache", "mountPath": "/cache"} in c["volumeMounts"], c["name"]
        assert env_of(c)["XDG_CACHE_HOME"]["value"] == "/cache"
        sc = c["securityContext"]
        assert sc["readOnlyRootFilesystem"] is True and sc["allowPrivilegeEscalation"] is False
        assert sc["capabilities"]["drop"] == ["ALL"] and sc["runAsNonRoot"] is True
    pod = deploy["spec"]["template"]["spec"]
    assert {"name": "cache", "emptyDir": {}} in pod["volumes"]
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert pod["securityContext"]["runAsUser"] == 65532
    assert op["image"] == "ghcr.io/trianalab/pacto:0.1.0" == dash["image"]
    assert "--leader-elect" not in op["args"], op["args"]
    assert "--log-format=json" in op["args"] and "--concurrency=4" in op["args"]
    assert "--log-format=json" in dash["args"], dash["args"]
    svc = one(docs, "Service", "t-pacto-operator-dashboard")
    assert svc["spec"]["selector"]["app.kubernetes.io/component"] == "operator"
    crds = find(docs, "CustomResourceDefinition")
    assert sorted(c["metadata"]["name"] for c in crds) == [
        "pactorevisions.pacto.trianalab.io", "pactos.pacto.trianalab.io"]
    for c in crds:
        assert c["metadata"]["annotations"]["helm.sh/resource-policy"] == "keep"
    assert not find(docs, "PodDisruptionBudget") and not find(docs, "Role")


def test_user_roles_are_aggregated():
    docs = render("default")
    view = one(docs, "ClusterRole", "pacto-view")
    edit = one(docs, "ClusterRole", "pacto-edit")
    assert view["metadata"]["labels"]["rbac.authorization.k8s.io/aggregate-to-view"] == "true"
    assert edit["metadata"]["labels"]["rbac.authorization.k8s.io/aggregate-to-edit"] == "true"
    assert all(set(r["verbs"]) <= {"get", "list", "watch"} for r in view["rules"])
    assert edit["rules"] == [{"apiGroups": ["pacto.trianalab.io"], "resources": ["pactos"],
                              "verbs": ["create", "update", "patch", "delete", "deletecollection"]}]


def test_namespaced_scope_creates_nothing_cluster_wide():
    docs = render("namespaced")
    cluster_kinds = {"ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "Namespace"}
    assert not [d for d in docs if d["kind"] in cluster_kinds], "cluster-scoped object in namespaced mode"
    roles = {(d["metadata"]["namespace"], d["metadata"]["name"]) for d in find(docs, "Role")}
    assert roles == {("team-a", "t-pacto-operator"), ("team-b", "t-pacto-operator"),
                     ("team-a", "t-pacto-operator-pull-secrets")}, roles
    pull = one(docs, "Role", "t-pacto-operator-pull-secrets")
    assert pull["rules"] == [{"apiGroups": [""], "resources": ["secrets"], "resourceNames": ["regcred"],
                              "verbs": ["get"]}]
    deploy = one(docs, "Deployment")
    op = container(deploy, "operator")
    assert "--namespaces=team-a,team-b" in op["args"]
    assert "--namespace=team-a,team-b" in container(deploy, "dashboard")["args"]
    want = "mirror.internal:5000/platform/pacto@sha256:" + "0123456789abcdef" * 4
    assert op["image"] == want, op["image"]
    env = env_of(op)
    assert env["PACTO_REGISTRY_TOKEN"]["valueFrom"]["secretKeyRef"] == {"name": "pacto-registry", "key": "token"}
    assert env["PACTO_REGISTRY_USERNAME"]["valueFrom"]["secretKeyRef"]["key"] == "username"
    assert env["PACTO_INSECURE_REGISTRIES"]["value"] == "registry.team-a.svc:5000"
    assert env["PACTO_REGISTRY_CA_FILE"]["value"] == "/etc/pacto/ca/ca.crt"
    # Default credentials are bound to the hosts they belong to.
    assert env["PACTO_REGISTRY_HOST"]["value"] == "registry.team-a.svc:5000"
    assert env_of(container(deploy, "dashboard"))["PACTO_REGISTRY_HOST"]["value"] == "registry.team-a.svc:5000"
    pod = deploy["spec"]["template"]["spec"]
    assert pod["imagePullSecrets"] == [{"name": "mirror-pull"}]
    ca = [v for v in pod["volumes"] if v["name"] == "registry-ca"]
    assert ca and ca[0]["configMap"]["name"] == "registry-ca"


def test_pull_secrets_without_namespace_cover_the_watched_scope_by_name_only():
    sets = ["--set-json", 'registry.pullSecrets=[{"names":["regcred","badcred"]},{"namespace":"team-a","names":["x"]}]']
    docs = render("default", *sets)
    cr = one(docs, "ClusterRole", "t-pacto-operator-pull-secrets")
    assert cr["rules"] == [{"apiGroups": [""], "resources": ["secrets"], "resourceNames": ["regcred", "badcred"],
                            "verbs": ["get"]}], cr["rules"]
    crb = one(docs, "ClusterRoleBinding", "t-pacto-operator-pull-secrets")
    assert crb["subjects"] == [{"kind": "ServiceAccount", "name": "t-pacto-operator", "namespace": "pacto-system"}]
    assert one(docs, "Role", "t-pacto-operator-pull-secrets")["rules"][0]["resourceNames"] == ["x"]
    # Namespaces scope: the namespace-less names join each watched namespace's Role, nothing cluster-wide.
    docs = render("namespaced", *sets)
    assert not find(docs, "ClusterRole")
    got = {d["metadata"]["namespace"]: d["rules"][0]["resourceNames"]
           for d in find(docs, "Role", "t-pacto-operator-pull-secrets")}
    assert got == {"team-a": ["x", "regcred", "badcred"], "team-b": ["regcred", "badcred"]}, got


def test_config_binding_secrets_are_granted_by_name_only():
    sets = ["--set-json", 'operator.configBindings.secrets=[{"names":["app-secrets"]},{"namespace":"team-a","names":["x"]}]']
    docs = render("default", *sets)
    cr = one(docs, "ClusterRole", "t-pacto-operator-config-secrets")
    assert cr["rules"] == [{"apiGroups": [""], "resources": ["secrets"], "resourceNames": ["app-secrets"],
                            "verbs": ["get"]}], cr["rules"]
    crb = one(docs, "ClusterRoleBinding", "t-pacto-operator-config-secrets")
    assert crb["subjects"] == [{"kind": "ServiceAccount", "name": "t-pacto-operator", "namespace": "pacto-system"}]
    assert one(docs, "Role", "t-pacto-operator-config-secrets")["rules"][0]["resourceNames"] == ["x"]
    docs = render("namespaced", *sets)
    assert not find(docs, "ClusterRole")
    got = {d["metadata"]["namespace"]: d["rules"][0]["resourceNames"]
           for d in find(docs, "Role", "t-pacto-operator-config-secrets")}
    assert got == {"team-a": ["x", "app-secrets"], "team-b": ["app-secrets"]}, got
    # None by default.
    assert not find(render("default"), "ClusterRole", "t-pacto-operator-config-secrets")


def test_config_maps_are_read_and_watched_unless_turned_off():
    def operator(docs):
        return [c for d in find(docs, "Deployment") for c in d["spec"]["template"]["spec"]["containers"]
                if c["name"] == "operator"][0]

    cm_rule = {"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list", "watch"]}
    docs = render("default")
    assert cm_rule in one(docs, "ClusterRole", "t-pacto-operator")["rules"]
    op = operator(docs)
    assert "--no-config-map-watch" not in op["args"]
    assert binaries.check_config(op, "pacto-system")["config_map_watch"] is True
    for d in find(render("namespaced"), "Role", "t-pacto-operator"):
        assert cm_rule in d["rules"], d["metadata"]
    docs = render("default", "--set", "operator.configBindings.configMaps=false")
    rules = one(docs, "ClusterRole", "t-pacto-operator")["rules"]
    assert not [r for r in rules if "configmaps" in r["resources"]], rules
    op = operator(docs)
    assert "--no-config-map-watch" in op["args"]
    assert binaries.check_config(op, "pacto-system")["config_map_watch"] is False


def test_standalone_dashboard_has_own_deployment_and_read_only_rbac():
    docs = render("standalone")
    op = one(docs, "Deployment", "t-pacto-operator")
    assert [c["name"] for c in op["spec"]["template"]["spec"]["containers"]] == ["operator"]
    dash = one(docs, "Deployment", "t-pacto-operator-dashboard")
    spec = dash["spec"]["template"]["spec"]
    assert dash["spec"]["replicas"] == 2
    assert spec["serviceAccountName"] == "t-pacto-operator-dashboard"
    c = container(dash, "dashboard")
    assert c["image"] == "ghcr.io/trianalab/pacto-dashboard-mirror:0.1.0-mirror", c["image"]
    for arg in ("--diagnostics", "--no-cache", "--token-file=/etc/pacto-dashboard/token", "--port=3000"):
        assert arg in c["args"], (arg, c["args"])
    assert spec["nodeSelector"] == {"kubernetes.io/os": "linux"} and spec["tolerations"][0]["key"] == "dedicated"
    tsc = spec["topologySpreadConstraints"][0]
    assert tsc["labelSelector"]["matchLabels"]["app.kubernetes.io/component"] == "dashboard"
    assert "nodeAffinity" in op["spec"]["template"]["spec"]["affinity"]
    role = one(docs, "ClusterRole", "t-pacto-operator-dashboard")
    assert all(set(r["verbs"]) == {"get", "list", "watch"} for r in role["rules"])
    binding = one(docs, "ClusterRoleBinding", "t-pacto-operator-dashboard")
    assert binding["subjects"][0]["name"] == "t-pacto-operator-dashboard"
    svc = one(docs, "Service", "t-pacto-operator-dashboard")
    assert svc["spec"]["selector"]["app.kubernetes.io/component"] == "dashboard"


def test_disabled_dashboard_renders_no_dashboard_objects():
    docs = render("disabled")
    deploy = one(docs, "Deployment")
    assert [c["name"] for c in deploy["spec"]["template"]["spec"]["containers"]] == ["operator"]
    assert not [d for d in docs if "dashboard" in d["metadata"]["name"]]


def test_monitoring_objects_point_at_the_chart_services():
    docs = render("monitoring")
    metrics = one(docs, "Service", "t-pacto-operator-metrics")
    sm = one(docs, "ServiceMonitor")
    labels = metrics["metadata"]["labels"]
    assert all(labels.get(k) == v for k, v in sm["spec"]["selector"]["matchLabels"].items())
    assert sm["metadata"]["labels"]["release"] == "prometheus"
    assert sm["spec"]["endpoints"][0]["port"] == metrics["spec"]["ports"][0]["name"]
    ing = one(docs, "Ingress")
    assert ing["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"] == "t-pacto-operator-dashboard"
    route = one(docs, "HTTPRoute")
    assert route["spec"]["parentRefs"][0]["name"] == "public"
    assert route["spec"]["rules"][0]["backendRefs"][0]["name"] == "t-pacto-operator-dashboard"
    rule = one(docs, "PrometheusRule")
    alerts = {r["alert"]: r for r in rule["spec"]["groups"][0]["rules"]}
    assert set(alerts) == {"PactoNonCompliant", "PactoInvalid", "PactoReconcileErrors", "PactoOperatorDown"}
    assert 'job="t-pacto-operator-metrics"' in alerts["PactoOperatorDown"]["expr"]
    assert "{{ $labels.namespace }}" in alerts["PactoNonCompliant"]["annotations"]["summary"]
    np = one(docs, "NetworkPolicy")
    assert [p["port"] for r in np["spec"]["ingress"] for p in r["ports"]] == ["metrics", "dashboard"]
    assert np["spec"]["policyTypes"] == ["Ingress"]
    op = container(one(docs, "Deployment"), "operator")
    assert "--namespace-selector=pacto.trianalab.io/watch=true" in op["args"]
    role = one(docs, "ClusterRole", "t-pacto-operator")
    assert {"apiGroups": [""], "resources": ["namespaces"], "verbs": ["get", "list", "watch"]} in role["rules"]


def test_ha_runs_leader_election_with_a_pdb():
    docs = render("ha")
    deploy = one(docs, "Deployment")
    assert deploy["spec"]["replicas"] == 2
    assert "--leader-elect" in container(deploy, "operator")["args"]
    pdb = one(docs, "PodDisruptionBudget")
    pod_labels = deploy["spec"]["template"]["metadata"]["labels"]
    assert all(pod_labels.get(k) == v for k, v in pdb["spec"]["selector"]["matchLabels"].items())
    lease = one(docs, "Role", "t-pacto-operator-leader-election")
    assert lease["metadata"]["namespace"] == "pacto-system"
    by_verb = {tuple(r["verbs"]): r for r in lease["rules"] if r["resources"] == ["leases"]}
    assert "resourceNames" not in by_verb[("create",)]
    assert by_verb[("get", "update", "patch")]["resourceNames"] == ["pacto-operator-leader"]
    tsc = deploy["spec"]["template"]["spec"]["topologySpreadConstraints"][0]
    assert tsc["labelSelector"]["matchLabels"] == {k: v for k, v in pod_labels.items()}


def test_shards_get_one_lease_each_and_the_binary_reads_the_count():
    docs = render("ha", "--set", "operator.replicas=3", "--set", "operator.leaderElection.shards=2")
    deploy = one(docs, "Deployment", "t-pacto-operator")
    op = container(deploy, "operator")
    assert "--leader-elect" in op["args"]
    lease = one(docs, "Role", "t-pacto-operator-leader-election")
    by_verb = {tuple(r["verbs"]): r for r in lease["rules"] if r["resources"] == ["leases"]}
    # The names the operator derives (`<leaseName>-shard-<k>`, operator/src/shard.rs).
    assert by_verb[("get", "update", "patch")]["resourceNames"] == [
        "pacto-operator-leader-shard-0", "pacto-operator-leader-shard-1"]
    cfg = binaries.check_config(op, "pacto-system")
    assert cfg["shards"] == 2 and cfg["leader_elect"] is True, cfg
    assert cfg["stabilization_window_seconds"] == 120, cfg
    short = container(one(render("ha", "--set", "operator.stabilizationWindow=45s"), "Deployment",
                          "t-pacto-operator"), "operator")
    assert binaries.check_config(short, "pacto-system")["stabilization_window_seconds"] == 45
    # One shard (the default): no PACTO_SHARDS, the single Lease.
    plain = container(one(render("ha"), "Deployment", "t-pacto-operator"), "operator")
    assert all(e["name"] != "PACTO_SHARDS" for e in plain["env"]), plain["env"]


def test_rbac_is_least_privilege_in_every_value_set():
    for name in SETS:
        docs = render(name)
        for role in find(docs, "ClusterRole") + find(docs, "Role"):
            rname = role["metadata"]["name"]
            if rname in ("pacto-view", "pacto-edit"):
                continue  # user-facing roles, checked in test_user_roles_are_aggregated
            for rule in role["rules"]:
                where = f"{name}: {rname}: {rule}"
                assert "*" not in rule["verbs"] and "*" not in rule["resources"], where
                if "secrets" in rule["resources"]:
                    assert rule["verbs"] == ["get"] and rule.get("resourceNames"), where
                if WRITE_VERBS & set(rule["verbs"]):
                    assert set(rule["resources"]) <= OPERATOR_WRITABLE, where
                if "leases" in rule["resources"] and set(rule["verbs"]) != {"create"}:
                    assert rule.get("resourceNames"), where


def test_every_container_is_hardened_in_every_value_set():
    for name in SETS:
        for deploy in find(render(name), "Deployment"):
            pod = deploy["spec"]["template"]["spec"]
            assert pod["securityContext"]["runAsNonRoot"] is True
            for c in pod["containers"]:
                sc = c["securityContext"]
                assert sc["readOnlyRootFilesystem"] and not sc["allowPrivilegeEscalation"], (name, c["name"])
                assert c["resources"]["limits"]["memory"], (name, c["name"])


def test_schema_refuses_wrong_values_with_clear_messages():
    cases = {
        "bad-type.yaml": "at '/operator/replicas': got string, want integer",
        "bad-enum.yaml": "at '/dashboard/mode': value must be one of 'sidecar', 'standalone', 'disabled'",
        "bad-key.yaml": "at '/operator': additional properties 'replica' not allowed",
    }
    for fixture, message in cases.items():
        proc = run([HELM, "template", "t", CHART, "-f", os.path.join(FIXTURES, fixture)], check=False)
        assert proc.returncode != 0, f"{fixture} was accepted"
        assert "values don't meet the specifications of the schema" in proc.stderr, proc.stderr
        assert message in proc.stderr, f"{fixture}: {proc.stderr}"


ALERT_TESTS = """
rule_files: [rules.yaml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'pacto_contract_status{namespace="team-a",name="orders",status="NonCompliant"}'
        values: '1x30'
      - series: 'pacto_contract_status{namespace="team-a",name="billing",status="NonCompliant"}'
        values: '0x30'
      - series: 'pacto_contract_status{namespace="team-a",name="bad",status="Invalid"}'
        values: '1x30'
      - series: 'pacto_reconcile_errors_total{namespace="team-a",name="orders",category="registry"}'
        values: '0+1x30'
      - series: 'up{job="t-pacto-operator-metrics",namespace="pacto-system"}'
        values: '1x9 0x20'
    alert_rule_test:
      - eval_time: 10m
        alertname: PactoNonCompliant
        exp_alerts: []
      - eval_time: 20m
        alertname: PactoNonCompliant
        exp_alerts:
          - exp_labels: {severity: warning, namespace: team-a, name: orders}
            exp_annotations:
              summary: "Pacto team-a/orders is NonCompliant"
              description: "The workload no longer matches its contract (an error-severity check fails). See `kubectl describe pactos -n team-a orders`."
      - eval_time: 10m
        alertname: PactoInvalid
        exp_alerts:
          - exp_labels: {severity: warning, namespace: team-a, name: bad}
            exp_annotations:
              summary: "Pacto team-a/bad has an invalid contract"
              description: "The contract cannot be parsed or fails validation; run `pacto validate` on it."
      - eval_time: 20m
        alertname: PactoReconcileErrors
        exp_alerts:
          - exp_labels: {severity: warning, namespace: team-a, name: orders}
            exp_annotations:
              summary: "The operator keeps failing to reconcile team-a/orders"
              description: "Reconcile errors for 15m; the operator log says why (registry, credentials or API errors)."
      - eval_time: 12m
        alertname: PactoOperatorDown
        exp_alerts: []
      - eval_time: 20m
        alertname: PactoOperatorDown
        exp_alerts:
          - exp_labels: {severity: critical}
            exp_annotations:
              summary: "No pacto-operator is scraped in pacto-system"
              description: "Pacto status is not being updated: no operator replica has answered a scrape for 5m."
"""


def test_prometheus_rules_pass_promtool_and_fire_as_intended():
    rule = one(render("monitoring"), "PrometheusRule")
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "rules.yaml"), "w") as fh:
            yaml.safe_dump({"groups": rule["spec"]["groups"]}, fh)
        with open(os.path.join(tmp, "tests.yaml"), "w") as fh:
            fh.write(ALERT_TESTS)
        run([PROMTOOL, "check", "rules", os.path.join(tmp, "rules.yaml")])
        proc = run([PROMTOOL, "test", "rules", os.path.join(tmp, "tests.yaml")], check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_template_checks_refuse_inconsistent_values():
    cases = [
        (["--set", "scope.mode=namespaces"], "scope.namespaces must list at least one namespace"),
        (["--set", "dashboard.httpRoute.enabled=true"], "dashboard.httpRoute.parentRefs must name at least one Gateway"),
        (["--set", "dashboard.mode=disabled", "--set", "dashboard.ingress.enabled=true"], "need dashboard.mode sidecar or standalone"),
        (["--set", "registry.ca.configMap=a", "--set", "registry.ca.secret=b"], "set only one of registry.ca.configMap"),
        # Credentials without a host would go to whatever registry a Pacto names.
        (["--set", "registry.credentials.existingSecret=creds"], "hosts"),
        # A shard without a replica would never be checked.
        (["--set", "operator.leaderElection.shards=3", "--set", "operator.replicas=2"],
         "operator.replicas (2) must be at least operator.leaderElection.shards (3)"),
    ]
    for args, message in cases:
        proc = run([HELM, "template", "t", CHART, *args], check=False)
        assert proc.returncode != 0 and message in proc.stderr, (args, proc.stderr)


def test_pull_secrets_must_be_bound_to_a_registry_by_default():
    # Whoever may edit a Pacto must not send a namespace's pull Secret to a registry of theirs.
    def operator(docs):
        return [c for d in find(docs, "Deployment") for c in d["spec"]["template"]["spec"]["containers"]
                if c["name"] == "operator"][0]

    for name in SETS:
        op = operator(render(name))
        assert "--require-bound-pull-secrets" in op["args"], (name, op["args"])
        assert binaries.check_config(op, "pacto-system")["require_bound_pull_secrets"] is True, name
    op = operator(render("default", "--set", "registry.requireBoundPullSecrets=false"))
    assert "--require-bound-pull-secrets" not in op["args"], op["args"]
    assert binaries.check_config(op, "pacto-system")["require_bound_pull_secrets"] is False
    proc = run([HELM, "template", "t", CHART, "--set", "registry.requireBoundPullSecrets=maybe"], check=False)
    assert proc.returncode != 0 and "requireBoundPullSecrets" in proc.stderr, proc.stderr


def test_dashboard_answers_only_its_own_host_names():
    # DNS-rebinding defence: the dashboard is told every name it is reached by; others get 421.
    docs = render("default", "--set", "dashboard.ingress.enabled=true",
                  "--set-json", 'dashboard.ingress.hosts=[{"host":"pacto.example.com","paths":[{"path":"/","pathType":"Prefix"}]}]',
                  "--set-json", 'dashboard.allowedHosts=["pacto.proxy.internal"]')
    dash = container(one(docs, "Deployment"), "dashboard")
    flags = [a for a in dash["args"] if a.startswith("--allowed-host=")]
    assert len(flags) == 1, dash["args"]
    hosts = flags[0].split("=", 1)[1].split(",")
    svc = one(docs, "Service", "t-pacto-operator-dashboard")["metadata"]["name"]
    for want in [svc, svc + ".pacto-system.svc", svc + ".pacto-system.svc.cluster.local", "pacto.example.com",
                 "pacto.proxy.internal"]:
        assert want in hosts, (want, hosts)


def test_dashboard_base_path_reaches_the_binary_and_the_route():
    docs = render("default", "--set", "dashboard.basePath=/team-a/pacto/", "--set", "dashboard.httpRoute.enabled=true",
                  "--set-json", 'dashboard.httpRoute.parentRefs=[{"name":"gw"}]')
    dash = container(one(docs, "Deployment"), "dashboard")
    assert "--base-path=/team-a/pacto/" in dash["args"], dash["args"]
    route = one(docs, "HTTPRoute")
    assert route["spec"]["rules"][0]["matches"] == [{"path": {"type": "PathPrefix", "value": "/team-a/pacto"}}], route
    # Unset: no flag, the route matches everything.
    docs = render("default", "--set", "dashboard.httpRoute.enabled=true",
                  "--set-json", 'dashboard.httpRoute.parentRefs=[{"name":"gw"}]')
    assert not [a for a in container(one(docs, "Deployment"), "dashboard")["args"] if a.startswith("--base-path")]
    assert one(docs, "HTTPRoute")["spec"]["rules"][0]["matches"][0]["path"]["value"] == "/"


def test_chart_crds_match_repo_crds():
    repo = sorted(f for f in os.listdir(os.path.join(ROOT, "crds")) if f.endswith(".yaml"))
    chart = sorted(os.listdir(os.path.join(CHART, "files", "crds")))
    assert repo == chart, (repo, chart)
    for f in repo:
        with open(os.path.join(ROOT, "crds", f), "rb") as a, open(os.path.join(CHART, "files", "crds", f), "rb") as b:
            assert a.read() == b.read(), f"charts/pacto-operator/files/crds/{f} differs from crds/{f}: run scripts/sync-chart-crds.sh"
    # And the rendered CRDs carry the same spec (the template only adds labels/annotations).
    rendered = {d["metadata"]["name"]: d for d in find(render("default"), "CustomResourceDefinition")}
    for f in repo:
        with open(os.path.join(ROOT, "crds", f)) as fh:
            src = yaml.safe_load(fh)
        assert rendered[src["metadata"]["name"]]["spec"] == src["spec"], f


def test_chart_readme_is_generated_from_values():
    run([sys.executable, os.path.join(HERE, "gen-readme.py"), "--check"])


def test_image_is_overridable_everywhere():
    docs = render("default", "--set", "image.registry=", "--set", "image.repository=local/pacto",
                  "--set", "image.tag=dev")
    images = {c["image"] for d in find(docs, "Deployment") for c in d["spec"]["template"]["spec"]["containers"]}
    assert images == {"local/pacto:dev"}, images


def test_rendered_containers_are_accepted_by_the_real_binaries():
    """Each rendered command + args + env goes through the real binary's flag/env parsing
    (--check-config); the effective config must say what the values asked for."""
    expect_scope = {"namespaced": {"namespaces": ["team-a", "team-b"]},
                    "monitoring": {"selector": "pacto.trianalab.io/watch=true"}}
    seen = set()
    for name in SETS:
        docs = render(name)
        for deploy in find(docs, "Deployment"):
            for c in deploy["spec"]["template"]["spec"]["containers"]:
                cfg = binaries.check_config(c, "pacto-system")
                where = f"{name}/{deploy['metadata']['name']}/{c['name']}"
                paths = {p for p, _ in binaries.probes(c)}
                assert paths == {"/healthz", "/readyz"}, (where, paths)
                if c["name"] == "operator":
                    port = binaries.named_port(c, "metrics")
                    assert cfg["metrics_addr"] == f"0.0.0.0:{port}", (where, cfg["metrics_addr"])
                    assert {p for _, p in binaries.probes(c)} == {port}, where
                    assert cfg["scope"] == expect_scope.get(name, {"all": True}), (where, cfg["scope"])
                    assert cfg["lease_name"] == "pacto-operator-leader", where
                    assert cfg["lease_namespace"] == "pacto-system" and cfg["identity"] == "pod-0", where
                    assert cfg["leader_elect"] is (name == "ha"), where
                    assert cfg["log_format"] == "json" and cfg["concurrency"] == 4, where
                else:
                    port = binaries.named_port(c, "dashboard")
                    assert (cfg["host"], cfg["port"]) == ("0.0.0.0", port), (where, cfg)
                    assert {p for _, p in binaries.probes(c)} == {port}, where
                    want_ns = ["team-a", "team-b"] if name == "namespaced" else None
                    assert cfg["namespaces"] == want_ns, (where, cfg["namespaces"])
                    assert cfg["diagnostics"] is cfg["no_cache"] is (name == "standalone"), (where, cfg)
                    if name == "standalone":
                        assert cfg["token_file"] == "/etc/pacto-dashboard/token", where
                    want_base = "/pacto" if name == "standalone" else "/"
                    assert cfg["base_path"] == want_base, (where, cfg["base_path"])
                assert cfg["cache_root"] == "/cache/pacto", (where, cfg["cache_root"])
                if name == "namespaced":
                    assert cfg["insecure_registries"] == ["registry.team-a.svc:5000"], where
                    assert cfg["registry_ca_file"] == "/etc/pacto/ca/ca.crt", where
                    assert cfg["registry_credentials_env"] == ["PACTO_REGISTRY_TOKEN", "PACTO_REGISTRY_USERNAME",
                                                               "PACTO_REGISTRY_PASSWORD"], (where, cfg)
                seen.add(c["name"])
        # Every Service/NetworkPolicy port name points at a port some container declares.
        declared = {p["name"] for d in find(docs, "Deployment") for c in d["spec"]["template"]["spec"]["containers"]
                    for p in c.get("ports", [])}
        for svc in find(docs, "Service"):
            for p in svc["spec"]["ports"]:
                assert p["targetPort"] in declared, (name, svc["metadata"]["name"], p)
        for np in find(docs, "NetworkPolicy"):
            for r in np["spec"]["ingress"]:
                for p in r["ports"]:
                    assert p["port"] in declared, (name, np["metadata"]["name"], p)
    assert seen == {"operator", "dashboard"}, seen


def test_extra_args_and_unknown_flags_reach_the_binary():
    """The check is real: a flag the binary does not know makes it fail."""
    docs = render("default", "--set", "operator.extraArgs={--metrics-bind-address=:1}")
    c = container(one(docs, "Deployment"), "operator")
    try:
        binaries.check_config(c, "pacto-system")
    except AssertionError as e:
        assert "--metrics-bind-address" in str(e), e
    else:
        raise AssertionError("pacto-operator accepted --metrics-bind-address")
    docs = render("default", "--set", "dashboard.extraEnv[0].name=PACTO_DASHBOARD_NOPE",
                  "--set", "dashboard.extraEnv[0].value=1")
    try:
        binaries.check_config(container(one(docs, "Deployment"), "dashboard"), "pacto-system")
    except AssertionError as e:
        assert "PACTO_DASHBOARD_NOPE" in str(e), e
    else:
        raise AssertionError("an env name the dashboard never reads passed the check")


# --------------------------------------------------------------------------- cluster tests

def kubectl(*args, check=True, input=None, kubeconfig=None):
    env = dict(os.environ)
    if kubeconfig:
        env["KUBECONFIG"] = kubeconfig
    return run([KUBECTL, *args], check=check, input=input, env=env)


def ensure_namespace(ns):
    if kubectl("get", "namespace", ns, check=False).returncode != 0:
        kubectl("create", "namespace", ns)


def wait_established():
    for crd in ("pactos.pacto.trianalab.io", "pactorevisions.pacto.trianalab.io"):
        kubectl("wait", "--for=condition=Established", f"crd/{crd}", "--timeout=60s")
    # Established is not "served from the watch cache yet". Deleting a CRD whose cache is
    # still initialising makes the apiserver's CRD finalizer fail ("storage is (re)initializing")
    # and back off exponentially: an uninstall then waited ~5 min once. A list at
    # resourceVersion=0 is answered by the watch cache, so it succeeds only once that is ready.
    deadline = time.time() + 60
    for plural in ("pactos", "pactorevisions"):
        path = f"/apis/pacto.trianalab.io/v1alpha1/{plural}?resourceVersion=0&limit=1"
        while kubectl("get", "--raw", path, check=False).returncode != 0:
            if time.time() > deadline:
                raise AssertionError(f"{plural}: watch cache not ready after 60 s")
            time.sleep(0.2)


def manifest_objects(release, ns):
    """(kind, namespace, name) of every object in the release's stored manifest."""
    out = run([HELM, "get", "manifest", release, "-n", ns]).stdout
    objs = []
    for d in yaml.safe_load_all(out):
        if d:
            objs.append((d["kind"], d["metadata"].get("namespace", ""), d["metadata"]["name"]))
    return objs


def exists(kind, ns, name):
    args = ["get", kind, name, "-o", "name", "--ignore-not-found"]
    if ns:
        args += ["-n", ns]
    return bool(kubectl(*args).stdout.strip())


def wait_gone(objs, timeout=60):
    deadline = time.time() + timeout
    left = objs
    while time.time() < deadline:
        left = [o for o in left if exists(*o)]
        if not left:
            return
        time.sleep(1)
    raise AssertionError(f"still present after uninstall: {left}")


def labelled(instance):
    """Cluster-scoped objects labelled with the release instance."""
    sel = f"app.kubernetes.io/instance={instance}"
    out = kubectl("get", "clusterroles,clusterrolebindings,crds", "-l", sel, "-o", "name").stdout
    return out.split()


def apply_stub_crds():
    """Structural stand-ins for the Prometheus Operator and Gateway API CRDs (not shipped here):
    they let the apiserver accept ServiceMonitor/PrometheusRule/HTTPRoute objects by kind."""
    docs = []
    for group, kind, plural, version in [
        ("monitoring.coreos.com", "ServiceMonitor", "servicemonitors", "v1"),
        ("monitoring.coreos.com", "PrometheusRule", "prometheusrules", "v1"),
        ("gateway.networking.k8s.io", "HTTPRoute", "httproutes", "v1"),
    ]:
        docs.append({
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            # *.k8s.io groups need an API approval annotation (the real Gateway API CRDs carry one).
            "metadata": {"name": f"{plural}.{group}", "annotations": {
                "api-approved.kubernetes.io": "https://github.com/kubernetes-sigs/gateway-api/pull/3328"}},
            "spec": {"group": group, "scope": "Namespaced",
                     "names": {"kind": kind, "plural": plural, "singular": kind.lower()},
                     "versions": [{"name": version, "served": True, "storage": True, "schema": {
                         "openAPIV3Schema": {"type": "object", "properties": {"spec": {
                             "type": "object", "x-kubernetes-preserve-unknown-fields": True}}}}}]}})
    kubectl("apply", "-f", "-", input=yaml.safe_dump_all(docs))
    for group, plural in [("monitoring.coreos.com", "servicemonitors"), ("monitoring.coreos.com", "prometheusrules"),
                          ("gateway.networking.k8s.io", "httproutes")]:
        kubectl("wait", "--for=condition=Established", f"crd/{plural}.{group}", "--timeout=60s")


def cluster_test_1_every_value_set_passes_server_dry_run():
    for ns in ("pacto-system", "team-a", "team-b"):
        ensure_namespace(ns)
    apply_stub_crds()
    for name in SETS:
        docs = render(name)
        # CRDs must exist for the dry run of objects using them; the namespaced set does not render them.
        proc = kubectl("apply", "--dry-run=server", "-f", "-", input=yaml.safe_dump_all(docs), check=False)
        assert proc.returncode == 0, f"{name}: {proc.stderr}"
        assert proc.stdout.count("(server dry run)") == len(docs), f"{name}: {proc.stdout}"


def cluster_test_2_full_install_and_uninstall_leave_nothing():
    rel, ns = "full", "pacto-full"
    before = set(kubectl("get", "clusterroles,clusterrolebindings,crds", "-o", "name").stdout.split())
    run([HELM, "install", rel, CHART, "-n", ns, "--create-namespace", *values_args("monitoring"),
         *values_args("standalone"), "--set", "crds.keep=false", "--set", "rbac.userRolesPrefix=pacto-full"])
    wait_established()
    objs = manifest_objects(rel, ns)
    kinds = {o[0] for o in objs}
    assert {"CustomResourceDefinition", "ClusterRole", "Deployment", "ServiceMonitor", "PrometheusRule",
            "HTTPRoute", "Ingress", "NetworkPolicy"} <= kinds, kinds
    for o in objs:
        assert exists(*o), f"{o} not created"
    assert labelled(rel), "no cluster-scoped objects carry the release label"
    run([HELM, "uninstall", rel, "-n", ns, "--wait"])
    wait_gone(objs)
    assert labelled(rel) == []
    after = set(kubectl("get", "clusterroles,clusterrolebindings,crds", "-o", "name").stdout.split())
    assert after == before, f"cluster-scoped leftovers: {sorted(after - before)}"


def cluster_test_3_default_install_upgrade_keeps_crds_and_aggregates_roles():
    rel, ns = "main", "pacto-system"
    run([HELM, "install", rel, CHART, "-n", ns])
    wait_established()
    kubectl("apply", "-n", "team-a", "-f", os.path.join(ROOT, "examples", "k8s", "pacto-inline-reference.yaml"))
    out = kubectl("get", "pactos", "-A").stdout
    assert "stripe-api" in out, out

    # Aggregation: the controller-manager merges pacto-view/edit into view/edit/admin.
    deadline = time.time() + 60
    while time.time() < deadline:
        rules = json.loads(kubectl("get", "clusterrole", "view", "-o", "json").stdout).get("rules", [])
        if any("pactos" in r.get("resources", []) for r in rules):
            break
        time.sleep(1)
    else:
        raise AssertionError("pacto-view was not aggregated into view (clusterrole-aggregation controller running?)")
    kubectl("create", "rolebinding", "alice-view", "--clusterrole=view", "--user=alice", "-n", "team-a")
    kubectl("create", "rolebinding", "bob-edit", "--clusterrole=edit", "--user=bob", "-n", "team-a")

    def can(user, verb, resource, *extra):
        return kubectl("auth", "can-i", verb, resource, *extra, "-n", "team-a", "--as", user,
                       check=False).stdout.strip()

    assert can("alice", "list", "pactos") == "yes"
    assert can("alice", "list", "pactorevisions") == "yes"
    assert can("alice", "create", "pactos") == "no"
    assert can("bob", "create", "pactos") == "yes"
    assert can("bob", "create", "pactorevisions") == "no"
    assert can("bob", "patch", "pactos", "--subresource=status") == "no"
    assert can("bob", "patch", "pactos") == "yes"

    # helm upgrade applies a CRD change (Helm would never upgrade files under crds/) and turns HA on.
    with tempfile.TemporaryDirectory() as tmp:
        chart = os.path.join(tmp, "pacto-operator")
        shutil.copytree(CHART, chart)
        path = os.path.join(chart, "files", "crds", "pacto.trianalab.io_pactos.yaml")
        with open(path) as fh:
            text = fh.read()
        marker = "    - jsonPath: .metadata.creationTimestamp\n      name: Age\n"
        assert marker in text
        text = text.replace(marker, "    - jsonPath: .spec.checkIntervalSeconds\n      name: Interval\n"
                                    "      type: integer\n" + marker, 1)
        with open(path, "w") as fh:
            fh.write(text)
        run([HELM, "upgrade", rel, chart, "-n", ns, *values_args("ha")])
    crd = json.loads(kubectl("get", "crd", "pactos.pacto.trianalab.io", "-o", "json").stdout)
    columns = [c["name"] for c in crd["spec"]["versions"][0]["additionalPrinterColumns"]]
    assert "Interval" in columns, columns
    deploy = json.loads(kubectl("get", "deployment", "main-pacto-operator", "-n", ns, "-o", "json").stdout)
    assert deploy["spec"]["replicas"] == 2
    assert "--leader-elect" in deploy["spec"]["template"]["spec"]["containers"][0]["args"]
    assert exists("poddisruptionbudget", ns, "main-pacto-operator")
    assert exists("role", ns, "main-pacto-operator-leader-election")

    objs = manifest_objects(rel, ns)
    run([HELM, "uninstall", rel, "-n", ns, "--wait"])
    wait_gone([o for o in objs if o[0] != "CustomResourceDefinition"])
    # crds.keep (default): the CRDs and the Pactos stored in them survive the uninstall.
    assert exists("crd", "", "pactos.pacto.trianalab.io")
    assert "stripe-api" in kubectl("get", "pactos", "-n", "team-a").stdout
    assert labelled(rel) == ["customresourcedefinition.apiextensions.k8s.io/pactorevisions.pacto.trianalab.io",
                             "customresourcedefinition.apiextensions.k8s.io/pactos.pacto.trianalab.io"], labelled(rel)


def sa_kubeconfig(tmp, token):
    admin = yaml.safe_load(open(os.environ["KUBECONFIG"]))
    cluster = admin["clusters"][0]["cluster"]
    cfg = {
        "apiVersion": "v1", "kind": "Config",
        "clusters": [{"name": "c", "cluster": cluster}],
        "users": [{"name": "sa", "user": {"token": token}}],
        "contexts": [{"name": "sa", "context": {"cluster": "c", "user": "sa"}}],
        "current-context": "sa",
    }
    path = os.path.join(tmp, "sa.kubeconfig")
    with open(path, "w") as fh:
        yaml.safe_dump(cfg, fh)
    return path


def cluster_test_4_rbac_proof_with_the_service_account_token():
    rel, ns = "scoped", "pacto-scoped"
    ensure_namespace("team-c")
    for n, s in [("team-a", "regcred"), ("team-a", "other"), ("team-b", "regcred")]:
        kubectl("create", "secret", "generic", s, "-n", n, "--from-literal=k=v")
    kubectl("create", "deployment", "web", "--image=registry.invalid/web:1", "-n", "team-a")
    kubectl("apply", "-n", "team-c", "-f", os.path.join(ROOT, "examples", "k8s", "pacto-inline-reference.yaml"))
    run([HELM, "install", rel, CHART, "-n", ns, "--create-namespace", *values_args("namespaced"),
         "--set", "operator.leaderElection.enabled=true"])
    token = kubectl("create", "token", "scoped-pacto-operator", "-n", ns, "--duration=10m").stdout.strip()
    assert token.count(".") == 2, "TokenRequest did not return a JWT"
    with tempfile.TemporaryDirectory() as tmp:
        kc = sa_kubeconfig(tmp, token)

        def as_sa(*args):
            return kubectl(*args, check=False, kubeconfig=kc)

        allowed = [
            ("get", "pactos", "-n", "team-a"),
            ("get", "pactorevisions", "-n", "team-b"),
            ("get", "deployments,statefulsets,replicasets,jobs,cronjobs", "-n", "team-a"),
            ("get", "services,endpointslices,horizontalpodautoscalers", "-n", "team-b"),
            ("get", "secret", "regcred", "-n", "team-a"),
            # configBindings: ConfigMaps by name, and their metadata watched.
            ("get", "configmaps", "-n", "team-a"),
            ("patch", "pactos", "stripe-api", "-n", "team-a", "--subresource=status", "--type=merge",
             "-p", '{"status":{"contractStatus":"Reference"}}'),
            ("create", "-n", "team-a", "-f", os.path.join(ROOT, "examples", "k8s", "pactorevision.yaml")),
        ]
        for args in allowed:
            proc = as_sa(*args)
            assert proc.returncode == 0, f"operator SA denied {args}: {proc.stderr}"
        # kubectl has no `create lease`: the Lease comes from a manifest.
        lease = {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                 "metadata": {"name": "pacto-operator-leader", "namespace": ns},
                 "spec": {"holderIdentity": "test", "leaseDurationSeconds": 15}}
        proc = kubectl("create", "-f", "-", check=False, kubeconfig=kc, input=yaml.safe_dump(lease))
        assert proc.returncode == 0, proc.stderr
        proc = as_sa("annotate", "lease", "pacto-operator-leader", "-n", ns, "x=y")
        assert proc.returncode == 0, proc.stderr

        forbidden = [
            ("patch", "deployment", "web", "-n", "team-a", "--type=merge", "-p", '{"spec":{"replicas":3}}'),
            ("delete", "deployment", "web", "-n", "team-a"),
            ("get", "secrets", "-n", "team-a"),
            ("get", "secret", "other", "-n", "team-a"),
            ("get", "secret", "regcred", "-n", "team-b"),
            ("patch", "pactos", "stripe-api", "-n", "team-a", "--type=merge", "-p", '{"spec":{"checkIntervalSeconds":60}}'),
            ("get", "pactos", "-n", "team-c"),
            ("get", "pactos", "-A"),
            ("get", "configmaps", "-n", "team-c"),
            ("create", "clusterrole", "x", "--verb=get", "--resource=pods"),
            ("annotate", "lease", "other", "-n", ns, "x=y"),
        ]
        other = dict(lease, metadata={"name": "other", "namespace": ns})
        kubectl("create", "-f", "-", input=yaml.safe_dump(other))
        for args in forbidden:
            proc = as_sa(*args)
            assert proc.returncode != 0 and "forbidden" in proc.stderr.lower(), \
                f"operator SA was not forbidden {args}: rc={proc.returncode} {proc.stdout} {proc.stderr}"
            assert "system:serviceaccount:pacto-scoped:scoped-pacto-operator" in proc.stderr, proc.stderr

    objs = manifest_objects(rel, ns)
    assert not [o for o in objs if o[1] == ""], f"cluster-scoped objects in namespaced mode: {objs}"
    run([HELM, "uninstall", rel, "-n", ns, "--wait"])
    wait_gone(objs)
    assert labelled(rel) == []


OFFLINE = [v for k, v in sorted(globals().items()) if k.startswith("test_")]
CLUSTER = [v for k, v in sorted(globals().items()) if k.startswith("cluster_test_")]


def main():
    tests = list(OFFLINE)
    if "--cluster" in sys.argv:
        assert os.environ.get("KUBECONFIG"), "--cluster needs KUBECONFIG (run under e2e/with-controlplane.sh)"
        tests += CLUSTER
    if "-k" in sys.argv:
        pattern = sys.argv[sys.argv.index("-k") + 1]
        tests = [t for t in tests if pattern in t.__name__]
    passed = failed = 0
    for t in tests:
        start = time.time()
        try:
            t()
        except Exception:  # report every failure, keep going
            failed += 1
            print(f"FAIL {t.__name__} ({time.time() - start:.1f} s)")
            traceback.print_exc()
            if t in CLUSTER:
                break  # cluster tests build on each other
        else:
            passed += 1
            print(f"ok   {t.__name__} ({time.time() - start:.1f} s)")
    print(f"chart: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
