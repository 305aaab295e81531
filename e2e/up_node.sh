# shellcheck shell=bash
# `make up` on the real node (sourced by up.sh): the example workload as Pods of the demo image,
# the operator and its dashboard sidecar installed with the chart and the product image, the
# dashboard reached through `kubectl port-forward`. Uses up.sh's variables (here, root, target,
# demo_ns) and its `step`.

# Own node name, bridge and subnet: `make test` (e2e/node/selftest.sh, chart.sh) may run beside it.
export PACTO_E2E_NODE_NAME="${PACTO_E2E_NODE_NAME:-pacto-demo-node}"
export PACTO_E2E_NODE_BRIDGE="${PACTO_E2E_NODE_BRIDGE:-pacto-up0}"
export PACTO_E2E_NODE_SUBNET="${PACTO_E2E_NODE_SUBNET:-10.244.16.0/24}"
node_gateway="${PACTO_E2E_NODE_SUBNET%.*}.1"
node_release=pacto-operator
node_ns=pacto-system

# Why the node cannot run here, or nothing: root, cgroups and the Debian packages it needs.
node_unavailable() {
  [[ "$(id -u)" == 0 ]] || { echo "not root (containerd and kubelet need root)"; return; }
  [[ -d /sys/fs/cgroup ]] || { echo "no /sys/fs/cgroup"; return; }
  command -v go >/dev/null || { echo "no Go toolchain (kubelet is built from its Go module)"; return; }
  "$here/node/deps.sh" >&2 || { echo "e2e/node/deps.sh could not install containerd, runc, CNI plugins, buildah"; return; }
}

# Control plane options a node needs: Pods reach the apiserver at the bridge gateway, the
# apiserver reaches the kubelet (logs, port-forward), and the controllers a node needs run.
node_control_plane_env() {
  export PACTO_E2E_APISERVER_BIND=0.0.0.0 PACTO_E2E_APISERVER_SANS="IP:$node_gateway" PACTO_E2E_KUBELET_CLIENT=1
  PACTO_E2E_CONTROLLERS="$("$here/node/node.sh" controllers),clusterrole-aggregation"
  export PACTO_E2E_CONTROLLERS
}

step_node() {
  command -v kubectl >/dev/null || "$root/charts/tests/tools.sh" >/dev/null
  step "node (containerd, runc, kubelet, kube-scheduler; the first build takes ~9 min)"
  "$here/node/node.sh" start >/dev/null || return 1
  # shellcheck disable=SC1091
  source "$PACTO_E2E_STATE_DIR/node/env"
  echo "node: $PACTO_E2E_NODE_NAME Ready, Pods on $PACTO_E2E_NODE_SUBNET (bridge $PACTO_E2E_NODE_BRIDGE)" >&2
}

step_workloads_node() {
  step "example workloads (Pods of $PACTO_E2E_NODE_DEMO_IMAGE)"
  python3 "$here/kapply.py" /dev/stdin <<YAML
apiVersion: v1
kind: Namespace
metadata:
  name: $demo_ns
YAML
  python3 "$here/kapply.py" --namespace "$demo_ns" "$here/demo/order-service-config.yaml"
  # The same Deployment as the netns demo, run by the demo image under the name the Deployment
  # (and order-service-live's ImageMatch) gives it, a local alias: one container per port (the
  # demo serves one), /health and /metrics as the contracts declare, /ready answering 404 as the
  # netns replicas do (order-service-canary's health path).
  local alias
  alias="$(python3 -c 'import sys, yaml; print(next(d for d in yaml.safe_load_all(open(sys.argv[1])) if d["kind"] == "Deployment")["spec"]["template"]["spec"]["containers"][0]["image"])' "$here/demo/order-service.yaml")"
  ctr -a "${PACTO_E2E_NODE_CRI#unix://}" -n k8s.io images tag --force "$PACTO_E2E_NODE_DEMO_IMAGE" "$alias" >/dev/null
  python3 - "$here/demo/order-service.yaml" >"$PACTO_E2E_STATE_DIR/order-service.node.yaml" <<'PY'
import sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1])))
dep = next(d for d in docs if d["kind"] == "Deployment")
pod = dep["spec"]["template"]["spec"]
api = pod["containers"][0]
api.update(imagePullPolicy="Never", ports=[{"containerPort": 8080}],
           env=[{"name": "DEMO_READY", "value": "fail"}])
metrics = {"name": "metrics", "image": api["image"], "imagePullPolicy": "Never",
           "env": [{"name": "PORT", "value": "9090"}, {"name": "DEMO_METRICS", "value": "orders_total 42"}],
           "ports": [{"containerPort": 9090}]}
