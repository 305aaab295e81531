#!/usr/bin/env bash
# The builder stage of the Dockerfile: static musl release binaries of `pacto`, `pacto-operator`
# and `pacto-dashboard`, each with its `mimalloc` feature (mimalloc as global allocator: musl's
# own allocator is slow under concurrency), copied to OUT_DIR. scripts/check-dockerfile.sh runs
# this same script on the host. A crate that is missing or lacks the feature is an error.
#
#   scripts/build-static.sh OUT_DIR
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: build-static.sh OUT_DIR}"
target=x86_64-unknown-linux-musl
cd "$root"

log() { echo "[build-static] $*" >&2; }

if command -v rustup >/dev/null; then
  rustup target add "$target" >&2
fi
# ring and mimalloc compile C for the musl target: the cc crate looks for musl-gcc.
command -v musl-gcc >/dev/null || { log "musl-gcc not found: install Debian's musl-tools"; exit 1; }

# package | crate dir | binary
crates=("pacto-cli cli pacto" "pacto-operator operator pacto-operator" "pacto-dashboard dashboard pacto-dashboard")
args=()
features=()
bins=()
for row in "${crates[@]}"; do
  read -r pkg dir bin <<<"$row"
  if [[ ! -f "$dir/Cargo.toml" ]]; then
    log "crate $dir/ ($pkg) is not in this checkout: the image needs all three binaries"
    exit 1
  fi
  args+=(-p "$pkg")
  bins+=("$bin")
  if ! grep -q '^mimalloc = \["dep:mimalloc"\]' "$dir/Cargo.toml"; then
    log "$pkg has no mimalloc feature (add it as in cli/Cargo.toml)"
    exit 1
  fi
  features+=("$pkg/mimalloc")
done
args+=(--features "$(IFS=,; echo "${features[*]}")")

export CC_x86_64_unknown_linux_musl=musl-gcc
log "cargo build --release --locked --target $target ${args[*]}"
cargo build --release --locked --target "$target" "${args[@]}"

target_dir="${CARGO_TARGET_DIR:-$root/target}"
mkdir -p "$out"
for bin in "${bins[@]}"; do
  cp "$target_dir/$target/release/$bin" "$out/$bin"
  log "$out/$bin"
done
