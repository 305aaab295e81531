//! `--option helm=true`: `helm template` renders the chart to the same objects as the plain
//! manifests (documents compared as parsed YAML, in any order). Uses the helm binary that
//! e2e/helm/build.sh caches under `$CARGO_TARGET_DIR/e2e-bin/`; without it the test skips with
//! a banner (and fails under PACTO_E2E_REQUIRE=1).

mod support;

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;
use support::*;

fn helm() -> Option<PathBuf> {
    let bins = pacto_e2e_support::target_dir().join("e2e-bin");
    let found = std::fs::read_dir(&bins)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("helm"))
        .filter(|p| p.is_file())
        .max();
    if found.is_none() {
        pacto_e2e_support::skip_or_fail(&format!(
            "no helm under {} (run e2e/helm/build.sh)",
            bins.display()
        ));
    }
    found
}

fn sorted(mut docs: Vec<Value>) -> Vec<String> {
    let mut out: Vec<String> = docs.drain(..).map(|d| d.to_string()).collect();
    out.sort();
    out
}

#[test]
fn helm_template_renders_the_plain_manifests() {
    let Some(helm) = helm() else { return };
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("payments-api", &[("namespace", "shop")]),
        ("payments-api", &[]),
        ("postgresql", &[]),
        ("product-catalog-v1", &[("namespace", "catalog")]),
        ("report-generator", &[]),
        ("orders-v2", &[("image", "ghcr.io/acme/orders:3.0.0")]),
        (
            "ledger-v2",
            &[("image", "ghcr.io/acme/ledger:1.0.0"), ("replicas", "3")],
        ),
    ];
    for (name, options) in cases {
        let dir = bundle(name);
        let plain = generate(&request(&dir, options));
        let mut with_helm = options.to_vec();
        with_helm.push(("helm", "true"));
        let chart = generate(&request(&dir, &with_helm));
        assert!(
            chart.files.iter().any(|f| f.path == "Chart.yaml"),
            "{name}: no Chart.yaml"
        );
        let tmp = tempfile::tempdir().expect("tempdir");
        write_files(&chart, tmp.path());
        let mut cmd = Command::new(&helm);
        cmd.args(["template", "release"]).arg(tmp.path());
        if let Some((_, ns)) = options.iter().find(|(k, _)| *k == "namespace") {
            cmd.args(["--namespace", ns]);
        }
        let out = cmd.output().expect("run helm");
        assert!(
            out.status.success(),
            "{name}: helm template failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let rendered = documents(&String::from_utf8_lossy(&out.stdout));
        let want: Vec<Value> = plain
            .files
            .iter()
            .flat_map(|f| documents(&f.content))
            .collect();
        assert_eq!(
            rendered.len(),
            want.len(),
            "{name} {options:?}: object count"
        );
        assert_eq!(sorted(rendered), sorted(want), "{name} {options:?}");
    }
}

#[test]
fn chart_values_drive_the_rendered_objects() {
    let Some(helm) = helm() else { return };
    let chart = generate(&request(&bundle("payments-api"), &[("helm", "true")]));
    let tmp = tempfile::tempdir().expect("tempdir");
    write_files(&chart, tmp.path());
    let out = Command::new(&helm)
        .args(["template", "r"])
        .arg(tmp.path())
        .args([
            "--set",
            "image=registry.local/pay:9",
            "--set",
            "maxReplicas=4",
        ])
        .output()
        .expect("run helm");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = documents(&String::from_utf8_lossy(&out.stdout));
    let kind = |k: &str| docs.iter().find(|d| d["kind"] == k).cloned().expect(k);
    assert_eq!(
        kind("Deployment")["spec"]["template"]["spec"]["containers"][0]["image"],
        "registry.local/pay:9"
    );
    assert_eq!(kind("HorizontalPodAutoscaler")["spec"]["maxReplicas"], 4);
}
