#!/usr/bin/env bash
# `make up`: the local environment of the README demo, step by step, all on this machine.
#
#   1. control plane   etcd + kube-apiserver + kube-controller-manager (controlplane/cluster.sh)
#   2. CRDs            crds/*.yaml applied and Established
#   3. registry        anonymous + htpasswd OCI registries (registry.sh)
#   4. workloads       namespace pacto-demo: Deployment + Service `order-service` and two ready
#                      Pods at two netns "replicas" serving /health and /metrics; Kubernetes'
#                      EndpointSlice controller writes the Service's EndpointSlice from them
#   5. Pactos          examples/k8s/pacto-inline-*.yaml and e2e/demo/status-showcase.yaml in
#                      pacto-demo
#   6. operator        target/debug/pacto-operator (built if missing) runs against the control
#                      plane; `kubectl get pac -A` then shows Compliant, Warning, NonCompliant
#   7. generated       the authoring loop: e2e/demo/invoice-batch (a 2.0 scheduled job) pushed
#                      to the anonymous registry, `pacto generate k8s` writes its CronJob +
#                      Pacto (contractRef oci://), applied unchanged, waited until the operator
#                      says Compliant;
#                      `pacto doc` writes its Markdown and HTML page set under target/e2e/doc/
#   7b. 2.0 Pacto      e2e/demo/order-service-v2 (2.0, no ports) pushed, Pacto order-service-v2
#                      on the same workload with interfaceBindings and a configBinding to the
#                      ConfigMap e2e/demo/order-service-config.yaml, waited until Compliant
#   8. dashboard       pacto-dashboard over the cluster (k8s source) and examples/, in the
#                      background (PID file target/e2e/dashboard/pid, log next to it),
#                      on 127.0.0.1:${PACTO_DASHBOARD_PORT:-3000}
#
# On the real node (the default when it can run: root, cgroups, Go; e2e/node/), steps 4, 6 and 8
# differ: order-service runs as 2 Pods of the locally built demo image; the operator and its
# dashboard sidecar run in a Pod, installed with `helm install charts/pacto-operator` and the
# product image (scripts/build-image.sh); the dashboard is reached through `kubectl
# port-forward`; the registries listen on the node's bridge gateway, where Pods reach them.
# PACTO_UP_NODE=0 forces the netns demo above; PACTO_UP_NODE=1 fails instead of falling back.
#
# Everything is written under target/e2e/ (the env file target/e2e/env exports KUBECONFIG).
# `make down` (down.sh) stops it all. Re-running up.sh is safe: every step is idempotent.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
export PACTO_E2E_STATE_DIR="${PACTO_E2E_STATE_DIR:-$target/e2e}"
demo_ns=pacto-demo

step() { echo "== $*" >&2; }
export PATH="$target/py-tools/bin:$PATH" # kubectl (charts/tests/tools.sh), python with yaml
# shellcheck source=e2e/up_node.sh
source "$here/up_node.sh"

