#!/usr/bin/env bash
# "Install like a user" on the real node: the product image built here (scripts/build-image.sh,
# nothing pulled), imported into the node's containerd, `helm install charts/pacto-operator` with
# `image.pullPolicy=Never` and the dashboard as a sidecar -> the operator Pod (operator + dashboard
# containers) Ready -> the operator runs on its mounted ServiceAccount token (in-cluster config)
# and holds its Lease -> an inline example Pacto gets a status -> the dashboard answers through
# `kubectl port-forward` (and at the Pod IP) -> teardown, nothing left on the host.
#
#   e2e/node/chart.sh            everything, torn down at the end
#   e2e/node/chart.sh --keep     leave control plane, node and release running (stop with
#                                `e2e/node/node.sh stop && e2e/controlplane/cluster.sh stop`,
#                                same PACTO_E2E_STATE_DIR and PACTO_E2E_NODE_* settings)
#
# How the Pod reaches the apiserver (no kube-proxy, so the `kubernetes` Service's ClusterIP routes
# nowhere, and 127.0.0.1 inside the Pod is the Pod's own loopback): the control plane is started
# with PACTO_E2E_APISERVER_BIND=0.0.0.0 and the bridge gateway in the serving cert's SANs, and the
# chart's operator.extraEnv/dashboard.extraEnv set KUBERNETES_SERVICE_HOST=<gateway>,
# KUBERNETES_SERVICE_PORT=<apiserver port> (declared container env wins over the kubelet's
# service env). The binaries' in-cluster config then reads the mounted token and CA as usual.
# PACTO_E2E_KUBELET_CLIENT=1 gives the apiserver a client cert towards the kubelet: port-forward
# and logs work.
#
# Env: PACTO_E2E_STATE_DIR (default /tmp/pacto-node-chart), PACTO_STATIC_BIN_DIR (prebuilt static
# binaries for the image; unset: scripts/build-static.sh builds them into $CARGO_TARGET_DIR/docker-out),
# PACTO_NODE_SCENARIOS (which of scenarios.sh run; default all), PACTO_E2E_NODE_NAME
# (chart-node), PACTO_E2E_NODE_BRIDGE (pacto-chart0), PACTO_E2E_NODE_SUBNET (10.244.8.0/24): own
# defaults so this runs next to selftest.sh. Prints timings and 'N passed, N failed'.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cp_dir="$here/../controlplane"
target="${CARGO_TARGET_DIR:-$root/target}"
export PACTO_E2E_STATE_DIR="${PACTO_E2E_STATE_DIR:-/tmp/pacto-node-chart}"
export PACTO_E2E_NODE_NAME="${PACTO_E2E_NODE_NAME:-chart-node}"
export PACTO_E2E_NODE_BRIDGE="${PACTO_E2E_NODE_BRIDGE:-pacto-chart0}"
export PACTO_E2E_NODE_SUBNET="${PACTO_E2E_NODE_SUBNET:-10.244.8.0/24}"
state="$PACTO_E2E_STATE_DIR"
gateway="${PACTO_E2E_NODE_SUBNET%.*}.1"
ns=pacto-system
release=pacto-operator
image=pacto.local/pacto:dev
keep="" watch=(--watch-pid $$) # the watchers stop everything once this script is gone
if [[ "${1:-}" == --keep ]]; then keep=1 watch=(); fi
export PATH="$target/py-tools/bin:$PATH" # kubectl (charts/tests/tools.sh)
export HELM_CACHE_HOME="$state/helm/cache" HELM_CONFIG_HOME="$state/helm/config" HELM_DATA_HOME="$state/helm/data"
passed=0 failed=0

log() { echo "[node-chart] $*" >&2; }
ok() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "not ok - $*"; }
now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$(now)"; }
wait_until() { # SECONDS COMMAND...: poll every 0.5 s
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

pf_pid="" hostile_pid=""
teardown() {
  [[ -z "$pf_pid" ]] || kill "$pf_pid" 2>/dev/null || true
  [[ -z "$hostile_pid" ]] || kill "$hostile_pid" 2>/dev/null || true
  [[ -z "$keep" ]] || return 0
  "$here/node.sh" stop || true
  "$cp_dir/cluster.sh" stop || true
}
trap teardown EXIT

# What the host has that a node could leave behind (compared after teardown), without the veths
# (pv-*) and namespaces (pacto-*) of e2e/netns.sh, which other test runs on this host come and go with.
host_snapshot() {
  {
    echo "## iptables"
    iptables-save 2>/dev/null | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]//'
    echo "## links"
    ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | { grep -v '^pv-' || true; } | sort
    echo "## netns"
    ls /var/run/netns 2>/dev/null | { grep -v '^pacto-' || true; } | sort
  }
}
before="$(host_snapshot)"

