#!/usr/bin/env bash
# Installs the Debian packages the tests and the demo need (idempotent, quiet).
set -euo pipefail
pkgs=(docker-registry apache2-utils iproute2 openssl python3 curl chromium buildah)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Browser tests run playwright-core on node; any node/npm on PATH will do (Debian's otherwise).
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
