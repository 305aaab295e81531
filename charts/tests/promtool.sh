#!/usr/bin/env bash
# promtool from Debian's `prometheus` package, unpacked (not installed: no service, no web UI
# packages) into ${CARGO_TARGET_DIR:-target}/promtool/. Prints its path (last line).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="${CARGO_TARGET_DIR:-$root/target}/promtool"
if [[ ! -x "$dir/x/usr/bin/promtool" ]]; then
  mkdir -p "$dir"
  (cd "$dir" && rm -f prometheus_*.deb && { apt-get download prometheus >&2 || { apt-get update -qq && apt-get download prometheus >&2; }; })
  dpkg -x "$dir"/prometheus_*.deb "$dir/x"
fi
echo "$dir/x/usr/bin/promtool"
