# Developer entry points. `make up` runs the local demo, `make test` the test suite.
.PHONY: test up down demo-cli fmt lint

test:
	cargo test --workspace --locked

# The local environment (control plane, CRDs, registry, example workloads and Pactos); see e2e/README.md.
up:
	e2e/up.sh

down:
	e2e/down.sh

demo-cli:
	scripts/demo-cli.sh

fmt:
	cargo fmt --all

lint:
	cargo clippy --workspace --all-targets -- -D warnings
