# Developer entry points. `make up` runs the local demo, `make test` the test suite.
.PHONY: test up down demo-cli fmt lint

test:
	cargo test --workspace --locked

demo-cli:
	scripts/demo-cli.sh

fmt:
	cargo fmt --all

lint:
	cargo clippy --workspace --all-targets -- -D warnings
