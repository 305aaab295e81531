#!/usr/bin/env bash
# Builds kubelet (k8s.io/kubernetes/cmd/kubelet) from the Go module proxy at the version pinned in
# versions.env, the same way e2e/controlplane/build.sh builds the apiserver. Cached in
# target/e2e-bin/node-<kubelet>_r<rev>/ and rebuilt only when that directory lacks it.
# Prints the binary directory on stdout (last line).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

target="${CARGO_TARGET_DIR:-$root/target}"
bin_dir="$target/e2e-bin/node-${KUBELET_VERSION}_r${NODE_BUILD_REVISION}"
build_root="$target/e2e-build"
binaries=(kubelet)

log() { echo "[e2e-node-build] $*" >&2; }

all_present() {
  local b
  for b in "${binaries[@]}"; do [[ -x "$bin_dir/$b" ]] || return 1; done
}

if all_present; then
  log "cached: $bin_dir"
  echo "$bin_dir"
  exit 0
fi

command -v go >/dev/null || PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || { log "go not found on PATH or in /usr/local/go/bin"; exit 1; }
export GOFLAGS="-trimpath -mod=mod"
# kubelet builds without cgo (upstream release binaries are static too).
export CGO_ENABLED=0
mkdir -p "$bin_dir" "$build_root"
start=$SECONDS

k8s_dir="$build_root/node-k8s-$KUBELET_VERSION"
mkdir -p "$k8s_dir"
log "fetching k8s.io/kubernetes@$KUBELET_VERSION"
k8s_mod="$(go mod download -json "k8s.io/kubernetes@$KUBELET_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
[[ -f "$k8s_mod" ]] || { log "could not download k8s.io/kubernetes@$KUBELET_VERSION"; exit 1; }
# Staging modules are required at v0.0.0 and replaced by ./staging paths in kubernetes' own
# go.mod; point every staging module at its published tag (v1.X.Y -> v0.X.Y).
staging_version="v0.${KUBELET_VERSION#v1.}"
{
  echo "module pacto.local/e2e-build/node"
  echo
  echo "go 1.26"
  echo
  echo "require k8s.io/kubernetes $KUBELET_VERSION"
  echo
  echo "replace ("
  sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\1#p' "$k8s_mod" |
    while read -r m; do echo "	$m => $m $staging_version"; done
  echo ")"
} >"$k8s_dir/go.mod"
log "resolving dependencies"
(cd "$k8s_dir" && go get "k8s.io/kubernetes/cmd/kubelet@$KUBELET_VERSION" >&2)
log "building kubelet (slow on 2 cores)"
minor="${KUBELET_VERSION#v1.}"
minor="${minor%%.*}"
ldflags="-s -w"
# Without these kubelet reports v0.0.0-master, and the apiserver's node version skew checks and
# clients cannot parse it.
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$KUBELET_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done
(cd "$k8s_dir" && nice -n 10 go build -ldflags "$ldflags" -o "$bin_dir/" k8s.io/kubernetes/cmd/kubelet >&2)

all_present || { log "build finished but binaries are missing in $bin_dir"; exit 1; }
log "built in $((SECONDS - start)) s: $bin_dir"
echo "$bin_dir"
