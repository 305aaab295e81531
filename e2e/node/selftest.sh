#!/usr/bin/env bash
# Smoke test of the local node: control plane (own state dir) -> node -> a Deployment of 2
# demo-service Pods and a Service -> Pods Running and Ready, the EndpointSlice controller lists 2
# ready addresses, the host reaches each Pod -> one Pod's health fails -> it goes NotReady and
# leaves the ready endpoints -> teardown -> nothing is left (processes, mounts, links, cgroups,
# iptables). Then kubelet and containerd are SIGKILLed under running Pods and `node.sh stop` must
# still leave nothing; then the same start again, owned by a child shell that is killed with
# SIGKILL: the watchers must tear everything down on their own.
#
#   e2e/node/selftest.sh            everything
#   e2e/node/selftest.sh --no-kill  skip the two kill -9 parts
#
# State: $PACTO_E2E_STATE_DIR (default /tmp/pacto-node-selftest). Prints timings and
# 'N passed, N failed'.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cp_dir="$here/../controlplane"
export PACTO_E2E_STATE_DIR="${PACTO_E2E_STATE_DIR:-/tmp/pacto-node-selftest}"
state="$PACTO_E2E_STATE_DIR"
ns=node-selftest
passed=0 failed=0

log() { echo "[node-selftest] $*" >&2; }
ok() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "not ok - $*"; }
check() { # DESCRIPTION COMMAND...
  local d="$1"
  shift
  if "$@"; then ok "$d"; else fail "$d"; fi
}
now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$(now)"; }

teardown() {
  "$here/node.sh" stop || true
  "$cp_dir/cluster.sh" stop || true
}
trap teardown EXIT

