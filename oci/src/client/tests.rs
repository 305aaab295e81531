use super::*;
use pacto_core::bundle::Limits;
use pacto_core::oci_ref::parse;
use pacto_core::semver_range::Constraint;

fn r(s: &str) -> OciRef {
    match parse(s) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    }
}

fn tags(t: &[&str]) -> Vec<String> {
    t.iter().map(|s| s.to_string()).collect()
}

#[test]
fn pick_version_reports_why_nothing_matched() {
    let base = r("oci://r.io/svc");
    let c = Constraint::parse("^2.0.0").ok();
    let got = pick_version(
        &base,
        &tags(&["1.0.0", "2.0.0", "2.3.0", "3.0.0"]),
        c.as_ref(),
    );
    assert_eq!(
        got.ok().map(|x| x.to_string()).as_deref(),
        Some("r.io/svc:2.3.0")
    );

    let c = Constraint::parse(">=9").ok();
    let e = pick_version(&base, &tags(&["1.0.0"]), c.as_ref()).err();
    assert!(
        matches!(e, Some(OciError::NoMatchingVersion { .. })),
        "{e:?}"
    );
    let msg = e.map(|e| e.to_string()).unwrap_or_default();
    assert!(msg.contains(">=9") && msg.contains("r.io/svc"), "{msg}");

    let e = pick_version(&base, &tags(&["latest", "main"]), None).err();
    assert!(matches!(e, Some(OciError::NoSemverTags { .. })), "{e:?}");
}

#[test]
fn layer_cap_exceeds_the_uncompressed_budget() {
    let l = Limits::default();
    assert!(layer_cap(&l) > l.max_total_size);
}