mkdir -p "$state"
kubectl version --client >/dev/null 2>&1 || "$root/charts/tests/tools.sh" >/dev/null
HELM="$("$root/e2e/helm/build.sh" | tail -n 1)"

# --- image -------------------------------------------------------------------------------------------
t0="$(now)"
# Own dir for buildah's storage (a CI run's scripts/build-image.sh uses $target/image), removed
# once the archive is imported: vfs storage takes ~2 GB for this image.
# The static binaries come from the usual target dir (CI's check-dockerfile step leaves them in
# docker-out; a rebuild there is incremental).
static_bins="${PACTO_STATIC_BIN_DIR:-$target/docker-out}"
[[ -n "${PACTO_STATIC_BIN_DIR:-}" ]] || nice -n 10 "$root/scripts/build-static.sh" "$static_bins"
rm -rf "$state/image-build"
archive="$(CARGO_TARGET_DIR="$state/image-build" PACTO_STATIC_BIN_DIR="$static_bins" \
  nice -n 10 "$root/scripts/build-image.sh" "$image" | tail -n 1)"
ok "image $image built in $(since "$t0") s ($archive)"

# --- control plane + node ----------------------------------------------------------------------------
t0="$(now)"
PACTO_E2E_APISERVER_BIND=0.0.0.0 PACTO_E2E_APISERVER_SANS="IP:$gateway" PACTO_E2E_KUBELET_CLIENT=1 PACTO_E2E_AUDIT=1 \
  PACTO_E2E_CRDS="" PACTO_E2E_CONTROLLERS="$("$here/node.sh" controllers),clusterrole-aggregation" \
  "$cp_dir/cluster.sh" start "${watch[@]}" >/dev/null
# shellcheck disable=SC1091
source "$state/env"
api_port="${PACTO_E2E_APISERVER##*:}"
"$here/node.sh" start "${watch[@]}" >/dev/null
# shellcheck disable=SC1091
source "$state/node/env"
ok "control plane + node $PACTO_E2E_NODE_NAME up in $(since "$t0") s (apiserver also on $gateway:$api_port)"

t0="$(now)"
sock="${PACTO_E2E_NODE_CRI#unix://}"
ctr -a "$sock" -n k8s.io images import --base-name pacto.local/pacto "$archive" >&2
if ctr -a "$sock" -n k8s.io images ls -q | grep -qx "$image"; then
  ok "image imported into the node's containerd in $(since "$t0") s"
  rm -rf "$state/image-build"
else
  fail "image $image not in containerd after import: $(ctr -a "$sock" -n k8s.io images ls -q | tr '\n' ' ')"
fi

# The apiserver as a Pod sees it: the bridge gateway (the host), with the CA the token volume mounts.
if curl -fsS --max-time 3 --cacert "$state/pki/ca.crt" "https://$gateway:$api_port/readyz" -o /dev/null; then
  ok "apiserver answers at https://$gateway:$api_port with a cert valid for that address"
else
  fail "apiserver at https://$gateway:$api_port"
fi

# --- helm install ------------------------------------------------------------------------------------
cat >"$state/values.yaml" <<YAML
image:
  registry: pacto.local
  repository: pacto
  tag: dev
  pullPolicy: Never
dashboard:
  mode: sidecar
  extraEnv:
    - {name: KUBERNETES_SERVICE_HOST, value: "$gateway"}
    - {name: KUBERNETES_SERVICE_PORT, value: "$api_port"}
operator:
  leaderElection:
    enabled: true
  # Report at once: the example Pactos converge without a stabilization delay.
  stabilizationWindow: 0s
  extraEnv:
    # A probe round every 2 s: the health scenarios flip within seconds (threshold: 3 rounds).
    - {name: PACTO_PROBE_INTERVAL_SECONDS, value: "2"}
    - {name: KUBERNETES_SERVICE_HOST, value: "$gateway"}
    - {name: KUBERNETES_SERVICE_PORT, value: "$api_port"}
