#!/usr/bin/env bash
# Self-test of the e2e helpers that Rust tests do not cover: netns.sh (namespaces, veth, HTTP
# servers, runtime route changes, teardown) and kapply.py against a real control plane.
# Needs root (ip netns). Prints "N passed, N failed" and exits 1 on any failure.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
export PACTO_E2E_NETNS_DIR="$target/e2e-selftest/netns"
export PACTO_E2E_STATE_DIR="$target/e2e-selftest/cp"
passed=0 failed=0

check() { # DESCRIPTION COMMAND...
  local what="$1"
  shift
  if "$@" >/dev/null 2>&1; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $what" >&2; fi
}
body_is() { [[ "$(curl -s --max-time 2 "$1")" == "$2" ]]; }
code_is() { [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1")" == "$2" ]]; }

cleanup() {
  "$here/netns.sh" down st-a >/dev/null 2>&1
  "$here/netns.sh" down st-b >/dev/null 2>&1
  "$here/controlplane/cluster.sh" stop >/dev/null 2>&1
}
trap cleanup EXIT

a="$("$here/netns.sh" up st-a)"
b="$("$here/netns.sh" up st-b)"
check "namespaces get distinct addresses" test "$a" != "$b"
check "up is idempotent" test "$("$here/netns.sh" up st-a)" = "$a"
"$here/netns.sh" serve st-a 8080 >/dev/null
"$here/netns.sh" serve st-b 8080 >/dev/null
check "health answers 200 ok" body_is "http://$a:8080/health" "ok"
check "metrics answers exposition text" bash -c "curl -s http://$b:8080/metrics | grep -qx 'up 1'"
check "unknown path is 404" code_is "http://$a:8080/nope" 404
"$here/netns.sh" set st-b 8080 /health 503 down
check "route change applies without restart" code_is "http://$b:8080/health" 503
check "other replica unaffected" code_is "http://$a:8080/health" 200
check "address is not on the host's loopback" bash -c "! ip -4 addr show lo | grep -q '$a'"
"$here/netns.sh" down st-b
check "down removes the namespace" bash -c "! ip netns list | grep -qw pacto-st-b"
check "down removes the host veth" bash -c "! ip link show pv-st-b-h"
check "down stops the server" bash -c "! pgrep -f '[e]ndpoint_server.py $b'"

env_file="$("$here/controlplane/cluster.sh" start 2>/dev/null | tail -n 1)"
# shellcheck disable=SC1090
source "$env_file"
check "kapply applies the CRDs and waits" python3 "$here/kapply.py" --wait-established "$root"/crds/pacto.trianalab.io_*.yaml
check "kapply applies a namespaced example" python3 "$here/kapply.py" --namespace default "$root/examples/k8s/pacto-inline-reference.yaml"
check "start is idempotent" "$here/controlplane/cluster.sh" start
"$here/controlplane/cluster.sh" stop >/dev/null 2>&1
check "stop leaves no process" bash -c "! pgrep -f '$PACTO_E2E_STATE_DIR/[e]tcd-data'"
check "status fails once stopped" bash -c "! '$here/controlplane/cluster.sh' status"

echo "$passed passed, $failed failed"
((failed == 0))