step_control_plane() {
  step "control plane"
  local env_file
  # CRDs before the controller-manager: its garbage collector then knows them at once.
  env_file="$(PACTO_E2E_CRDS="$(echo "$root"/crds/*.yaml)" "$here/controlplane/cluster.sh" start | tail -n 1)"
  # shellcheck disable=SC1090
  source "$env_file"
}

step_crds() {
  step "CRDs"
  python3 "$here/kapply.py" --wait-established "$root"/crds/pacto.trianalab.io_*.yaml
}

step_registry() {
  step "registry"
  local env_file
  env_file="$("$here/registry.sh" start "$PACTO_E2E_STATE_DIR/registry" | tail -n 1)"
  # shellcheck disable=SC1090
  source "$env_file"
  export PACTO_E2E_REGISTRY PACTO_E2E_AUTH_REGISTRY
  # Plain HTTP off loopback (the node's gateway) only for these two registries.
  export PACTO_INSECURE_REGISTRIES="$PACTO_E2E_REGISTRY,$PACTO_E2E_AUTH_REGISTRY"
  sed 's/^/export /' "$env_file" >>"$PACTO_E2E_STATE_DIR/env"
  echo "export PACTO_INSECURE_REGISTRIES=$PACTO_INSECURE_REGISTRIES" >>"$PACTO_E2E_STATE_DIR/env"
  echo "registry: $PACTO_E2E_REGISTRY (anonymous), $PACTO_E2E_AUTH_REGISTRY (htpasswd)" >&2
}

step_workloads() {
  step "example workloads"
  local a1 a2
  a1="$("$here/netns.sh" up demo-r1)"
  a2="$("$here/netns.sh" up demo-r2)"
  for r in demo-r1 demo-r2; do
    "$here/netns.sh" serve "$r" 8080 >/dev/null
    "$here/netns.sh" serve "$r" 9090 >/dev/null
  done
  python3 "$here/kapply.py" /dev/stdin <<YAML
apiVersion: v1
kind: Namespace
metadata:
  name: $demo_ns
YAML
  python3 "$here/kapply.py" --namespace "$demo_ns" "$here/demo/order-service.yaml"
  # No scheduler or kubelet: the Pods are bound to a Node object that only has to exist, and
  # their status (running, ready, at a replica's address) is written here as a kubelet would.
  # The operator probes only EndpointSlices that Kubernetes' own controllers manage.
  python3 "$here/kapply.py" /dev/stdin <<YAML
apiVersion: v1
kind: Node
metadata:
  name: pacto-demo-node
YAML
  local i=0 a
  for a in "$a1" "$a2"; do
    i=$((i + 1))
    # The namespace's default ServiceAccount (needed to admit a Pod) appears a moment later.
    for _ in $(seq 1 50); do
      python3 "$here/kapply.py" --namespace "$demo_ns" /dev/stdin <<YAML && break
apiVersion: v1
kind: Pod
metadata:
  name: order-service-$i
  labels:
    app: order-service
spec:
  nodeName: pacto-demo-node
  automountServiceAccountToken: false
  containers:
    - name: order-service
      image: ghcr.io/acme/order-service:1.4.2
      ports:
        - containerPort: 8080
        - containerPort: 9090
YAML
      sleep 0.2
    done
    python3 "$here/kapply.py" --namespace "$demo_ns" --status /dev/stdin <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: order-service-$i
status:
  phase: Running
  podIP: "$a"
  podIPs:
    - ip: "$a"
  conditions:
    - type: PodScheduled
      status: "True"
    - type: Ready
      status: "True"
    - type: ContainersReady
      status: "True"
YAML
  done
  echo "order-service replicas: http://$a1:8080/health http://$a2:8080/health" >&2
}

step_pactos() {
  step "example Pactos"
  python3 "$here/kapply.py" --namespace "$demo_ns" "$root"/examples/k8s/pacto-inline-*.yaml \
    "$here/demo/status-showcase.yaml"
}

step_operator() {
  step "operator"
  local bin="$target/debug/pacto-operator" pidf="$PACTO_E2E_STATE_DIR/operator.pid"
  if [[ -f "$pidf" ]] && kill -0 "$(cat "$pidf")" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$(cat "$pidf")/cmdline" | grep -q pacto-operator; then
    echo "operator already running (pid $(cat "$pidf"))" >&2
    return 0
  fi
  (cd "$root" && cargo build -q -p pacto-operator --bin pacto-operator >&2) # no-op when fresh
  # Probes every 5 s, a threshold of 2 and a 30 s stabilization window so the demo settles
  # within seconds and a short outage still shows its observation window.
  KUBECONFIG="$PACTO_E2E_STATE_DIR/kubeconfig" setsid "$bin" --log-format pretty \
    --metrics-addr 127.0.0.1:9464 --probe-interval-seconds 5 --probe-threshold 2 \
    --stabilization-window 30s \
    >"$PACTO_E2E_STATE_DIR/operator.log" 2>&1 </dev/null &
  echo $! >"$pidf"
  echo "operator: pid $(cat "$pidf"), metrics http://127.0.0.1:9464/metrics, log $PACTO_E2E_STATE_DIR/operator.log" >&2
}

# generate -> apply -> Compliant, as a user runs it: the contract is pushed, the k8s plugin
# writes the manifests and the Pacto that points at the pushed bundle, kapply applies them.
step_generated() {
  step "generated manifests (pacto generate k8s) and docs (pacto doc)"
  local svc=invoice-batch version out="$PACTO_E2E_STATE_DIR/generated/invoice-batch"
  local doc="$PACTO_E2E_STATE_DIR/doc" ref status=""
  (cd "$root" && cargo build -q -p pacto-cli --bin pacto -p pacto-plugins --bin pacto-plugin-k8s >&2)
  export PATH="$target/debug:$PATH"
  version="$(pacto explain "$here/demo/$svc" --output-format json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["service"]["version"])')"
  ref="oci://$PACTO_E2E_REGISTRY/$svc:$version"
  pacto push "$ref" -p "$here/demo/$svc" >&2
  rm -rf "$out"
  # 2.0 contracts name no image (a cluster fact): the plugin is told which one to run.
  pacto generate k8s "$here/demo/$svc" -o "$out" --option namespace="$demo_ns" \
    --option contractRef="$ref" --option image="registry.local/$svc:$version" >&2
  python3 "$here/kapply.py" --namespace "$demo_ns" "$out"/*.yaml
  for _ in $(seq 1 150); do
    status="$(KUBECONFIG="$PACTO_E2E_STATE_DIR/kubeconfig" pacto status -n "$demo_ns" --output-format json 2>/dev/null |
      python3 -c 'import json,sys; print(next((i["contractStatus"] or "" for i in json.load(sys.stdin)["items"] if i["name"] == sys.argv[1]), ""))' "$svc" 2>/dev/null || true)"
    [ "$status" = Compliant ] && break
    sleep 0.2
  done
  echo "generated $svc: $(ls "$out" | tr '\n' ' ')-> Pacto $demo_ns/$svc is ${status:-without a status yet}" >&2
  mkdir -p "$doc"
  pacto doc "$root/examples/order-processor" -o "$doc/" >&2
  pacto doc "$root/examples/order-processor" --html "$doc/site" >&2
  echo "docs: $doc/order-processor.md, file://$doc/site/doc.html" >&2
}

# The 2.0 side of the demo beside the 1.x Pactos of order-service: the same workload checked
# through a 2.0 contract (no ports), its interfaces bound by the Pacto and its `app`
# configuration bound to a ConfigMap whose value the operator validates against the contract's
# schema (edit the ConfigMap to break it: the Pacto turns NonCompliant, with the JSON path).
step_v2() {
  step "2.0 Pacto with interface and configuration bindings"
  local dir="$here/demo/order-service-v2" ref status=""
  export PATH="$target/debug:$PATH"
  ref="$PACTO_E2E_REGISTRY/order-service:2.0.0"
  pacto push "oci://$ref" -p "$dir" >&2
  python3 "$here/kapply.py" --namespace "$demo_ns" "$here/demo/order-service-config.yaml"
  python3 "$here/kapply.py" --namespace "$demo_ns" /dev/stdin <<YAML
apiVersion: pacto.trianalab.io/v1alpha1
kind: Pacto
metadata:
  name: order-service-v2
spec:
  contractRef:
    oci: $ref
  target:
    serviceName: order-service
    workloadRef:
      kind: Deployment
      name: order-service
    interfaceBindings:
      - interface: api
        servicePort: 8080
    configBindings:
      - configuration: app
        kind: ConfigMap
        name: order-service-config
        key: config.yaml
        format: yaml
  checkIntervalSeconds: 60
YAML
  for _ in $(seq 1 150); do
    status="$(KUBECONFIG="$PACTO_E2E_STATE_DIR/kubeconfig" pacto status -n "$demo_ns" --output-format json 2>/dev/null |
      python3 -c 'import json,sys; print(next((i["contractStatus"] or "" for i in json.load(sys.stdin)["items"] if i["name"] == sys.argv[1]), ""))' order-service-v2 2>/dev/null || true)"
    [ "$status" = Compliant ] && break
    sleep 0.2
  done
  echo "2.0 Pacto $demo_ns/order-service-v2 (bindings: api -> 8080, app -> ConfigMap order-service-config) is ${status:-without a status yet}" >&2
}

step_dashboard() {
  step "dashboard"
  local dir="$PACTO_E2E_STATE_DIR/dashboard" port="${PACTO_DASHBOARD_PORT:-3000}" bin pid
  mkdir -p "$dir"
  if [ -f "$dir/pid" ] && pid="$(cat "$dir/pid")" && grep -qa pacto-dashboard "/proc/$pid/cmdline" 2>/dev/null; then
    echo "dashboard already running (pid $pid): $(cat "$dir/url")" >&2
    return
  fi
  cargo build -q -p pacto-dashboard --bin pacto-dashboard --manifest-path "$root/Cargo.toml"
  bin="$target/debug/pacto-dashboard"
  # setsid: it outlives this script; down.sh stops it by its PID.
  setsid "$bin" --host 127.0.0.1 --port "$port" "$root/examples" \
    </dev/null >"$dir/log" 2>&1 &
  echo "$!" >"$dir/pid"
  echo "http://127.0.0.1:$port" >"$dir/url"
  for _ in $(seq 1 150); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
    sleep 0.2
  done
  if ! curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; then
    echo "dashboard did not become ready; log: $dir/log" >&2
    tail -n 20 "$dir/log" >&2
    return 1
  fi
  echo "dashboard: http://127.0.0.1:$port (log $dir/log)" >&2
}

mode=netns
if [[ "${PACTO_UP_NODE:-auto}" != 0 ]]; then
  why="$(node_unavailable)"
  if [[ -z "$why" ]]; then
    mode=node
  elif [[ "${PACTO_UP_NODE:-auto}" == 1 ]]; then
    echo "make up: the real node cannot run here: $why" >&2
    exit 1
  else
    echo "make up: no real node ($why): Pods are simulated with network namespaces" >&2
  fi
fi
[[ "$mode" == netns ]] || node_control_plane_env
step_control_plane
step_crds
if [[ "$mode" == node ]] && ! step_node; then
  [[ "${PACTO_UP_NODE:-auto}" != 1 ]] || { echo "make up: the node did not start (log: $PACTO_E2E_STATE_DIR/node/)" >&2; exit 1; }
  echo "make up: the node did not start (logs in $PACTO_E2E_STATE_DIR/node/): falling back to network namespaces" >&2
  "$here/node/node.sh" stop >/dev/null 2>&1 || true
  mode=netns
fi
echo "$mode" >"$PACTO_E2E_STATE_DIR/up-mode"
[[ "$mode" == netns ]] || export PACTO_E2E_REGISTRY_HOST="$node_gateway"
step_registry
if [[ "$mode" == node ]]; then
  step_workloads_node
  step_pactos
  step_operator_node
else
  step_workloads
  step_pactos
  step_operator
fi
step_generated
step_v2
if [[ "$mode" == node ]]; then step_dashboard_node; else step_dashboard; fi

echo >&2
echo "Ready. Use it with:  source $PACTO_E2E_STATE_DIR/env" >&2
echo "$PACTO_E2E_STATE_DIR/env"
