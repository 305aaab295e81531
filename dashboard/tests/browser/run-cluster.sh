#!/usr/bin/env bash
# Cluster browser test: starts the real local control plane (e2e/with-controlplane.sh, CRDs
# installed, own state dir, stopped on exit), then cluster.test.mjs applies Pactos in three
# namespaces, runs pacto-dashboard scoped to two of them plus a local dir, patches a status
# and checks the open pages change without reload. Screenshots in target/screenshots.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
target="${CARGO_TARGET_DIR:-$repo/target}"
if [ "${1:-}" != inner ]; then
  if ! command -v chromium >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >/dev/null
  fi
  (cd "$here" && { [ -d node_modules/playwright-core ] || npm install --no-audit --no-fund >/dev/null; })
  cargo build -p pacto-dashboard --bin pacto-dashboard --manifest-path "$repo/Cargo.toml"
  # A state dir of its own: never reuses (or stops) `make up`'s or another test's plane.
  export PACTO_E2E_STATE_DIR="$target/e2e-tests/dashboard-browser"
  exec "$repo/e2e/with-controlplane.sh" "$0" inner
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for d in "$repo"/examples/*/; do
  name="$(basename "$d")"; [ "$name" = k8s ] && continue
  cp -r "$d" "$work/$name"
done
DASHBOARD_BIN="$target/debug/pacto-dashboard" EXAMPLES="$repo/examples" LOCAL_DIR="$work" \
  SCREENSHOTS="$repo/target/screenshots" node "$here/cluster.test.mjs"