wait_until() { # SECONDS COMMAND...: poll every 0.5 s
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

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

# --- start -------------------------------------------------------------------------------------------
t0="$(now)"
PACTO_E2E_CONTROLLERS="$("$here/node.sh" controllers)" "$cp_dir/cluster.sh" start --watch-pid $$ >/dev/null
cp_s="$(since "$t0")"
# shellcheck disable=SC1091
source "$state/env"
t0="$(now)"
"$here/node.sh" start --watch-pid $$ >/dev/null
node_s="$(since "$t0")"
# shellcheck disable=SC1091
source "$state/node/env"
ok "control plane up in ${cp_s} s, node $PACTO_E2E_NODE_NAME Ready in ${node_s} s"

# --- workload ----------------------------------------------------------------------------------------
t0="$(now)"
kubectl apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Namespace
metadata:
  name: $ns
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: demo
  namespace: $ns
spec:
  replicas: 2
  selector:
    matchLabels: {app: demo}
  template:
    metadata:
      labels: {app: demo}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: demo
        image: $PACTO_E2E_NODE_DEMO_IMAGE
        imagePullPolicy: Never
        ports:
        - {name: http, containerPort: 8080}
        env:
        - {name: DEMO_METRICS, value: "demo_requests_total 42"}
        readinessProbe:
          httpGet: {path: /health, port: http}
          periodSeconds: 1
          failureThreshold: 1
          successThreshold: 1
---
apiVersion: v1
kind: Service
metadata:
  name: demo
  namespace: $ns
spec:
  selector: {app: demo}
  ports:
  - {name: http, port: 80, targetPort: http}
YAML

pods_ready() {
  [[ "$(kubectl -n "$ns" get pods -l app=demo \
    -o 'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' |
    grep -c True)" == 2 ]]
}
if wait_until 180 pods_ready; then
  ok "2 Pods Running and Ready in $(since "$t0") s after apply"
else
  fail "Pods not Ready within 180 s"
  kubectl -n "$ns" get pods -o wide >&2 || true
  kubectl -n "$ns" describe pods >&2 || true
  tail -n 40 "$state/node/kubelet.log" >&2 || true
  echo "0 passed, 1 failed" && exit 1
fi
kubectl -n "$ns" get pods -o wide

ready_endpoints() { # number of ready addresses the endpointslice controller wrote for svc demo
  kubectl -n "$ns" get endpointslices -l kubernetes.io/service-name=demo,endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io -o json |
    python3 -c 'import json,sys
print(sum(len(e.get("addresses", [])) for s in json.load(sys.stdin)["items"]
          for e in s.get("endpoints") or [] if (e.get("conditions") or {}).get("ready")))'
}
endpoints_are() { [[ "$(ready_endpoints)" == "$1" ]]; }
check "EndpointSlice of svc demo has 2 ready addresses (endpointslice controller)" wait_until 30 endpoints_are 2

mapfile -t pods < <(kubectl -n "$ns" get pods -l app=demo -o 'jsonpath={range .items[*]}{.metadata.name} {.status.podIP}{"\n"}{end}')
for p in "${pods[@]}"; do
  ip="${p#* }"
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://$ip:8080/health" || true)"
  check "host -> pod ${p% *} http://$ip:8080/health = 200 (got $code)" test "$code" = 200
done
ip0="${pods[0]#* }" pod0="${pods[0]% *}"
metrics="$(curl -s --max-time 3 "http://$ip0:8080/metrics" || true)"
check "GET /metrics serves DEMO_METRICS" grep -q '^demo_requests_total 42$' <<<"$metrics"
curl -s --max-time 3 "http://$ip0:8080/cgi-bin/set?metric=demo_requests_total&value=43" >/dev/null || true
metrics="$(curl -s --max-time 3 "http://$ip0:8080/metrics" || true)"
check "GET /cgi-bin/set changes a metric" grep -q '^demo_requests_total 43$' <<<"$metrics"

# --- one Pod's health fails --------------------------------------------------------------------------
t0="$(now)"
curl -s --max-time 3 "http://$ip0:8080/cgi-bin/set?health=fail" >/dev/null || true
code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://$ip0:8080/health" || true)"
check "after /cgi-bin/set?health=fail, /health answers 404 (got $code)" test "$code" = 404
pod_not_ready() {
  [[ "$(kubectl -n "$ns" get pod "$pod0" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}')" == False ]]
}
if wait_until 30 pod_not_ready; then ok "pod $pod0 NotReady $(since "$t0") s after its health failed"; else fail "pod $pod0 still Ready"; fi
check "EndpointSlice has 1 ready address" wait_until 30 endpoints_are 1
curl -s --max-time 3 "http://$ip0:8080/cgi-bin/set?health=ok" >/dev/null || true
check "pod $pod0 Ready again after /cgi-bin/set?health=ok" wait_until 30 pods_ready

# --- teardown ----------------------------------------------------------------------------------------
t0="$(now)"
"$here/node.sh" stop
"$cp_dir/cluster.sh" stop
ok "teardown in $(since "$t0") s"
if leftovers="$("$here/node.sh" check-clean)"; then ok "node.sh check-clean: nothing left"; else
  fail "node.sh check-clean: $leftovers"
fi
after="$(host_snapshot)"
if [[ "$before" == "$after" ]]; then ok "iptables, links and netns as before the test"; else
  fail "host changed: $(diff <(echo "$before") <(echo "$after") || true)"
fi

# --- kubelet and containerd killed with SIGKILL, then stop ----------------------------------------------
if [[ "${1:-}" != --no-kill ]]; then
  PACTO_E2E_CONTROLLERS="$("$here/node.sh" controllers)" "$cp_dir/cluster.sh" start --watch-pid $$ >/dev/null
  "$here/node.sh" start --watch-pid $$ >/dev/null
  kubectl create deployment kc --image=pacto.local/demo-service:1 --replicas=2 >/dev/null
  if kubectl wait --for=condition=Available deployment/kc --timeout=120s >/dev/null; then
    kill -KILL "$(cat "$state/node/kubelet.pid")" "$(cat "$state/node/containerd.pid")"
    sleep 1
    t0="$(now)"
    "$here/node.sh" stop
    "$cp_dir/cluster.sh" stop
    ok "kubelet and containerd SIGKILLed with 2 Pods running; stop took $(since "$t0") s"
    if leftovers="$("$here/node.sh" check-clean)"; then ok "check-clean after killed components: nothing left"; else
      fail "check-clean after killed components: $leftovers"
    fi
    after="$(host_snapshot)"
    if [[ "$before" == "$after" ]]; then ok "iptables, links and netns as before (killed components)"; else
      fail "host changed: $(diff <(echo "$before") <(echo "$after") || true)"
    fi
  else
    fail "deployment kc not Available"
    "$here/node.sh" stop
    "$cp_dir/cluster.sh" stop
  fi
fi

# --- kill -9 of the owner ----------------------------------------------------------------------------
if [[ "${1:-}" != --no-kill ]]; then
  # A child shell owns control plane and node, runs a Pod, then is killed with SIGKILL.
  bash -c '
    set -e
    PACTO_E2E_CONTROLLERS="$("$0/node.sh" controllers)" "$1/cluster.sh" start --watch-pid $$ >/dev/null
    "$0/node.sh" start --watch-pid $$ >/dev/null
    source "$PACTO_E2E_STATE_DIR/env"
    kubectl create deployment k9 --image=pacto.local/demo-service:1 >/dev/null
    kubectl wait --for=condition=Available deployment/k9 --timeout=120s >/dev/null
    echo running
    sleep 600' "$here" "$cp_dir" >"$state/kill9.out" 2>&1 &
  owner=$!
  if wait_until 240 grep -q running "$state/kill9.out"; then
    ok "kill -9 run: a Pod runs under owner $owner"
    kill -KILL "$owner"
    t0="$(now)"
    if wait_until 90 "$here/node.sh" check-clean >/dev/null; then
      ok "after kill -9 of the owner the watchers left nothing in $(since "$t0") s"
    else
      fail "after kill -9: $("$here/node.sh" check-clean)"
    fi
    check "control plane stopped by its watcher" wait_until 30 bash -c "! '$cp_dir/cluster.sh' status"
    after="$(host_snapshot)"
    if [[ "$before" == "$after" ]]; then ok "iptables, links and netns as before (kill -9)"; else
      fail "host changed: $(diff <(echo "$before") <(echo "$after") || true)"
    fi
  else
    fail "kill -9 run did not get a Pod running: $(tail -n 20 "$state/kill9.out")"
    kill -KILL "$owner" 2>/dev/null || true
  fi
fi

echo "node selftest: control plane ${cp_s} s, node start ${node_s} s"
echo "$passed passed, $failed failed"
((failed == 0))