YAML
t0="$(now)"
"$HELM" install "$release" "$root/charts/pacto-operator" -n "$ns" --create-namespace \
  -f "$state/values.yaml" >"$state/helm-install.log" 2>&1 || { cat "$state/helm-install.log" >&2; fail "helm install"; }
helm_s="$(since "$t0")"
sel="app.kubernetes.io/instance=$release,app.kubernetes.io/component=operator"
pod_ready() {
  [[ "$(kubectl -n "$ns" get pods -l "$sel" \
    -o 'jsonpath={range .items[*]}{.status.containerStatuses[*].ready}{"\n"}{end}' 2>/dev/null)" == "true true" ]]
}
if wait_until 180 pod_ready; then
  ok "helm install ${helm_s} s, operator Pod Ready (operator + dashboard containers) $(since "$t0") s after it started"
else
  fail "operator Pod not Ready after 180 s"
  kubectl -n "$ns" get pods -o wide >&2 || true
  kubectl -n "$ns" describe pods -l "$sel" | tail -n 40 >&2 || true
fi
pod="$(kubectl -n "$ns" get pods -l "$sel" -o 'jsonpath={.items[0].metadata.name}' 2>/dev/null || true)"
pod_ip="$(kubectl -n "$ns" get pod "$pod" -o 'jsonpath={.status.podIP}' 2>/dev/null || true)"
log "pod $pod at $pod_ip"

# --- in-cluster config, Lease ------------------------------------------------------------------------
holder() { kubectl -n "$ns" get lease pacto-operator-leader -o 'jsonpath={.spec.holderIdentity}' 2>/dev/null; }
held_by_pod() { [[ -n "$pod" && "$(holder)" == "$pod" ]]; }
if wait_until 60 held_by_pod; then
  ok "Lease $ns/pacto-operator-leader held by $(holder)"
else
  fail "Lease pacto-operator-leader not held by $pod (holder: '$(holder || true)')"
fi
# kubectl logs goes apiserver -> kubelet (PACTO_E2E_KUBELET_CLIENT=1).
kubectl -n "$ns" logs "$pod" -c operator >"$state/operator.log" 2>&1 || true
kubectl -n "$ns" logs "$pod" -c dashboard >"$state/dashboard.log" 2>&1 || true
sa_user="system:serviceaccount:$ns:$(kubectl -n "$ns" get pod "$pod" -o 'jsonpath={.spec.serviceAccountName}')"
if [[ -s "$state/operator.log" && -s "$state/dashboard.log" ]]; then
  ok "kubectl logs works for both containers ($(wc -l <"$state/operator.log") + $(wc -l <"$state/dashboard.log") lines in $state/{operator,dashboard}.log)"
else
  fail "kubectl logs: $(head -c 300 "$state/operator.log")"
fi
# The apiserver's audit log (PACTO_E2E_AUDIT=1) says who called from where: requests of the
# Pod's ServiceAccount from the Pod's IP are the binaries on their mounted token.
audit_by() { # USER SOURCE-IP: "<requests> <verbs on leases>"
  python3 - "$state/audit.log" "$1" "$2" <<'PY'
import json, sys
path, user, ip = sys.argv[1:]
n = leases = 0
for line in open(path):
    e = json.loads(line)
    if e.get("user", {}).get("username") == user and ip in e.get("sourceIPs", []):
        n += 1
        if e.get("objectRef", {}).get("resource") == "leases" and e.get("verb") in ("create", "update", "patch"):
            leases += 1
print(n, leases)
PY
}
read -r sa_requests sa_lease_writes < <(audit_by "$sa_user" "$pod_ip")
if ((sa_requests > 0 && sa_lease_writes > 0)); then
  ok "audit log: $sa_requests requests as $sa_user from the Pod IP $pod_ip ($sa_lease_writes Lease writes): in-cluster config on the mounted token"
else
  fail "audit log: $sa_requests requests / $sa_lease_writes Lease writes as $sa_user from $pod_ip"
fi
# The operator is the ServiceAccount: it may do what its chart RBAC allows, as that user.
if kubectl auth can-i update leases/pacto-operator-leader -n "$ns" --as "$sa_user" >/dev/null 2>&1; then
  ok "the chart's RBAC lets $sa_user update its Lease"
else
  fail "$sa_user may not update its Lease"
fi

