#!/usr/bin/env bash
# Local images of the node, built without any registry: buildah (vfs storage, FROM scratch) +
# static binaries, exported as OCI archives.
#
#   images.sh build            build (cached) and print the archive directory (last line)
#   images.sh import SOCKET    build (cached), then import every archive into containerd's k8s.io
#                              namespace through SOCKET
#
# Images:
#   pacto.local/pause:1          the pod sandbox image: a static C program (images/pause.c)
#   pacto.local/demo-service:1   busybox-static httpd serving /health, /ready, /metrics on 8080,
#                                state flipped at run time by GET /cgi-bin/set?health=fail
#                                (images/demo-entrypoint.sh documents it)
# Archives are cached in target/e2e-images/<hash of images/ and busybox's version>/; buildah's
# own storage is a temporary directory removed after the export.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
PAUSE_IMAGE=pacto.local/pause:1
DEMO_IMAGE=pacto.local/demo-service:1

log() { echo "[e2e-node-images] $*" >&2; }

need() { command -v "$1" >/dev/null || { log "$1 not found (apt-get install $2)"; exit 1; }; }

stamp() {
  { cat "$here"/images/* "$0"; dpkg-query -W -f '${Version}' busybox-static 2>/dev/null; go version; } |
    sha256sum | cut -c1-16
}

build() {
  "$here/deps.sh"
  need buildah buildah
  need gcc gcc
  need go golang
  [[ -x /bin/busybox ]] || { log "/bin/busybox not found (apt-get install busybox-static)"; exit 1; }
  file -b /bin/busybox 2>/dev/null | grep -q 'statically linked' ||
    { log "/bin/busybox is not static (apt-get install busybox-static)"; exit 1; }
  local out
  out="$target/e2e-images/$(stamp)"
  if [[ -f "$out/pause.tar" && -f "$out/demo-service.tar" ]]; then
    log "cached: $out"
    echo "$out"
    return 0
  fi
  local t0=$SECONDS work
  mkdir -p "$out"
  work="$(mktemp -d "$target/e2e-images/build.XXXXXX")"
  # shellcheck disable=SC2064 # expand now
  trap "rm -rf '$work'" EXIT
  local bh=(buildah --root "$work/storage" --runroot "$work/run" --storage-driver vfs)

  # --- pause -------------------------------------------------------------------------------------
  gcc -Os -static -s -o "$work/pause" "$here/images/pause.c"
  local c
  c="$("${bh[@]}" from scratch)"
  "${bh[@]}" copy --chmod 0755 "$c" "$work/pause" /pause >/dev/null
  "${bh[@]}" config --entrypoint '["/pause"]' --cmd '' --stop-signal SIGTERM \
    --os linux --arch amd64 "$c"
  "${bh[@]}" commit -q --format oci "$c" "$PAUSE_IMAGE" >/dev/null
  "${bh[@]}" push -q "$PAUSE_IMAGE" "oci-archive:$out/pause.tar.tmp:$PAUSE_IMAGE"
  mv "$out/pause.tar.tmp" "$out/pause.tar"

  # --- demo-service ------------------------------------------------------------------------------
  local rootfs="$work/demo-rootfs"
  mkdir -p "$rootfs/bin" "$rootfs/www" "$rootfs/tmp" "$rootfs/etc"
  cp /bin/busybox "$rootfs/bin/busybox"
  local app
  for app in sh httpd cat echo rm mkdir cp mv grep tr printf sleep kill wget ls; do
    ln -s busybox "$rootfs/bin/$app"
  done
  # apicall (Go, static): RBAC checks from inside a Pod; busybox's TLS cannot talk to Go's.
  mkdir -p "$work/apicall"
  cp "$here/images/apicall.go" "$work/apicall/main.go"
  printf 'module apicall\n\ngo 1.21\n' >"$work/apicall/go.mod"
  (cd "$work/apicall" && CGO_ENABLED=0 GOTOOLCHAIN=local go build -trimpath -ldflags '-s -w' -o "$rootfs/bin/apicall" .)
  install -m 0755 "$here/images/demo-entrypoint.sh" "$rootfs/entrypoint.sh"
  install -m 0755 "$here/images/demo-set.sh" "$rootfs/demo-set.sh"
  echo 'root:x:0:0:root:/:/bin/sh' >"$rootfs/etc/passwd"
  echo 'root:x:0:' >"$rootfs/etc/group"
  chmod 1777 "$rootfs/tmp"
  c="$("${bh[@]}" from scratch)"
  "${bh[@]}" copy "$c" "$rootfs/" / >/dev/null
  "${bh[@]}" config --entrypoint '["/entrypoint.sh"]' --cmd '' --port 8080 --env PORT=8080 \
    --env PATH=/bin --stop-signal SIGTERM --os linux --arch amd64 "$c"
  "${bh[@]}" commit -q --format oci "$c" "$DEMO_IMAGE" >/dev/null
  "${bh[@]}" push -q "$DEMO_IMAGE" "oci-archive:$out/demo-service.tar.tmp:$DEMO_IMAGE"
  mv "$out/demo-service.tar.tmp" "$out/demo-service.tar"

  "${bh[@]}" rm --all >/dev/null 2>&1 || true
  rm -rf "$work"
  trap - EXIT
  log "built in $((SECONDS - t0)) s: $out"
  echo "$out"
}

import() {
  local sock="${1:?import needs the containerd socket}" dir a
  dir="$(build | tail -n 1)"
  for a in pause demo-service; do
    # --no-unpack is not used: the CRI plugin needs the layers unpacked in its snapshotter.
    ctr -a "$sock" -n k8s.io images import --all-platforms --base-name "pacto.local/$a" "$dir/$a.tar" >&2
  done
  ctr -a "$sock" -n k8s.io images ls -q | grep '^pacto.local/' >&2
}

case "${1:-}" in
build) build ;;
import) import "${2:-}" ;;
*) echo "usage: $0 build | import SOCKET" >&2; exit 2 ;;
esac
