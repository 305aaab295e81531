#!/usr/bin/env bash
# Builds the product image from the Dockerfile with buildah, without pulling anything: the
# Dockerfile's final stage with `--build-arg BINARIES=prebuilt`, fed by scripts/build-static.sh
# run on the host (the same script the builder stage runs). Then checks the image and exports it.
#
#   scripts/build-image.sh [TAG]        (default pacto:dev)
#
# Checks: user 65532:65532, entrypoint /usr/local/bin/pacto, no shell in the image, each binary
# statically linked and answering `--version` inside the image's root filesystem (chroot), and
# the image size (printed; over PACTO_IMAGE_MAX_MB, default 150, fails). Output:
# $CARGO_TARGET_DIR/image/pacto.oci.tar (OCI archive) and image.json (config, size, digest).
# Storage is vfs under $CARGO_TARGET_DIR/image/storage (no overlay mount, no daemon).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
log() { echo "[build-image] $*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

tag="${1:-pacto:dev}"
target="${CARGO_TARGET_DIR:-$root/target}"
work="$target/image"
max_mb="${PACTO_IMAGE_MAX_MB:-150}"

if ! command -v buildah >/dev/null; then
  log "installing buildah (Debian)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends buildah >/dev/null
fi
bah() { buildah --storage-driver vfs --root "$work/storage" --runroot "$work/run" "$@"; }

# The build context: the binaries and the CA bundle the builder stage would copy.
ctx="$work/context"
rm -rf "$ctx" && mkdir -p "$ctx/bin"
if [[ -n "${PACTO_STATIC_BIN_DIR:-}" ]]; then
  cp "$PACTO_STATIC_BIN_DIR"/pacto "$PACTO_STATIC_BIN_DIR"/pacto-operator \
    "$PACTO_STATIC_BIN_DIR"/pacto-dashboard "$ctx/bin/"
else
  scripts/build-static.sh "$ctx/bin"
fi
cp /etc/ssl/certs/ca-certificates.crt "$ctx/"

start=$SECONDS
bah rmi -f "$tag" >/dev/null 2>&1 || true
bah bud --quiet --layers=false --build-arg BINARIES=prebuilt -f "$root/Dockerfile" -t "$tag" "$ctx" >/dev/null
log "built $tag in $((SECONDS - start)) s"

config="$(bah inspect --type image "$tag" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["OCIv1"]["config"]))')"
python3 - "$config" <<'PY' || fail "image config"
import json, sys
c = json.loads(sys.argv[1])
assert c.get("User") == "65532:65532", f"user {c.get('User')!r}, want 65532:65532"
assert c.get("Entrypoint") == ["/usr/local/bin/pacto"], f"entrypoint {c.get('Entrypoint')!r}"
env = dict(e.split("=", 1) for e in c.get("Env", []))
assert env.get("SSL_CERT_FILE") == "/etc/ssl/certs/ca-certificates.crt", env
PY

ctr="$(bah from --quiet --pull-never "$tag")"
cleanup() { bah rm "$ctr" >/dev/null 2>&1 || true; }
trap cleanup EXIT
mnt="$(bah mount "$ctr")"
for sh in bin/sh bin/bash bin/busybox usr/bin/sh; do
  [[ ! -e "$mnt/$sh" ]] || fail "the image has a shell: /$sh"
done
[[ -s "$mnt/etc/ssl/certs/ca-certificates.crt" ]] || fail "no CA bundle"
for b in pacto pacto-operator pacto-dashboard; do
  f="$mnt/usr/local/bin/$b"
  [[ -x "$f" ]] || fail "/usr/local/bin/$b missing"
  desc="$(file -b "$f")"
  [[ "$desc" == *"statically linked"* || "$desc" == *"static-pie linked"* ]] || fail "$b: $desc"
  # The entrypoint as the image runs it: inside the image's root filesystem, as user 65532.
  out="$(chroot --userspec=65532:65532 "$mnt" "/usr/local/bin/$b" --version)" || fail "$b --version"
  log "$b --version: $out"
done
bytes="$(du -sb "$mnt" | cut -f1)"
bah umount "$ctr" >/dev/null
mb=$((bytes / 1024 / 1024))
log "image root filesystem: $mb MiB (limit $max_mb MiB)"
(( mb <= max_mb )) || fail "image is $mb MiB, over $max_mb MiB"

archive="$work/pacto.oci.tar"
rm -f "$archive"
bah push --quiet "$tag" "oci-archive:$archive:$tag" >/dev/null
digest="$(bah inspect --type image "$tag" | python3 -c 'import json,sys; print(json.load(sys.stdin)["FromImageDigest"])')"
python3 - "$config" "$bytes" "$archive" "$digest" >"$work/image.json" <<'PY'
import json, os, sys
config, size, archive, digest = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
print(json.dumps({"config": json.loads(config), "rootfsBytes": size,
                  "archive": archive, "archiveBytes": os.path.getsize(archive),
                  "digest": digest}, indent=2))
PY
log "exported $archive ($(du -h "$archive" | cut -f1)); details in $work/image.json"
echo "$archive"