pod["containers"].append(metrics)
print(yaml.safe_dump_all(docs, sort_keys=False))
PY
  python3 "$here/kapply.py" --namespace "$demo_ns" "$PACTO_E2E_STATE_DIR/order-service.node.yaml"
  for _ in $(seq 1 240); do
    [[ "$(kubectl -n "$demo_ns" get deploy order-service -o 'jsonpath={.status.readyReplicas}' 2>/dev/null)" == 2 ]] && break
    sleep 0.5
  done
  kubectl -n "$demo_ns" get pods -o wide >&2
}

step_operator_node() {
  step "operator + dashboard: the product image, installed with the chart"
  local out="$target/docker-out" archive api_port helm sock
  if [[ -n "$(kubectl -n "$node_ns" get deploy "$node_release" -o name 2>/dev/null)" ]]; then
    echo "operator already installed (helm release $node_ns/$node_release)" >&2
    return 0
  fi
  (cd "$root" && scripts/build-static.sh "$out" >&2)
  rm -rf "$PACTO_E2E_STATE_DIR/image-build"
  archive="$(CARGO_TARGET_DIR="$PACTO_E2E_STATE_DIR/image-build" PACTO_STATIC_BIN_DIR="$out" \
    "$root/scripts/build-image.sh" pacto.local/pacto:dev | tail -n 1)"
  sock="${PACTO_E2E_NODE_CRI#unix://}"
  ctr -a "$sock" -n k8s.io images import --base-name pacto.local/pacto "$archive" >&2
  rm -rf "$PACTO_E2E_STATE_DIR/image-build"
  helm="$("$here/helm/build.sh" | tail -n 1)"
  api_port="${PACTO_E2E_APISERVER##*:}"
  # Probes every 5 s, a threshold of 2 and a 30 s stabilization window, as the netns demo.
  cat >"$PACTO_E2E_STATE_DIR/values.yaml" <<YAML
image: {registry: pacto.local, repository: pacto, tag: dev, pullPolicy: Never}
crds: {install: false} # up.sh applied them with the control plane (as CI does)
registry:
  insecure: ["$PACTO_E2E_REGISTRY", "$PACTO_E2E_AUTH_REGISTRY"]
dashboard:
  mode: sidecar
  logFormat: pretty
  extraEnv:
    - {name: KUBERNETES_SERVICE_HOST, value: "$node_gateway"}
    - {name: KUBERNETES_SERVICE_PORT, value: "$api_port"}
operator:
  logFormat: pretty
  stabilizationWindow: 30s
  extraEnv:
    - {name: KUBERNETES_SERVICE_HOST, value: "$node_gateway"}
    - {name: KUBERNETES_SERVICE_PORT, value: "$api_port"}
    - {name: PACTO_PROBE_INTERVAL_SECONDS, value: "5"}
    - {name: PACTO_PROBE_THRESHOLD, value: "2"}
YAML
  HELM_CACHE_HOME="$PACTO_E2E_STATE_DIR/helm/cache" HELM_CONFIG_HOME="$PACTO_E2E_STATE_DIR/helm/config" \
    HELM_DATA_HOME="$PACTO_E2E_STATE_DIR/helm/data" \
    "$helm" install "$node_release" "$root/charts/pacto-operator" -n "$node_ns" --create-namespace \
    -f "$PACTO_E2E_STATE_DIR/values.yaml" --wait --timeout 180s >&2
  kubectl -n "$node_ns" get pods -o wide >&2
  echo "operator logs: kubectl -n $node_ns logs deploy/$node_release -c operator" >&2
}

step_dashboard_node() {
  step "dashboard (the operator Pod's sidecar, through kubectl port-forward)"
  local dir="$PACTO_E2E_STATE_DIR/dashboard" port="${PACTO_DASHBOARD_PORT:-3000}" pid
  mkdir -p "$dir"
  if [ -f "$dir/pid" ] && pid="$(cat "$dir/pid")" && grep -qa port-forward "/proc/$pid/cmdline" 2>/dev/null; then
    echo "dashboard already forwarded (pid $pid): $(cat "$dir/url")" >&2
    return
  fi
  setsid kubectl -n "$node_ns" port-forward --address 127.0.0.1 "deploy/$node_release" "$port:3000" \
    </dev/null >"$dir/log" 2>&1 &
  echo "$!" >"$dir/pid"
  echo "http://127.0.0.1:$port" >"$dir/url"
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
    sleep 0.2
  done
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null ||
    { echo "dashboard not reachable; log: $dir/log" >&2; tail -n 5 "$dir/log" >&2; return 1; }
  echo "dashboard: http://127.0.0.1:$port (served from the operator Pod; port-forward log $dir/log)" >&2
}
