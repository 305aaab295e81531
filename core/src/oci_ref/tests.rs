use super::*;

const D256: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn d512() -> String {
    format!("sha512:{}", "ab".repeat(64))
}

fn ok(s: &str) -> OciRef {
    match parse(s) {
        Ok(r) => r,
        Err(e) => panic!("{s:?} must parse: {e}"),
    }
}

fn img(s: &str) -> OciRef {
    match parse_image_ref(s) {
        Ok(r) => r,
        Err(e) => panic!("image {s:?} must parse: {e}"),
    }
}

fn err(s: &str) -> OciRefError {
    match parse(s) {
        Ok(r) => panic!("{s:?} should fail, parsed as {r:?}"),
        Err(e) => e,
    }
}

/// (input, registry, repository, tag, digest)
type Shape<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, Option<&'a str>);

#[test]
fn contract_ref_shapes() {
    let d512 = d512();
    let at512 = format!("oci://ghcr.io/acme/svc@{d512}");
    let at256 = format!("oci://ghcr.io/acme/svc@{D256}");
    let tag_at = format!("oci://ghcr.io/acme/svc:1.0.0@{D256}");
    let port_at = format!("127.0.0.1:5000/a/b@{D256}");
    let cases: Vec<Shape> = vec![
        (
            "oci://ghcr.io/acme/svc:1.0.0",
            "ghcr.io",
            "acme/svc",
            Some("1.0.0"),
            None,
        ),
        ("oci://ghcr.io/acme/svc", "ghcr.io", "acme/svc", None, None),
        (
            "ghcr.io/acme/svc:1.0.0",
            "ghcr.io",
            "acme/svc",
            Some("1.0.0"),
            None,
        ),
        (
            "OCI://GHCR.io/acme/svc:V1",
            "ghcr.io",
            "acme/svc",
            Some("V1"),
            None,
        ),
        (
            "  oci://ghcr.io/acme/svc  ",
            "ghcr.io",
            "acme/svc",
            None,
            None,
        ),
        (
            "oci://localhost:5000/svc:2",
            "localhost:5000",
            "svc",
            Some("2"),
            None,
        ),
        ("localhost/svc", "localhost", "svc", None, None),
        (
            "oci://127.0.0.1:5000/team/sub/svc:v1.2.3",
            "127.0.0.1:5000",
            "team/sub/svc",
            Some("v1.2.3"),
            None,
        ),
        (
            "oci://[::1]:5000/svc:1",
            "[::1]:5000",
            "svc",
            Some("1"),
            None,
        ),
        ("[::1]/svc", "[::1]", "svc", None, None),
        (&at256, "ghcr.io", "acme/svc", None, Some(D256)),
        (&at512, "ghcr.io", "acme/svc", None, Some(&d512)),
        (&tag_at, "ghcr.io", "acme/svc", Some("1.0.0"), Some(D256)),
        (&port_at, "127.0.0.1:5000", "a/b", None, Some(D256)),
        ("oci://nginx", "docker.io", "library/nginx", None, None),
        (
            "oci://nginx:1.25",
            "docker.io",
            "library/nginx",
            Some("1.25"),
            None,
        ),
        ("oci://acme/x:1", "docker.io", "acme/x", Some("1"), None),
        (
            "oci://index.docker.io/acme/x",
            "docker.io",
            "acme/x",
            None,
            None,
        ),
        ("docker.io/nginx", "docker.io", "library/nginx", None, None),
        (
            "oci://registry.example.com:443/a.b/c_d/e__f/g--h/i-j",
            "registry.example.com:443",
            "a.b/c_d/e__f/g--h/i-j",
            None,
            None,
        ),
        ("oci://r.io/svc:_under", "r.io", "svc", Some("_under"), None),
    ];
    for (input, registry, repo, tag, digest) in cases {
        let r = ok(input);
        assert_eq!(r.registry, registry, "registry of {input:?}");
        assert_eq!(r.repository, repo, "repository of {input:?}");
        assert_eq!(r.tag.as_deref(), tag, "tag of {input:?}");
        assert_eq!(r.digest.as_deref(), digest, "digest of {input:?}");
    }
}

