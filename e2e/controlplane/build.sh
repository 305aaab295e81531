#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager (k8s.io/kubernetes) and etcd
# (go.etcd.io/etcd/server/v3) from the Go module proxy at the versions pinned in
# versions.env. Binaries are cached in target/e2e-bin/<k8s>_etcd-<etcd>/ and are
# rebuilt only when that directory lacks them (i.e. when a pin changes).
# Prints the binary directory on stdout (last line).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

target="${CARGO_TARGET_DIR:-$root/target}"
bin_dir="$target/e2e-bin/${K8S_VERSION}_etcd-${ETCD_VERSION}_r${BUILD_REVISION}"
build_root="$target/e2e-build"
binaries=(kube-apiserver kube-controller-manager etcd)

log() { echo "[e2e-build] $*" >&2; }

all_present() {
  local b
  for b in "${binaries[@]}"; do [[ -x "$bin_dir/$b" ]] || return 1; done
}

if all_present; then
  log "cached: $bin_dir"
  echo "$bin_dir"
  exit 0
fi

# The machine image keeps Go in /usr/local/go without always putting it on PATH.
command -v go >/dev/null || PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || { log "go not found on PATH or in /usr/local/go/bin (need Go >= 1.26)"; exit 1; }
export GOFLAGS="-trimpath -mod=mod"
export CGO_ENABLED=0
ldflags="-s -w"
mkdir -p "$bin_dir" "$build_root"
start=$SECONDS

# --- kube-apiserver + kube-controller-manager --------------------------------
k8s_dir="$build_root/k8s-$K8S_VERSION"
mkdir -p "$k8s_dir"
if [[ ! -x "$bin_dir/kube-apiserver" || ! -x "$bin_dir/kube-controller-manager" ]]; then
  log "fetching k8s.io/kubernetes@$K8S_VERSION"
  k8s_mod="$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  [[ -f "$k8s_mod" ]] || { log "could not download k8s.io/kubernetes@$K8S_VERSION"; exit 1; }
  # Staging modules are required at v0.0.0 and replaced by ./staging paths in
  # kubernetes' own go.mod; those replaces do not apply to us, so point every
  # staging module at its published tag (v1.X.Y -> v0.X.Y).
  staging_version="v0.${K8S_VERSION#v1.}"
  {
    echo "module pacto.local/e2e-build/k8s"
    echo
    echo "go 1.26"
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    echo "replace ("
    sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\1#p' "$k8s_mod" |
      while read -r m; do echo "	$m => $m $staging_version"; done
    echo ")"
  } >"$k8s_dir/go.mod"
  log "resolving dependencies"
  (cd "$k8s_dir" && go get "k8s.io/kubernetes/cmd/kube-apiserver@$K8S_VERSION" \
      "k8s.io/kubernetes/cmd/kube-controller-manager@$K8S_VERSION" >&2)
  log "building kube-apiserver and kube-controller-manager (slow on 2 cores)"
  # Without these the server reports v0.0.0-master, which kubectl and clients refuse to parse.
  minor="${K8S_VERSION#v1.}"
  minor="${minor%%.*}"
  k8s_ldflags="$ldflags"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    k8s_ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    k8s_ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  (cd "$k8s_dir" && go build -ldflags "$k8s_ldflags" -o "$bin_dir/" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager >&2)
fi

# --- etcd --------------------------------------------------------------------
etcd_dir="$build_root/etcd-$ETCD_VERSION"
mkdir -p "$etcd_dir"
if [[ ! -x "$bin_dir/etcd" ]]; then
  printf 'module pacto.local/e2e-build/etcd\n\ngo 1.26\n\nrequire go.etcd.io/etcd/server/v3 %s\n' \
    "$ETCD_VERSION" >"$etcd_dir/go.mod"
  log "resolving etcd $ETCD_VERSION"
  (cd "$etcd_dir" && go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" >&2)
  log "building etcd"
  (cd "$etcd_dir" && go build -ldflags "$ldflags" -o "$bin_dir/etcd" go.etcd.io/etcd/server/v3 >&2)
fi

all_present || { log "build finished but binaries are missing in $bin_dir"; exit 1; }
log "built in $((SECONDS - start)) s: $bin_dir"
echo "$bin_dir"
