use super::*;
use crate::bundle::Bundle;
use crate::parse::{contract_from_value, parse_yaml};

fn contract(yaml: &str) -> Contract {
    contract_from_value(&parse_yaml(yaml).expect("yaml")).expect("typed")
}

const V2: &str = r#"
pactoVersion: "2.0"
service: {name: orders, version: 2.0.0, owner: {team: shop}}
interfaces:
  - {name: api, type: openapi, ref: interfaces/api.yaml, visibility: public}
workload: service
state: {type: stateless, persistence: {scope: local, durability: ephemeral}, dataCriticality: low}
capabilities:
  - {type: health, binding: {type: http, interface: api, path: /healthz}}
  - {type: metrics}
dependencies:
  - {name: payments, ref: "oci://r.io/payments:1.0.0", required: true, compatibility: ^1.0.0}
  - {name: audit, ref: "oci://r.io/audit:2.0.0", required: false, compatibility: ^2.0.0}
metadata: {tier: gold}
"#;

fn bundle() -> Bundle {
    let mut b = Bundle::new();
    b.insert(
        "interfaces/api.yaml",
        b"openapi: 3.0.0\npaths:\n  /orders:\n    get: {summary: 'List | all <b>orders</b>'}\n"
            .to_vec(),
    );
    b
}

#[test]
fn sections_are_numbered_over_those_present_with_matching_anchors() {
    let md = render_markdown(&contract(V2), &bundle(), &DocInput::default());
    assert!(md.starts_with("# orders\n"), "{md}");
    // No configuration, policies, readiness, SBOM, lock or docs: those are skipped.
    for (n, title) in [
        (1, "Runtime & operations"),
        (2, "Architecture"),
        (3, "Interfaces"),
        (4, "Dependencies"),
    ] {
        let h = format!("{n}. {title}");
        assert!(md.contains(&format!("\n## {h}\n")), "{h} missing:\n{md}");
        assert!(md.contains(&format!("(#{})", anchor(&h))), "toc for {h}");
    }
    assert!(!md.contains("Configuration"), "{md}");
    assert!(md.contains("### 3.1. OpenAPI Interface: api"), "{md}");
    assert_eq!(anchor("1. Runtime & operations"), "1-runtime--operations");
}

#[test]
fn bundle_text_is_escaped_in_cells() {
    let md = render_markdown(&contract(V2), &bundle(), &DocInput::default());
    assert!(
        md.contains("| `GET` | `/orders` | List \\| all &lt;b&gt;orders&lt;/b&gt; |"),
        "{md}"
    );
    assert!(!md.contains("<b>"), "{md}");
}

#[test]
fn health_binding_and_unbound_metrics_are_shown() {
    let md = render_markdown(&contract(V2), &bundle(), &DocInput::default());
    assert!(md.contains("| Health | api /healthz |"), "{md}");
    assert!(
        md.contains("| Metrics | supported (not bound to an interface) |"),
        "{md}"
    );
}

#[test]
fn dependencies_show_locked_versions_and_optional_edges_are_dotted() {
    let lock = LockSummary::from_value(&serde_json::json!({
        "lockVersion": 3,
        "dependencies": [{"name": "payments", "source": "oci", "ref": "r.io/payments",
                          "version": "1.0.3", "digest": "sha256:abc"}]
    }));
    let md = render_markdown(&contract(V2), &bundle(), &DocInput { lock: Some(lock) });
    assert!(
        md.contains(
            "| payments | `oci://r.io/payments:1.0.0` | `^1.0.0` | yes | 1.0.3 | `sha256:abc` |"
        ),
        "{md}"
    );
    assert!(
        md.contains("| audit | `oci://r.io/audit:2.0.0` | `^2.0.0` | no | — | — |"),
        "{md}"
    );
    assert!(md.contains("svc_orders --> dep_payments"), "{md}");
    assert!(md.contains("svc_orders -.-> dep_audit"), "{md}");
    assert!(md.contains("## 5. Lockfile"), "{md}");
}

#[test]
fn hostile_names_cannot_break_the_diagram_or_headings() {
    let c = contract(
        "pactoVersion: \"2.0\"\nservice: {name: a, version: 1.0.0}\ndependencies:\n  - {name: 'x\"]-->evil[\"', ref: 'oci://r.io/x:1', required: true, compatibility: ^1.0.0}\n",
    );
    let md = render_markdown(&c, &Bundle::new(), &DocInput::default());
    let diagram = md.split("```mermaid").nth(1).expect("diagram");
    assert!(!diagram.contains("\"]-->evil"), "{diagram}");
    assert!(diagram.contains("dep_x_____evil__"), "{diagram}");
}

#[test]
fn bundled_docs_are_included_below_the_section_level() {
    let mut b = bundle();
    b.insert("docs/runbook.md", b"# Runbook\nRestart it.\n".to_vec());
    let md = render_markdown(&contract(V2), &b, &DocInput::default());
    assert!(md.contains("### 5.1. docs/runbook.md"), "{md}");
    assert!(md.contains("\n#### Runbook\nRestart it."), "{md}");
}