# --- the example Pactos converge ---------------------------------------------------------------------
# examples/k8s/pacto-inline-*.yaml unchanged, with the workloads they name: order-service (1 Pod of
# the demo image, /health on 8080 and /metrics on 9090, one container each: the demo serves one
# port), report-generator (a suspended CronJob: no cronjob controller here, nothing runs).
# The operator, in its Pod, probes the order-service Pods at their IPs across the bridge.
ex=pacto-examples
kubectl create namespace "$ex" >/dev/null
kubectl -n "$ex" apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: order-service, labels: {app: order-service}}
spec:
  replicas: 1
  selector: {matchLabels: {app: order-service}}
  template:
    metadata: {labels: {app: order-service}}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: api
        image: $PACTO_E2E_NODE_DEMO_IMAGE
        imagePullPolicy: Never
        ports: [{containerPort: 8080}]
        # Readiness on /ready, liveness on the contract's /health (HealthProbeMatch): a Pod whose
        # /health fails stays an endpoint for minutes, so the operator's probes see it fail.
        readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: 1}
        livenessProbe: {httpGet: {path: /health, port: 8080}, periodSeconds: 10, failureThreshold: 60}
      - name: metrics
        image: $PACTO_E2E_NODE_DEMO_IMAGE
        imagePullPolicy: Never
        env: [{name: PORT, value: "9090"}, {name: DEMO_METRICS, value: "orders_total 7"}]
        ports: [{containerPort: 9090}]
---
apiVersion: v1
kind: Service
metadata: {name: order-service}
spec:
  selector: {app: order-service}
  ports:
  - {name: api, port: 8080, targetPort: 8080}
  - {name: metrics, port: 9090, targetPort: 9090}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report-generator}
spec:
  schedule: "0 3 * * *"
  suspend: true
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - {name: report, image: $PACTO_E2E_NODE_DEMO_IMAGE, imagePullPolicy: Never}
YAML
workload_ready() {
  [[ "$(kubectl -n "$ex" get deploy order-service -o 'jsonpath={.status.readyReplicas}' 2>/dev/null)" == 1 ]]
}
t0="$(now)"
if wait_until 120 workload_ready; then
  ok "order-service: its Pod Ready $(since "$t0") s after apply"
else
  fail "order-service Pods not Ready: $(kubectl -n "$ex" get pods -o wide 2>&1 | tr '\n' ' ')"
fi
t0="$(now)"
for f in pacto-inline-reference pacto-inline-with-target pacto-inline-cronjob; do
  kubectl -n "$ex" apply -f "$root/examples/k8s/$f.yaml" >/dev/null
done
# `kubectl get pacto NAME` fails ("you must specify only one resource"): the CRDs' category
# `pacto` is also Pacto's singular name, and kubectl expands the category first.
pac() { kubectl -n "$ex" get pactos.pacto.trianalab.io "$@"; }
status_of() { pac "$1" -o 'jsonpath={.status.contractStatus}' 2>/dev/null; }
declare -A want=([stripe-api]=Reference [order-service]=Compliant [report-generator]=Compliant)
converged() {
  local p
  for p in "${!want[@]}"; do [[ "$(status_of "$p")" == "${want[$p]}" ]] || return 1; done
}
if wait_until 90 converged; then
  ok "example Pactos converged $(since "$t0") s after apply: $(for p in "${!want[@]}"; do printf '%s=%s ' "$p" "$(status_of "$p")"; done)"
else
  fail "example Pactos after 90 s: $(for p in "${!want[@]}"; do printf '%s=%s (want %s) ' "$p" "$(status_of "$p")" "${want[$p]}"; done)"
fi
pac -o wide >&2 || true

# --- the dashboard -----------------------------------------------------------------------------------
dash_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
kubectl -n "$ns" port-forward "pod/$pod" "$dash_port:3000" >"$state/port-forward.log" 2>&1 &
pf_pid=$!
services() { curl -fsS --max-time 3 "$1/api/services" 2>>"$state/curl.log"; }
if wait_until 20 services "http://127.0.0.1:$dash_port" >/dev/null &&
  services "http://127.0.0.1:$dash_port" | grep -q order-service; then
  ok "dashboard through kubectl port-forward: /api/services lists order-service"
else
  fail "dashboard through kubectl port-forward: $(tail -n 3 "$state/port-forward.log" "$state/curl.log" 2>/dev/null | tr '\n' ' ')"
