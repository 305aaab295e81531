#!/usr/bin/env bash
# Runs a command with a control plane up and KUBECONFIG/PACTO_E2E_* exported, then stops it,
# whatever the command's outcome (trap). Test code that sees PACTO_E2E_KUBECONFIG uses this
# control plane instead of starting its own, so several test binaries share one.
#
#   e2e/with-controlplane.sh cargo test -p pacto-crds
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
export PACTO_E2E_STATE_DIR="${PACTO_E2E_STATE_DIR:-${CARGO_TARGET_DIR:-$root/target}/e2e-run}"
# The project's CRDs go in before the controller-manager, so garbage collection of Pacto-owned
# objects works at once.
# An empty PACTO_E2E_CRDS (set, but blank) starts without them, e.g. for the Helm chart tests.
PACTO_E2E_CRDS="${PACTO_E2E_CRDS-$(echo "$root"/crds/*.yaml)}"
export PACTO_E2E_CRDS
trap '"$here/controlplane/cluster.sh" stop' EXIT INT TERM
env_file="$("$here/controlplane/cluster.sh" start | tail -n 1)"
# shellcheck disable=SC1090
source "$env_file"
"$@"
