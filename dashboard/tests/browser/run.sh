#!/usr/bin/env bash
# Browser tests: builds pacto-dashboard, serves examples/ + tests/fixtures/ from a temp
# dir, runs browser.test.mjs in Debian's headless chromium, then base-path.test.mjs (which
# starts its own dashboards under --base-path over a second copy); screenshots land in
# target/screenshots (kept as CI artifacts).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
if ! command -v chromium >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >/dev/null
fi
(cd "$here" && { [ -d node_modules/playwright-core ] || npm install --no-audit --no-fund >/dev/null; })
cargo build -p pacto-dashboard --bin pacto-dashboard --manifest-path "$repo/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$repo/target}/debug/pacto-dashboard"
work="$(mktemp -d)"
prefixed="$(mktemp -d)"
pid=
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work" "$prefixed"' EXIT
for d in "$repo"/examples/*/ "$here"/../fixtures/*/; do
  name="$(basename "$d")"; [ "$name" = k8s ] && continue
  cp -r "$d" "$work/$name"
  cp -r "$d" "$prefixed/$name"
done
port="${PORT:-3917}"
PACTO_DASHBOARD_NO_K8S=1 "$bin" --port "$port" --no-cache "$work" >"$work.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
if ! curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; then cat "$work.log"; exit 1; fi
DASHBOARD_URL="http://127.0.0.1:$port" FIXTURE_DIR="$work" SCREENSHOTS="$repo/target/screenshots" \
  node "$here/browser.test.mjs"
DASHBOARD_BIN="$bin" FIXTURE_DIR="$prefixed" SCREENSHOTS="$repo/target/screenshots" \
  node "$here/base-path.test.mjs"
