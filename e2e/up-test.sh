#!/usr/bin/env bash
# `make up` then `make down` as a newcomer runs them, in a state dir, node name, bridge, subnet and
# dashboard port of their own (so a running demo is left alone): on the real node every demo
# Pacto reaches the status the README promises, the operator runs as a Pod and its logs are
# readable, the dashboard answers through port-forward from inside the cluster; `make down`
# leaves nothing of the node behind. Prints timings and 'N passed, N failed'.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
export PACTO_E2E_STATE_DIR="${PACTO_UP_TEST_STATE_DIR:-/tmp/pacto-up-test}"
export PACTO_E2E_NODE_NAME=pacto-up-test PACTO_E2E_NODE_BRIDGE=pacto-uptest0 PACTO_E2E_NODE_SUBNET=10.244.24.0/24
PACTO_DASHBOARD_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
export PACTO_DASHBOARD_PORT PACTO_UP_NODE=1 # fail, not fall back: this tests the node path
export PATH="$target/py-tools/bin:$PATH"
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "not ok - $*"; }
trap '"$here/down.sh" >/dev/null 2>&1 || true' EXIT

"$here/down.sh" >/dev/null 2>&1 || true
start=$SECONDS
if "$here/up.sh" >"$PACTO_E2E_STATE_DIR.up.log" 2>&1; then
  ok "make up in $((SECONDS - start)) s (log $PACTO_E2E_STATE_DIR.up.log)"
else
  fail "make up failed: $(tail -n 5 "$PACTO_E2E_STATE_DIR.up.log" | tr '\n' ' ')"
  echo "$passed passed, $failed failed"
  exit 1
fi
# shellcheck disable=SC1091
source "$PACTO_E2E_STATE_DIR/env"
[[ "$(cat "$PACTO_E2E_STATE_DIR/up-mode")" == node ]] && ok "mode: real node" || fail "mode: $(cat "$PACTO_E2E_STATE_DIR/up-mode")"

# The statuses the demo shows (README walk-through); the probe threshold and window are short.
declare -A want=([order-service]=Compliant [order-service-v2]=Compliant [invoice-batch]=Compliant
  [order-service-canary]=Warning [order-service-live]=Compliant [inventory-service]=NonCompliant
  [report-generator]=NonCompliant [stripe-api]=Reference)
statuses() { kubectl -n pacto-demo get pactos.pacto.trianalab.io -o 'jsonpath={range .items[*]}{.metadata.name}={.status.contractStatus} {end}'; }
all_as_wanted() {
  local p
  for p in "${!want[@]}"; do [[ " $(statuses) " == *" $p=${want[$p]} "* ]] || return 1; done
}
for _ in $(seq 1 120); do all_as_wanted && break; sleep 0.5; done
all_as_wanted && ok "demo Pactos: $(statuses)" || fail "demo Pactos: $(statuses)"
kubectl get pactos.pacto.trianalab.io -A >&2 || true

pods="$(kubectl -n pacto-demo get pods -l app=order-service -o 'jsonpath={range .items[*]}{.status.phase} {end}')"
[[ "$pods" == "Running Running " ]] && ok "order-service: 2 Pods Running" || fail "order-service Pods: '$pods'"
log="$(kubectl -n pacto-system logs deploy/pacto-operator -c operator 2>&1 | tail -n 50)"
if [[ "$log" == *"status changed"* && "$log" != *$'\e['* ]]; then
  ok "operator Pod logs readable (kubectl logs, plain text)"
else
  fail "operator Pod logs: $(echo "$log" | tail -n 2)"
fi
if curl -fsS --max-time 5 "http://127.0.0.1:$PACTO_DASHBOARD_PORT/api/services" | grep -q order-service; then
  ok "dashboard from the operator Pod through port-forward :$PACTO_DASHBOARD_PORT lists order-service"
else
  fail "dashboard at 127.0.0.1:$PACTO_DASHBOARD_PORT"
fi

start=$SECONDS
if "$here/down.sh" >"$PACTO_E2E_STATE_DIR.down.log" 2>&1 && "$here/node/node.sh" check-clean >&2; then
  ok "make down in $((SECONDS - start)) s; node.sh check-clean: nothing left"
else
  fail "make down: $(tail -n 3 "$PACTO_E2E_STATE_DIR.down.log" | tr '\n' ' ')"
fi
trap - EXIT
echo "$passed passed, $failed failed"
((failed == 0))
