//! Golden tests: the exact text, Markdown and JSON of validate, explain, diff, graph and
//! impact over the shipped examples and fixtures. Regenerate with `UPDATE_GOLDEN=1 cargo test -p pacto-cli`.

mod run_pacto;

use run_pacto::pacto_in;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs `pacto` from the repository root; returns (stdout, stderr, exit code).
pub fn pacto(args: &[&str]) -> (String, String, i32) {
    pacto_in(&repo(), args)
}

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {}; run with UPDATE_GOLDEN=1",
            path.display()
        )
    });
    assert_eq!(actual, expected, "output differs from {}", path.display());
}

fn check(name: &str, args: &[&str], want_code: i32) {
    for (fmt, ext) in [("text", "txt"), ("markdown", "md"), ("json", "json")] {
        let mut full = vec!["--output-format", fmt];
        full.extend_from_slice(args);
        let (stdout, stderr, code) = pacto(&full);
        assert_eq!(
            code, want_code,
            "{args:?} as {fmt}: exit {code}\n{stdout}\n{stderr}"
        );
        let shown = if stderr.is_empty() {
            stdout
        } else {
            format!("{stdout}--- stderr ---\n{stderr}")
        };
        golden(&format!("{name}.{ext}"), &shown);
        if fmt == "json" {
            let v: serde_json::Value =
                serde_json::from_str(&full_stdout(&full)).expect("valid JSON");
            assert!(v.is_object());
        }
    }
}

fn full_stdout(args: &[&str]) -> String {
    pacto(args).0
}

#[test]
fn validate_valid_example() {
    check(
        "validate-payments-api",
        &["validate", "examples/payments-api"],
        0,
    );
}

#[test]
fn validate_invalid_bundle() {
    check(
        "validate-invalid",
        &["validate", "cli/tests/fixtures/invalid-service"],
        1,
    );
}

#[test]
fn explain_examples() {
    check(
        "explain-payments-api",
        &["explain", "examples/payments-api"],
        0,
    );
    check(
        "explain-order-processor",
        &["explain", "examples/order-processor"],
        0,
    );
    check("explain-ledger-api", &["explain", "examples/ledger-api"], 0);
}

#[test]
fn diff_breaking_release() {
    check(
        "diff-product-catalog",
        &[
            "diff",
            "examples/product-catalog-v1",
            "examples/product-catalog-v2",
        ],
        1,
    );
}

#[test]
fn diff_identical_is_clean() {
    check(
        "diff-identical",
        &["diff", "examples/payments-api", "examples/payments-api"],
        0,
    );
}

#[test]
fn diff_1_2_against_its_2_0_migration() {
    // Only the version and the 1.x values the migration dropped (scaling, lifecycle);
    // the port, image and probe delay kept under the legacy extension are no change,
    // nor are http/openapi, contract/ref, runtime.health/capabilities, checks/claims.
    check(
        "diff-v1-to-v2",
        &[
            "diff",
            "cli/tests/fixtures/diff-v2/catalog-1.2",
            "cli/tests/fixtures/diff-v2/catalog-2.0",
        ],
        0,
    );
}

#[test]
fn diff_2_0_breaking_release() {
    check(
        "diff-v2-breaking",
        &[
            "diff",
            "cli/tests/fixtures/diff-v2/catalog-2.0",
            "cli/tests/fixtures/diff-v2/catalog-2.0-next",
        ],
        1,
    );
}

#[test]
fn graph_with_shared_nodes() {
    check("graph-payments-api", &["graph", "examples/payments-api"], 0);
}

#[test]
fn graph_with_cycle_conflict_and_references() {
    check(
        "graph-tangled",
        &["graph", "cli/tests/fixtures/graph/app", "--with-references"],
        0,
    );
}

#[test]
fn impact_of_a_breaking_major_bump() {
    check(
        "impact-inventory",
        &[
            "impact",
            "core/tests/fixtures/impact/inventory-1.4.0",
            "core/tests/fixtures/impact/inventory-2.0.0",
            "--consumers",
            "core/tests/fixtures/impact/fleet",
        ],
        1,
    );
}