fi
kill "$pf_pid" 2>/dev/null || true
wait "$pf_pid" 2>/dev/null || true
pf_pid=""
if services "http://$pod_ip:3000" | grep -q order-service; then
  ok "dashboard at the Pod IP $pod_ip:3000: /api/services lists order-service"
else
  fail "dashboard at the Pod IP $pod_ip:3000"
fi

# --- the operator against real Pods (scenarios.sh) --------------------------------------------------
# shellcheck source=e2e/node/scenarios.sh
source "$here/scenarios.sh"
# PACTO_NODE_SCENARIOS: a subset, space-separated (default: all, in this order).
for s in ${PACTO_NODE_SCENARIOS:-replicas port_change rbac_inside hostile failover upgrade}; do
  "scenario_$s"
done

# --- rolling restart: the Lease is handed over ----------------------------------------------------------
# The new Pod starts as a standby (Ready: /readyz does not wait for the Lease), the old one gets
# SIGTERM and releases the Lease, the new one takes it on its next try.
t0="$(now)"
kubectl -n "$ns" rollout restart deploy/"$release" >/dev/null
if kubectl -n "$ns" rollout status deploy/"$release" --timeout 120s >/dev/null; then
  rollout_s="$(since "$t0")"
  # the new Pod: the one not being deleted
  pod="$(kubectl -n "$ns" get pods -l "$sel" \
    -o 'jsonpath={range .items[*]}{.metadata.name} {.metadata.deletionTimestamp}{"\n"}{end}' | awk 'NF == 1 {print $1; exit}')"
  if wait_until 60 held_by_pod; then
    ok "rollout restart: new Pod Ready in $rollout_s s, it holds the Lease $(since "$t0") s after the restart (transitions: $(kubectl -n "$ns" get lease pacto-operator-leader -o 'jsonpath={.spec.leaseTransitions}'))"
  else
    fail "rollout restart: Lease held by '$(holder)', not the new Pod '$pod'"
  fi
else
  fail "rollout restart did not finish in 120 s"
fi

# --- helm uninstall ------------------------------------------------------------------------------------
pod_ip="$(kubectl -n "$ns" get pod "$pod" -o 'jsonpath={.status.podIP}' 2>/dev/null || true)"
t0="$(now)"
"$HELM" uninstall "$release" -n "$ns" --wait --timeout 60s >"$state/helm-uninstall.log" 2>&1 || true
pods_gone() { [[ -z "$(kubectl -n "$ns" get pods -l "$sel" -o name 2>/dev/null)" ]]; }
if wait_until 60 pods_gone; then
  ok "helm uninstall: operator Pod gone $(since "$t0") s after it; CRDs kept ($(kubectl get crd -o name | grep -c pacto.trianalab.io)), Pactos kept ($(pac -o name | wc -l))"
else
  fail "helm uninstall: operator Pod still there after 60 s"
fi
# Known: helm deletes the Deployment, RoleBindings and ServiceAccount together, so the stopping
# operator's Lease release is refused (403) and the Lease stays held by the gone Pod until it
# expires (leaseDurationSeconds); the operator logs nothing about it.
if [[ -n "$(holder)" ]]; then
  log "NOTE: after helm uninstall the Lease is still held by '$(holder)'; the release GET was answered: $(python3 - "$state/audit.log" "$sa_user" "$pod_ip" <<'PY'
import json, sys
path, user, ip = sys.argv[1:]
last = None
for line in open(path):
    e = json.loads(line)
    if e.get("user", {}).get("username") == user and ip in e.get("sourceIPs", []) \
            and e.get("objectRef", {}).get("resource") == "leases":
        last = f'{e["verb"]} {e.get("responseStatus", {}).get("code")}'
print(last)
PY
)"
fi

# --- teardown ----------------------------------------------------------------------------------------
if [[ -n "$keep" ]]; then
  log "--keep: running; source $state/env"
else
  t0="$(now)"
  "$here/node.sh" stop
  "$cp_dir/cluster.sh" stop
  if "$here/node.sh" check-clean; then
    ok "teardown in $(since "$t0") s; node.sh check-clean: nothing left"
  else
    fail "node.sh check-clean after teardown"
  fi
  if [[ "$(host_snapshot)" == "$before" ]]; then
    ok "iptables, links and netns as before the run"
  else
    fail "host changed: $(diff <(echo "$before") <(host_snapshot) | head -n 20 | tr '\n' ' ')"
  fi
fi
echo "$passed passed, $failed failed"
((failed == 0))
