#!/usr/bin/env bash
# The builder stage of the Dockerfile: static musl release binaries of `pacto`, `pacto-operator`
# and `pacto-dashboard`, with mimalloc as global allocator where the crate has the `mimalloc`
# feature, copied to OUT_DIR. scripts/check-dockerfile.sh runs this same script on the host.
# Crates not in the checkout yet are skipped with a message (the image needs all three).
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
    log "skipping $pkg: crate $dir/ is not in this checkout yet"
    continue
  fi
  args+=(-p "$pkg")
  bins+=("$bin")
  if grep -q '^mimalloc = \["dep:mimalloc"\]' "$dir/Cargo.toml"; then
    features+=("$pkg/mimalloc")
  else
    log "$pkg has no mimalloc feature: it keeps musl's allocator"
  fi
done
((${#args[@]})) || { log "no binary crate found"; exit 1; }
if ((${#features[@]})); then
  args+=(--features "$(IFS=,; echo "${features[*]}")")
fi

export CC_x86_64_unknown_linux_musl=musl-gcc
log "cargo build --release --locked --target $target ${args[*]}"
cargo build --release --locked --target "$target" "${args[@]}"

target_dir="${CARGO_TARGET_DIR:-$root/target}"
mkdir -p "$out"
for bin in "${bins[@]}"; do
  cp "$target_dir/$target/release/$bin" "$out/$bin"
  log "$out/$bin"
done
