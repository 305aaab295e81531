#!/usr/bin/env bash
# Builds `helm` (helm.sh/helm/v3) from the Go module proxy at the pinned version and caches it
# in ${CARGO_TARGET_DIR:-target}/e2e-bin/helm-<version>/helm. A second run is a no-op; changing
# HELM_VERSION (or BUILD_REVISION) builds into a new directory. Prints the binary path (last line).
set -euo pipefail

HELM_VERSION=v3.22.0
# Bump when this script changes how helm is built, so a stale cache is not reused.
BUILD_REVISION=2

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
bin_dir="$target/e2e-bin/helm-${HELM_VERSION}_r${BUILD_REVISION}"
build_dir="$target/e2e-build/helm-$HELM_VERSION"

log() { echo "[helm-build] $*" >&2; }

if [[ -x "$bin_dir/helm" ]]; then
  log "cached: $bin_dir/helm"
  echo "$bin_dir/helm"
  exit 0
fi

command -v go >/dev/null || PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || { log "go not found on PATH or in /usr/local/go/bin"; exit 1; }
export GOFLAGS="-trimpath -mod=mod"
export CGO_ENABLED=0
mkdir -p "$bin_dir" "$build_dir"
start=$SECONDS

printf 'module pacto.local/e2e-build/helm\n\ngo 1.26\n\nrequire helm.sh/helm/v3 %s\n' \
  "$HELM_VERSION" >"$build_dir/go.mod"
log "resolving helm.sh/helm/v3@$HELM_VERSION"
(cd "$build_dir" && go get "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2)
# Without the version -X flag `helm version` prints v3.x-dev-ish defaults; charts with a
# kubeVersion constraint and `helm version` output rely on it.
ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
ldflags+=" -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
# As helm's Makefile does: the default Kubernetes version of `helm template`/`lint` follows the
# client-go it was built with (else it is v1.20 and `kubeVersion: >=1.29` charts fail to render).
client_go="$(cd "$build_dir" && go list -f '{{.Version}}' -m k8s.io/client-go)" # v0.37.0
k8s_minor="$(echo "$client_go" | cut -d. -f2)"
for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
  ldflags+=" -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=$k8s_minor"
done
log "building helm $HELM_VERSION"
(cd "$build_dir" && go build -ldflags "$ldflags" -o "$bin_dir/helm.tmp" helm.sh/helm/v3/cmd/helm >&2)
mv "$bin_dir/helm.tmp" "$bin_dir/helm"
log "built in $((SECONDS - start)) s: $bin_dir/helm"
echo "$bin_dir/helm"
