//! Golden stdin/stdout of `pacto-plugin-k8s` for the examples (1.x) and 2.0 fixtures: the same
//! request always gives byte-identical files. `PACTO_UPDATE_GOLDEN=1` rewrites the expectations
//! under tests/golden/k8s/.

mod support;

use std::path::Path;

use support::*;

/// (golden name, bundle, options)
type Case = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

const CASES: &[Case] = &[
    ("payments-api", "payments-api", &[]),
    ("order-processor", "order-processor", &[]),
    ("postgresql", "postgresql", &[("namespace", "data")]),
    ("product-catalog-v1", "product-catalog-v1", &[]),
    ("report-generator", "report-generator", &[]),
    (
        "user-service",
        "user-service",
        &[("contractRef", "oci://ghcr.io/acme/pacto/user-service:3.2.0")],
    ),
    (
        "orders-v2",
        "orders-v2",
        &[("image", "ghcr.io/acme/orders:3.0.0"), ("replicas", "2")],
    ),
    (
        "ledger-v2",
        "ledger-v2",
        &[
            ("image", "ghcr.io/acme/ledger:1.0.0"),
            ("port.ledger-api", "7000"),
        ],
    ),
    (
        "payments-api-helm",
        "payments-api",
        &[("helm", "true"), ("namespace", "shop")],
    ),
];

fn render(resp: &pacto_plugins::Response) -> String {
    let mut out = format!(
        "# message\n{}\n",
        resp.message.as_deref().unwrap_or_default()
    );
    for f in &resp.files {
        out.push_str(&format!("# file: {}\n{}", f.path, f.content));
    }
    out
}

#[test]
fn responses_match_the_golden_files() {
    let update = std::env::var("PACTO_UPDATE_GOLDEN").is_ok_and(|v| v == "1");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/k8s");
    let mut failures = Vec::new();
    for (name, bundle_name, options) in CASES {
        let req = request(&bundle(bundle_name), options);
        let first = render(&generate(&req));
        assert_eq!(first, render(&generate(&req)), "{name}: not deterministic");
        let path = dir.join(format!("{name}.txt"));
        if update {
            std::fs::create_dir_all(&dir).expect("golden dir");
            std::fs::write(&path, &first).expect("write golden");
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        if want != first {
            failures.push(format!("{name}: differs from {}:\n{first}", path.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n(PACTO_UPDATE_GOLDEN=1 rewrites them)",
        failures.join("\n")
    );
}

#[test]
fn the_2_0_fixtures_are_valid_contracts() {
    use pacto_core::bundle::{Bundle, Limits};
    use pacto_core::validate::{ValidateOptions, validate_bundle};
    for name in ["orders-v2", "ledger-v2"] {
        let b = Bundle::from_dir(&bundle(name), &Limits::default()).expect("bundle");
        let r = validate_bundle(&b, &ValidateOptions::default());
        assert!(r.is_valid(), "{name}: {:?}", r.errors);
    }
}

#[test]
fn every_generated_file_is_yaml_of_kubernetes_objects() {
    for (name, bundle_name, options) in CASES {
        let resp = generate(&request(&bundle(bundle_name), options));
        for f in resp
            .files
            .iter()
            .filter(|f| !f.path.starts_with("templates/"))
        {
            for d in documents(&f.content) {
                if f.path == "Chart.yaml" || f.path == "values.yaml" {
                    continue;
                }
                assert!(
                    d["apiVersion"].is_string() && d["kind"].is_string(),
                    "{name} {}: {d}",
                    f.path
                );
            }
        }
    }
}

#[test]
fn version_flag_and_protocol_errors() {
    let (ok, out, _) = run_raw("", &["--version"]);
    assert!(ok && out.starts_with("pacto-plugin-k8s "), "{out}");

    let mut req = request(&bundle("payments-api"), &[]);
    req["protocolVersion"] = "2".into();
    let (ok, _, err) = run_raw(&req.to_string(), &[]);
    assert!(!ok && err.contains("unsupported protocol version"), "{err}");

    let (ok, _, err) = run_raw("not json", &[]);
    assert!(!ok && err.contains("decode request"), "{err}");
}

#[test]
fn a_2_0_contract_without_an_image_option_is_a_clear_error() {
    let req = request(&bundle("orders-v2"), &[]);
    let (ok, out, err) = run_raw(&req.to_string(), &[]);
    assert!(!ok, "{out}");
    assert!(err.contains("--option image="), "{err}");
    assert!(out.is_empty(), "nothing on stdout after an error: {out}");
}

#[test]
fn option_mistakes_are_errors() {
    for (opts, want) in [
        (
            &[("replicas", "1")][..],
            "outside the contract's scaling 2..10",
        ),
        (&[("port.nope", "80")][..], "no interface \"nope\""),
        (&[("helm", "yes")][..], "option helm"),
        (&[("imgae", "x")][..], "unknown option \"imgae\""),
    ] {
        let req = request(&bundle("payments-api"), opts);
        let (ok, _, err) = run_raw(&req.to_string(), &[]);
        assert!(!ok && err.contains(want), "{opts:?}: {err}");
    }
}

#[test]
fn an_image_option_other_than_the_contract_image_is_used_and_flagged() {
    let req = request(
        &bundle("payments-api"),
        &[("image", "registry.local/pay:dev")],
    );
    let resp = generate(&req);
    let msg = resp.message.unwrap_or_default();
    assert!(msg.contains("ImageMatch check will fail"), "{msg}");
    let deployment = resp
        .files
        .iter()
        .find(|f| f.path == "deployment.yaml")
        .expect("deployment");
    assert!(
        deployment.content.contains("image: registry.local/pay:dev"),
        "{}",
        deployment.content
    );
}
