#!/usr/bin/env bash
# `make down`: stops everything up.sh started (reverse order), by PID; idempotent.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
export PACTO_E2E_STATE_DIR="${PACTO_E2E_STATE_DIR:-$target/e2e}"
status=0
# The dashboard, by its PID file, only if that PID still is the dashboard.
dash="$PACTO_E2E_STATE_DIR/dashboard"
if [ -f "$dash/pid" ]; then
  pid="$(cat "$dash/pid")"
  if grep -qa -e pacto-dashboard -e port-forward "/proc/$pid/cmdline" 2>/dev/null; then
    kill "$pid" || status=1
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$dash/pid"
fi
pidf="$PACTO_E2E_STATE_DIR/operator.pid"
if [[ -f "$pidf" ]]; then
  pid="$(cat "$pidf")"
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q pacto-operator; then
    kill -TERM "$pid" 2>/dev/null || status=1
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  fi
  rm -f "$pidf"
fi
if [[ "$(cat "$PACTO_E2E_STATE_DIR/up-mode" 2>/dev/null)" == node ]]; then
  # up_node.sh's names: node.sh stop finds its processes, mounts and bridge by them.
  export PACTO_E2E_NODE_NAME="${PACTO_E2E_NODE_NAME:-pacto-demo-node}"
  export PACTO_E2E_NODE_BRIDGE="${PACTO_E2E_NODE_BRIDGE:-pacto-up0}"
  export PACTO_E2E_NODE_SUBNET="${PACTO_E2E_NODE_SUBNET:-10.244.16.0/24}"
  "$here/node/node.sh" stop || status=1
fi
"$here/netns.sh" down demo-r1 || status=1
"$here/netns.sh" down demo-r2 || status=1
"$here/registry.sh" stop "$PACTO_E2E_STATE_DIR/registry" || status=1
"$here/controlplane/cluster.sh" stop || status=1
exit "$status"
