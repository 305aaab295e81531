//! SBOM parsing (SPDX, CycloneDX) and the informational SBOM diff.

use super::*;
use crate::bundle::Bundle;
use serde_json::json;

fn spdx(packages: serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(&json!({"spdxVersion": "SPDX-2.3", "packages": packages}))
        .unwrap_or_default()
}

fn bundle_with(path: &str, data: Vec<u8>) -> Bundle {
    let mut b = Bundle::new();
    b.insert("pacto.yaml", b"x".to_vec());
    b.insert(path, data);
    b
}

#[test]
fn parses_spdx_and_strips_supplier_prefix() {
    let b = bundle_with(
        "sbom/app.spdx.json",
        spdx(
            json!([{"name": "openssl", "versionInfo": "3.0.1", "licenseConcluded": "Apache-2.0", "supplier": "Organization: OpenSSL Foundation"},
                    {"name": "zlib", "versionInfo": "1.3", "licenseConcluded": "NOASSERTION", "supplier": "NOASSERTION"}]),
        ),
    );
    let s = load_sbom(&b).expect("parses").expect("present");
    assert_eq!(s.format, SbomFormat::Spdx);
    assert_eq!(
        s.packages[0].supplier.as_deref(),
        Some("OpenSSL Foundation")
    );
    assert_eq!(s.packages[0].license.as_deref(), Some("Apache-2.0"));
    assert_eq!(s.packages[1].license, None);
}

#[test]
fn parses_cyclonedx_licenses_supplier_and_nested_components() {
    let doc = json!({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
        {"name": "lodash", "version": "4.17.21", "licenses": [{"license": {"id": "MIT"}}], "supplier": {"name": "OpenJS"},
         "components": [{"name": "inner", "version": "1"}]},
        {"name": "dual", "version": "2", "licenses": [{"expression": "MIT OR Apache-2.0"}]}
    ]});
    let b = bundle_with(
        "sbom/bom.cdx.json",
        serde_json::to_vec(&doc).unwrap_or_default(),
    );
    let s = load_sbom(&b).expect("parses").expect("present");
    assert_eq!(s.format, SbomFormat::Cyclonedx);
    let names: Vec<_> = s.packages.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["lodash", "inner", "dual"]);
    assert_eq!(s.packages[0].license.as_deref(), Some("MIT"));
    assert_eq!(s.packages[0].supplier.as_deref(), Some("OpenJS"));
    assert_eq!(s.packages[2].license.as_deref(), Some("MIT OR Apache-2.0"));
}

#[test]
fn only_top_level_sbom_files_count_and_bad_json_is_an_error() {
    let nested = bundle_with("sbom/old/app.spdx.json", spdx(json!([])));
    assert!(load_sbom(&nested).expect("ok").is_none());
    let bad = bundle_with("sbom/app.spdx.json", b"{not json".to_vec());
    let err = load_sbom(&bad).expect_err("invalid");
    assert!(err.to_string().contains("sbom/app.spdx.json"), "{err}");
    let wrong = bundle_with("sbom/app.spdx.json", b"{\"packages\": 3}".to_vec());
    assert!(load_sbom(&wrong).is_err());
}

fn sbom(pkgs: &[(&str, &str, &str)]) -> Sbom {
    Sbom {
        format: SbomFormat::Spdx,
        path: "sbom/x.spdx.json".into(),
        packages: pkgs
            .iter()
            .map(|(n, v, l)| SbomPackage {
                name: (*n).into(),
                version: Some((*v).into()),
                license: Some((*l).into()),
                supplier: None,
            })
            .collect(),
    }
}

#[test]
fn diff_reports_added_removed_and_field_changes() {
    let a = sbom(&[
        ("openssl", "3.0.1", "Apache-2.0"),
        ("left-pad", "1.0", "MIT"),
    ]);
    let b = sbom(&[
        ("openssl", "3.0.2", "Apache-2.0"),
        ("lodash", "4.17.21", "MIT"),
    ]);
    let d = diff_sbom(Some(&a), Some(&b)).expect("changes");
    let got: Vec<_> = d
        .changes
        .iter()
        .map(|c| {
            (
                c.package.as_str(),
                c.change_type,
                c.field,
                c.old_value.as_deref(),
                c.new_value.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "left-pad",
                ChangeType::Removed,
                "package",
                Some("left-pad@1.0"),
                None
            ),
            (
                "lodash",
                ChangeType::Added,
                "package",
                None,
                Some("lodash@4.17.21")
            ),
            (
                "openssl",
                ChangeType::Modified,
                "version",
                Some("3.0.1"),
                Some("3.0.2")
            ),
        ]
    );
    let v = serde_json::to_value(&d).expect("serialises");
    assert_eq!(v["oldFormat"], "spdx");
    assert_eq!(v["changes"][0]["type"], "removed");
    assert_eq!(v["changes"][2]["oldValue"], "3.0.1");
}

#[test]
fn diff_one_side_missing_and_no_changes() {
    let a = sbom(&[("openssl", "3.0.1", "Apache-2.0")]);
    assert_eq!(diff_sbom(Some(&a), Some(&a)), None);
    assert_eq!(diff_sbom(None, None), None);
    let d = diff_sbom(None, Some(&a)).expect("added");
    assert_eq!(d.old_format, None);
    assert_eq!(d.changes[0].change_type, ChangeType::Added);
}

#[test]
fn duplicate_names_match_by_version() {
    let a = sbom(&[("serde", "1.0.100", "MIT"), ("serde", "0.9.0", "MIT")]);
    let b = sbom(&[("serde", "1.0.100", "MIT"), ("serde", "0.9.1", "MIT")]);
    let d = diff_sbom(Some(&a), Some(&b)).expect("changes");
    assert_eq!(d.changes.len(), 2);
    assert_eq!(d.changes[0].old_value.as_deref(), Some("serde@0.9.0"));
    assert_eq!(d.changes[1].new_value.as_deref(), Some("serde@0.9.1"));
}
