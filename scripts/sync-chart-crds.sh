#!/usr/bin/env bash
# Regenerates crds/*.yaml from the Rust types (crdgen) and copies them, byte for byte, into the
# chart (charts/pacto-operator/files/crds/), which templates/crds.yaml renders. The chart tests
# (charts/tests/chart_test.py) and pacto-crds' own tests fail while either copy is stale.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cargo run -q -p pacto-crds --bin crdgen
cp crds/*.yaml charts/pacto-operator/files/crds/
echo "synced crds/*.yaml into charts/pacto-operator/files/crds/"
