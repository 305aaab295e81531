#!/usr/bin/env bash
# Runs the pacto CLI over the shipped examples: validate, explain, graph, diff, pack.
set -uo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet -p pacto-cli
pacto="${CARGO_TARGET_DIR:-target}/debug/pacto"
run() { echo; echo "\$ pacto $*"; "$pacto" "$@"; echo "(exit $?)"; }
for ex in payments-api user-service order-processor postgresql report-generator platform-policy; do
  run validate "examples/$ex"
done
run explain examples/payments-api
run graph examples/payments-api
run diff examples/product-catalog-v1 examples/product-catalog-v2
out="$(mktemp -d)"
run pack examples/payments-api -o "$out/payments-api.tar.gz"
rm -rf "$out"
