# Developer entry points. `make up` runs the local demo, `make test` the test suite.
.PHONY: deps test test-rust test-chart test-browser test-node check-dockerfile image up down demo-cli fmt lint

test: deps test-rust test-chart test-browser test-node

# Debian packages the tests and the demo need (registry, chromium, iproute2, ...); idempotent.
deps:
	scripts/install-deps.sh

test-rust:
	cargo test --workspace --locked

# Dashboard in headless Debian chromium (playwright-core): local dirs, then live cluster state
# on a local control plane; screenshots in target/screenshots.
test-browser:
	dashboard/tests/browser/run.sh
	dashboard/tests/browser/run-cluster.sh

# Helm chart: lint/template/schema offline, then install/upgrade/RBAC/uninstall on a local control plane,
# then the operator/dashboard run with the chart's ServiceAccount tokens (operator e2e suites included).
test-chart:
	charts/tests/run.sh

# A real node (containerd + runc + kubelet + kube-scheduler; root; first build ~9 min, cached):
# Pods of a locally built demo image, then the chart installed like a user with the product
# image (static release binaries in $CARGO_TARGET_DIR/docker-out) and the operator driven
# through real Pods (e2e/node/scenarios.sh); then `make up`/`make down` on the node (e2e/up-test.sh).
# ~3.5 min once built.
test-node:
	e2e/node/test.sh

# Dockerfile: hadolint, the builder stage's static musl build on the host, static-linking check.
check-dockerfile:
	scripts/check-dockerfile.sh

# The product image with buildah (no daemon, nothing pulled): scripts/build-static.sh on the host,
# the Dockerfile's final stage over those binaries, checks, OCI archive in target/image/.
image:
	scripts/build-image.sh

# The local environment (control plane, CRDs, registry, example workloads and Pactos); see e2e/README.md.
up: deps
	e2e/up.sh

down:
	e2e/down.sh

demo-cli:
	scripts/demo-cli.sh

fmt:
	cargo fmt --all

lint:
	cargo clippy --workspace --all-targets -- -D warnings
