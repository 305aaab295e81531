#!/usr/bin/env bash
# Installs the Debian packages the node needs when one is missing (root only; no-op otherwise):
# containerd 1.6 + runc (the CRI runtime), containernetworking-plugins (bridge, host-local,
# loopback in /usr/lib/cni), busybox-static (the demo image's only binary), buildah (image
# builds, vfs storage), gcc (the pause binary, static), file, iptables, iproute2.
set -euo pipefail
missing=()
command -v containerd >/dev/null || missing+=(containerd)
command -v runc >/dev/null || missing+=(runc)
[[ -x /usr/lib/cni/bridge && -x /usr/lib/cni/host-local && -x /usr/lib/cni/loopback ]] ||
  missing+=(containernetworking-plugins)
[[ -x /bin/busybox ]] && file -b /bin/busybox 2>/dev/null | grep -q 'statically linked' ||
  missing+=(busybox-static)
command -v buildah >/dev/null || missing+=(buildah)
command -v gcc >/dev/null || missing+=(gcc libc6-dev)
command -v file >/dev/null || missing+=(file)
command -v iptables-save >/dev/null || missing+=(iptables)
command -v ip >/dev/null || missing+=(iproute2)
((${#missing[@]})) || exit 0
[[ $(id -u) -eq 0 ]] || { echo "e2e/node/deps.sh: missing ${missing[*]} and apt needs root" >&2; exit 3; }
echo "e2e/node/deps.sh: installing ${missing[*]}" >&2
apt-get update -qq
# No service is started: these machines have no systemd; on one that has, containerd's own
# service would use /run/containerd, never the node's socket.
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