#[test]
fn image_ref_shapes() {
    let cases: &[(&str, &str)] = &[
        ("nginx", "docker.io/library/nginx"),
        ("nginx:1.25-alpine", "docker.io/library/nginx:1.25-alpine"),
        ("acme/api:2.0", "docker.io/acme/api:2.0"),
        ("index.docker.io/acme/api", "docker.io/acme/api"),
        ("ghcr.io/acme/api:1", "ghcr.io/acme/api:1"),
        ("localhost:5000/api", "localhost:5000/api"),
        ("quay.io/a/b/c:latest", "quay.io/a/b/c:latest"),
    ];
    for (input, want) in cases {
        assert_eq!(img(input).to_string(), *want, "image {input:?}");
    }
    let pinned = img(&format!("ghcr.io/acme/api:1@{D256}"));
    assert_eq!(pinned.digest.as_deref(), Some(D256));
    assert!(matches!(
        parse_image_ref("oci://ghcr.io/a/b"),
        Err(OciRefError::UnexpectedScheme { .. })
    ));
    assert!(matches!(
        parse_image_ref("docker://nginx"),
        Err(OciRefError::UnexpectedScheme { .. })
    ));
    assert!(matches!(parse_image_ref(""), Err(OciRefError::Empty)));
    assert!(matches!(
        parse_image_ref("Nginx"),
        Err(OciRefError::InvalidRepository { .. })
    ));
}

#[test]
fn display_is_canonical_and_round_trips() {
    for input in [
        "oci://ghcr.io/acme/svc:1.0.0",
        "oci://127.0.0.1:5000/a/b",
        "oci://nginx",
        "oci://[::1]:5000/svc:1",
    ] {
        let r = ok(input);
        let shown = r.to_string();
        assert!(!shown.starts_with("oci://"), "{shown}");
        assert_eq!(ok(&r.to_oci_string()), r, "round trip of {input}");
    }
    let r = ok(&format!("oci://GHCR.IO/acme/svc:1.0.0@{D256}"));
    assert_eq!(r.to_string(), format!("ghcr.io/acme/svc:1.0.0@{D256}"));
    assert_eq!(r.name(), "ghcr.io/acme/svc");
    assert_eq!(
        r.to_oci_string(),
        format!("oci://ghcr.io/acme/svc:1.0.0@{D256}")
    );
    assert_eq!(ok("oci://nginx").to_string(), "docker.io/library/nginx");
}

#[test]
fn explicit_tag_with_tag_and_pinned() {
    assert!(!ok("oci://ghcr.io/a/b").has_explicit_tag());
    assert!(ok("oci://ghcr.io/a/b:1").has_explicit_tag());
    assert!(ok(&format!("oci://ghcr.io/a/b@{D256}")).has_explicit_tag());
    // A port is not a tag.
    assert!(!ok("oci://localhost:5000/a").has_explicit_tag());

    let base = ok(&format!("oci://ghcr.io/a/b:1@{D256}"));
    let tagged = base.with_tag("2.0.0").ok();
    assert_eq!(
        tagged.map(|r| r.to_string()).as_deref(),
        Some("ghcr.io/a/b:2.0.0")
    );
    assert!(matches!(
        base.with_tag("-bad"),
        Err(OciRefError::InvalidTag { .. })
    ));
    let pinned = ok("oci://ghcr.io/a/b:1").pinned(D256).ok();
    assert_eq!(
        pinned.map(|r| r.to_string()),
        Some(format!("ghcr.io/a/b@{D256}"))
    );
    assert!(matches!(
        ok("oci://ghcr.io/a/b").pinned("sha256:abc"),
        Err(OciRefError::InvalidDigest { .. })
    ));
}

#[test]
fn loopback_and_host() {
    let cases: &[(&str, bool, &str)] = &[
        ("oci://127.0.0.1:5000/a", true, "127.0.0.1"),
        ("oci://127.9.8.7/a", true, "127.9.8.7"),
        ("oci://localhost:5001/a", true, "localhost"),
        ("oci://LOCALHOST/a", true, "localhost"),
        ("oci://[::1]:5000/a", true, "[::1]"),
        ("oci://128.0.0.1/a", false, "128.0.0.1"),
        ("oci://10.0.0.1:5000/a", false, "10.0.0.1"),
        ("oci://localhost.evil.com/a", false, "localhost.evil.com"),
        ("oci://127.0.0.1.nip.io/a", false, "127.0.0.1.nip.io"),
        ("oci://ghcr.io/a", false, "ghcr.io"),
        ("oci://[fe80::1]:5000/a", false, "[fe80::1]"),
    ];
    for (input, loopback, host) in cases {
        let r = ok(input);
        assert_eq!(r.is_loopback(), *loopback, "is_loopback({input})");
        assert_eq!(r.host(), *host, "host({input})");
    }
}

