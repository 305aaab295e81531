#!/usr/bin/env bash
# Builds the node's binaries from the Go module proxy, the way e2e/controlplane/build.sh builds
# the apiserver: kubelet (k8s.io/kubernetes@KUBELET_VERSION), kube-scheduler
# (k8s.io/kubernetes@K8S_VERSION of the control plane) and crictl (sigs.k8s.io/cri-tools).
# Cached in target/e2e-bin/node-<versions>/; a binary is rebuilt only when that directory lacks it.
# Prints the binary directory on stdout (last line).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
# shellcheck source=../controlplane/versions.env
K8S_VERSION="$(sed -n 's/^K8S_VERSION=//p' "$here/../controlplane/versions.env")"

target="${CARGO_TARGET_DIR:-$root/target}"
bin_dir="$target/e2e-bin/node-${KUBELET_VERSION}_sched-${K8S_VERSION}_crictl-${CRICTL_VERSION}_r${NODE_BUILD_REVISION}"
build_root="$target/e2e-build"
binaries=(kubelet kube-scheduler crictl)

log() { echo "[e2e-node-build] $*" >&2; }

# --dir: print where the binaries are (or would be) without building anything.
if [[ "${1:-}" == --dir ]]; then
  echo "$bin_dir"
  exit 0
fi

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
export CGO_ENABLED=0
mkdir -p "$bin_dir" "$build_root"
start=$SECONDS

# k8s_build VERSION DIR-NAME CMD...: builds k8s.io/kubernetes/cmd/<CMD> at VERSION into $bin_dir.
k8s_build() {
  local version="$1" dir="$build_root/$2"
  shift 2
  mkdir -p "$dir"
  log "fetching k8s.io/kubernetes@$version"
  local k8s_mod
  k8s_mod="$(go mod download -json "k8s.io/kubernetes@$version" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  [[ -f "$k8s_mod" ]] || { log "could not download k8s.io/kubernetes@$version"; return 1; }
  # Staging modules are required at v0.0.0 and replaced by ./staging paths in kubernetes' own
  # go.mod; point every staging module at its published tag (v1.X.Y -> v0.X.Y).
  local staging_version="v0.${version#v1.}"
  {
    echo "module pacto.local/e2e-build/$(basename "$dir")"
    echo
    echo "go 1.26"
    echo
    echo "require k8s.io/kubernetes $version"
    echo
    echo "replace ("
    sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\1#p' "$k8s_mod" |
      while read -r m; do echo "	$m => $m $staging_version"; done
    echo ")"
  } >"$dir/go.mod"
  local pkgs=() c
  for c in "$@"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
  log "resolving dependencies"
  (cd "$dir" && go get "${pkgs[@]/%/@$version}" >&2)
  log "building $* $version (slow on 2 cores)"
  local minor="${version#v1.}" ldflags="-s -w" pkg
  minor="${minor%%.*}"
  # Without these the binaries report v0.0.0-master, which the apiserver and clients cannot parse.
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  (cd "$dir" && nice -n 10 go build -ldflags "$ldflags" -o "$bin_dir/" "${pkgs[@]}" >&2)
}

[[ -x "$bin_dir/kubelet" ]] || k8s_build "$KUBELET_VERSION" "node-k8s-$KUBELET_VERSION" kubelet
[[ -x "$bin_dir/kube-scheduler" ]] || k8s_build "$K8S_VERSION" "node-k8s-$K8S_VERSION" kube-scheduler

if [[ ! -x "$bin_dir/crictl" ]]; then
  dir="$build_root/node-cri-tools-$CRICTL_VERSION"
  mkdir -p "$dir"
  printf 'module pacto.local/e2e-build/cri-tools\n\ngo 1.26\n\nrequire sigs.k8s.io/cri-tools %s\n' \
    "$CRICTL_VERSION" >"$dir/go.mod"
  log "resolving crictl $CRICTL_VERSION"
  (cd "$dir" && go get "sigs.k8s.io/cri-tools/cmd/crictl@$CRICTL_VERSION" >&2)
  log "building crictl"
  (cd "$dir" && nice -n 10 go build -ldflags "-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=$CRICTL_VERSION" \
    -o "$bin_dir/crictl" sigs.k8s.io/cri-tools/cmd/crictl >&2)
fi

all_present || { log "build finished but binaries are missing in $bin_dir"; exit 1; }
log "built in $((SECONDS - start)) s: $bin_dir"
echo "$bin_dir"
