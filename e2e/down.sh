#!/usr/bin/env bash
# `make down`: stops everything up.sh started (reverse order), by PID; idempotent.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
export PACTO_E2E_STATE_DIR="${PACTO_E2E_STATE_DIR:-$target/e2e}"
status=0
"$here/netns.sh" down demo-r1 || status=1
"$here/netns.sh" down demo-r2 || status=1
"$here/registry.sh" stop "$PACTO_E2E_STATE_DIR/registry" || status=1
"$here/controlplane/cluster.sh" stop || status=1
exit "$status"