#[test]
fn tag_boundaries() {
    let max = "a".repeat(128);
    assert_eq!(
        ok(&format!("oci://r.io/a:{max}")).tag.as_deref(),
        Some(&*max)
    );
    let too_long = format!("oci://r.io/a:{}", "a".repeat(129));
    assert!(matches!(err(&too_long), OciRefError::InvalidTag { .. }));
}

#[test]
fn every_error() {
    let long_repo = format!("oci://r.io/{}", "a".repeat(260));
    let cases: Vec<(&str, &str)> = vec![
        ("", "empty OCI reference"),
        ("   ", "empty OCI reference"),
        ("oci://", "empty OCI reference"),
        ("nginx", "is not an OCI reference"),
        ("acme/svc:1.0.0", "is not an OCI reference"),
        ("../svc", "is not an OCI reference"),
        ("./svc.d/x", "is not an OCI reference"),
        ("/abs/path", "is not an OCI reference"),
        ("oci://ghcr.io", "missing repository"),
        ("oci://localhost:5000", "missing repository"),
        ("oci://ghcr.io/", "missing repository"),
        ("oci://ghcr.io/acme//svc", "empty path component"),
        ("oci://ghcr.io/Acme/svc", "must be lowercase"),
        ("oci://ghcr.io/acme/sv$c", "not a valid path component"),
        ("oci://ghcr.io/acme/-svc", "not a valid path component"),
        ("oci://ghcr.io/acme/svc-", "not a valid path component"),
        ("oci://ghcr.io/acme/s...c", "not a valid path component"),
        ("oci://ghcr.io/acme/s___c", "not a valid path component"),
        ("oci://ghcr.io/acme/svc:", "invalid tag \"\""),
        ("oci://ghcr.io/acme/svc:.x", "invalid tag \".x\""),
        ("oci://ghcr.io/acme/svc:-x", "invalid tag"),
        ("oci://ghcr.io/acme/svc:a/b", "invalid repository"),
        ("oci://ghcr.io/acme/svc:a+b", "invalid tag"),
        ("oci://ghcr.io/acme/svc@sha256:abc", "invalid digest"),
        (
            "oci://ghcr.io/acme/svc@md5:0123456789abcdef0123456789abcdef",
            "invalid digest",
        ),
        ("oci://ghcr.io/acme/svc@", "invalid digest"),
        (
            "oci://ghcr.io/acme/svc@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
            "invalid digest",
        ),
        ("oci://ghcr.io/acme/svc@sha512:abcd", "invalid digest"),
        ("oci://gh_cr.io/acme/svc", "invalid registry host"),
        ("oci://-ghcr.io/acme/svc", "invalid registry host"),
        ("oci://ghcr..io/acme/svc", "invalid registry host"),
        ("oci://ghcr.io:0/acme/svc", "port must be a number"),
        ("oci://ghcr.io:99999/acme/svc", "port must be a number"),
        ("oci://ghcr.io:80a/acme/svc", "port must be a number"),
        ("oci://:5000/acme/svc", "empty host name"),
        ("oci://[::1/acme/svc", "unterminated"),
        ("oci://[zz::1]:5000/acme/svc", "not a valid IPv6"),
        ("oci://[::1]x/acme/svc", "after ']'"),
        (&long_repo, "too long"),
    ];
    for (input, needle) in cases {
        let msg = err(input).to_string();
        assert!(
            msg.contains(needle),
            "{input:?}: error {msg:?} lacks {needle:?}"
        );
    }
}

#[test]
fn hostile_input_never_panics() {
    let junk = [
        "oci://@",
        "@",
        ":",
        "/",
        "oci:///",
        "oci://:/",
        "oci://[",
        "oci://[]",
        "oci://[]:/a",
        "a@b@c",
        "oci://é.io/a",
        "oci://r.io/é",
        "oci://r.io/a:é",
        "\u{0}",
        "oci://r.io/a@sha256:é",
    ];
    for s in junk {
        let _ = parse(s);
        let _ = parse_image_ref(s);
    }
}

#[test]
fn valid_digest_helper() {
    assert!(is_valid_digest(D256));
    assert!(is_valid_digest(&d512()));
    assert!(!is_valid_digest("sha256:"));
    assert!(!is_valid_digest(&format!("{D256}0")));
    assert!(!is_valid_digest("sha384:00"));
}
