#!/usr/bin/env bash
# Runs every cargo-fuzz target for a bounded time (seconds, default 30 each).
# Needs the nightly toolchain (rustup) and cargo-fuzz (installed on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-30}"
if ! rustup toolchain list | grep -q nightly; then
  rustup toolchain install nightly --profile minimal
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked --quiet
fi
# Fuzz builds (sanitizers, release) live beside the normal target dir so CI can reuse them.
fuzz_target_dir="${CARGO_TARGET_DIR:-$PWD/target}/fuzz"
cd core
for target in $(cargo +nightly fuzz list); do
  echo "fuzzing $target for ${secs}s"
  # The writable corpus (fuzz/corpus/<target>, git-ignored) plus the committed seeds.
  corpora=("fuzz/corpus/$target")
  if [ -d "fuzz/seeds/$target" ]; then corpora+=("fuzz/seeds/$target"); fi
  mkdir -p "fuzz/corpus/$target"
  cargo +nightly fuzz run --target-dir "$fuzz_target_dir" "$target" "${corpora[@]}" -- \
    -max_total_time="$secs" -rss_limit_mb=2048 -max_len=65536
done
