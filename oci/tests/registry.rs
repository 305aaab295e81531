//! Against real registries: Debian `docker-registry` started by `e2e/registry.sh` (one
//! anonymous instance, one with htpasswd basic auth) in a private state directory per test.

mod support;

use std::time::{Duration, Instant};

use pacto_core::Bundle;
use pacto_core::oci_ref::OciRef;
use pacto_oci::artifact::{self, BundleLabels, DOCKER_CONFIG_MEDIA_TYPE, LAYER_MEDIA_TYPE};
use pacto_oci::{OciError, RegistryClient};
use support::{Registries, anon_client, client_with, oref};

fn bundle(name: &str, version: &str) -> Bundle {
    let mut b = Bundle::new();
    b.insert(
        "pacto.yaml",
        format!(
            "pactoVersion: \"1.0\"\nservice:\n  name: {name}\n  version: {version}\n\
             interfaces:\n  - name: api\n    type: http\n    port: 8080\n    contract: interfaces/openapi.yaml\n"
        )
        .into_bytes(),
    );
    b.insert(
        "interfaces/openapi.yaml",
        b"openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n".to_vec(),
    );
    b
}

macro_rules! ok {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => panic!("{} failed: {e}", stringify!($e)),
        }
    };
}

#[tokio::test]
async fn push_then_pull_gives_same_files_and_digest() {
    let Some(reg) = Registries::start("roundtrip") else {
        return;
    };
    let c = anon_client();
    let b = bundle("orders", "1.0.0");
    let r = oref(&format!("oci://{}/acme/orders:1.0.0", reg.anon));

    let t = Instant::now();
    let pushed = ok!(c.push(&r, &b).await);
    eprintln!("push: {:?}", t.elapsed());
    assert!(pushed.digest.starts_with("sha256:"));
    assert_eq!(pushed.reference, r);

    let t = Instant::now();
    let pulled = ok!(c.pull(&r).await);
    eprintln!("pull: {:?}", t.elapsed());
    assert_eq!(pulled.digest, pushed.digest);
    assert_eq!(pulled.bundle, b);
    assert_eq!(
        pulled.labels,
        Some(BundleLabels {
            name: "orders".into(),
            version: "1.0.0".into(),
            pacto_version: "1.0".into()
        })
    );
    assert_eq!(ok!(c.resolve_digest(&r).await), pushed.digest);

    // Pull by digest gives the same thing.
    let by_digest = ok!(r.pinned(&pushed.digest));
    let pulled = ok!(c.pull(&by_digest).await);
    assert_eq!(pulled.bundle, b);

    // Untagged push uses the service version as tag.
    let untagged = oref(&format!("oci://{}/acme/orders", reg.anon));
    let b2 = bundle("orders", "1.1.0");
    let pushed2 = ok!(c.push(&untagged, &b2).await);
    assert_eq!(pushed2.reference.tag.as_deref(), Some("1.1.0"));
    assert!(ok!(c.exists(&pushed2.reference).await));
}

#[tokio::test]
async fn pushing_the_same_bundle_twice_gives_the_same_digest() {
    let Some(reg) = Registries::start("twice") else {
        return;
    };
    let c = anon_client();
    let b = bundle("payments", "2.0.0");
    let r1 = oref(&format!("oci://{}/acme/payments:2.0.0", reg.anon));
    let r2 = oref(&format!("oci://{}/other/payments:copy", reg.anon));
    let d1 = ok!(c.push(&r1, &b).await).digest;
    let d2 = ok!(c.push(&r1, &b).await).digest;
    let d3 = ok!(c.push(&r2, &b).await).digest;
    assert_eq!(d1, d2);
    assert_eq!(d1, d3);
    assert_eq!(ok!(c.resolve_digest(&r2).await), d1);
}

#[tokio::test]
async fn htpasswd_registry_good_and_bad_password() {
    let Some(reg) = Registries::start("auth") else {
        return;
    };
    let r = oref(&format!("oci://{}/secure/svc:1.0.0", reg.auth));
    let b = bundle("svc", "1.0.0");

    let good = client_with(&[
        ("PACTO_REGISTRY_USERNAME", &reg.user),
        ("PACTO_REGISTRY_PASSWORD", &reg.pass),
    ]);
    let pushed = ok!(good.push(&r, &b).await);
    let pulled = ok!(good.pull(&r).await);
    assert_eq!(pulled.digest, pushed.digest);
    assert_eq!(pulled.bundle, b);

    let bad = client_with(&[
        ("PACTO_REGISTRY_USERNAME", &reg.user),
        ("PACTO_REGISTRY_PASSWORD", "wrong-password"),
    ]);
    for result in [
        bad.pull(&r).await.map(|_| ()),
        bad.push(&r, &b).await.map(|_| ()),
    ] {
        match result {
            Err(e @ OciError::Auth { .. }) => {
                let msg = e.to_string();
                assert!(
                    msg.contains("pacto login") && msg.contains(&reg.auth),
                    "{msg}"
                );
            }
            other => panic!("expected an authentication error, got {other:?}"),
        }
    }

    // No credentials at all: also an authentication error, not "not found".
    let anon = anon_client();
    assert!(matches!(anon.pull(&r).await, Err(OciError::Auth { .. })));

    // Credentials scoped to another host are not sent here.
    let scoped = client_with(&[
        ("PACTO_REGISTRY_USERNAME", &reg.user),
        ("PACTO_REGISTRY_PASSWORD", &reg.pass),
        ("PACTO_REGISTRY_HOST", "registry.example.com"),
    ]);
    assert!(matches!(scoped.pull(&r).await, Err(OciError::Auth { .. })));
}

#[tokio::test]
async fn stopped_registry_fails_fast_with_a_clear_error() {
    let Some(reg) = Registries::start("stopped") else {
        return;
    };
    let r = oref(&format!("oci://{}/acme/orders:1.0.0", reg.anon));
    reg.stop();
    let c = anon_client();
    let t = Instant::now();
    let res = tokio::time::timeout(Duration::from_secs(60), c.pull(&r)).await;
    eprintln!("stopped registry answered in {:?}", t.elapsed());
    match res {
        Ok(Err(e @ OciError::Unreachable { .. })) => {
            let msg = e.to_string();
            assert!(msg.contains(&r.to_string()), "{msg}");
        }
        Ok(other) => panic!("expected unreachable, got {other:?}"),
        Err(_) => panic!("pull hung for 60 s against a stopped registry"),
    }
}

#[tokio::test]
async fn missing_artifact_is_not_found() {
    let Some(reg) = Registries::start("missing") else {
        return;
    };
    let c = anon_client();
    let r = oref(&format!("oci://{}/acme/nothing:1.0.0", reg.anon));
    match c.pull(&r).await {
        Err(e @ OciError::NotFound { .. }) => {
            assert_eq!(e.to_string(), format!("artifact not found: {r}"));
        }
        other => panic!("expected not found, got {other:?}"),
    }
    assert!(!ok!(c.exists(&r).await));
}

#[tokio::test]
async fn range_resolution_against_real_tags() {
    let Some(reg) = Registries::start("semver") else {
        return;
    };
    let c = anon_client();
    let base = oref(&format!("oci://{}/acme/catalog", reg.anon));
    for tag in ["1.0.0", "2.0.0", "2.3.0", "3.0.0", "v3.1.0-rc.1", "latest"] {
        let r = ok!(base.with_tag(tag));
        ok!(c.push(&r, &bundle("catalog", "1.0.0")).await);
    }
    let mut tags = ok!(c.list_tags(&base).await);
    tags.sort();
    assert_eq!(
        tags,
        ["1.0.0", "2.0.0", "2.3.0", "3.0.0", "latest", "v3.1.0-rc.1"]
    );

    let cases: &[(Option<&str>, &str)] = &[
        (Some("^2.0.0"), "2.3.0"),
        (Some("~2.0"), "2.0.0"),
        (Some(">=1, <3"), "2.3.0"),
        (Some("1.x || 3.x"), "3.0.0"),
        (Some("*"), "3.0.0"),
        (None, "v3.1.0-rc.1"),
    ];
    for (range, want) in cases {
        let got = ok!(c.resolve_version(&base, *range).await);
        assert_eq!(got.tag.as_deref(), Some(*want), "range {range:?}");
    }
    match c.resolve_version(&base, Some("^9")).await {
        Err(e @ OciError::NoMatchingVersion { .. }) => {
            assert!(e.to_string().contains("^9"), "{e}");
        }
        other => panic!("expected no matching version, got {other:?}"),
    }
    assert!(matches!(
        c.resolve_version(&base, Some("^^")).await,
        Err(OciError::InvalidRange { .. })
    ));
    // An explicit tag is used as-is, range not checked.
    let explicit = ok!(base.with_tag("1.0.0"));
    assert_eq!(
        ok!(c.resolve_version(&explicit, Some("^2")).await),
        explicit
    );
}

/// Builds and pushes a hand-made manifest (config media type, layers) to `r`.
async fn push_crafted(
    c: &RegistryClient,
    r: &OciRef,
    config_media_type: &str,
    layers: &[(&[u8], &str)],
    lie_about_first_digest: bool,
) -> Result<String, OciError> {
    let config =
        br#"{"architecture":"","os":"","config":{"Labels":{"io.pacto.name":"x"}}}"#.to_vec();
    let config_digest = artifact::sha256_digest(&config);
    let mut blobs: Vec<(Vec<u8>, String)> = vec![(config.clone(), config_digest.clone())];
    let mut descs = Vec::new();
    for (i, (data, mt)) in layers.iter().enumerate() {
        let d = artifact::sha256_digest(data);
        blobs.push((data.to_vec(), d.clone()));
        let declared = if i == 0 && lie_about_first_digest {
            // A real blob with other content: the registry serves it, the digest won't match
            // the declared size/content pair.
            let other = b"some other blob".to_vec();
            let od = artifact::sha256_digest(&other);
            blobs.push((other.clone(), od.clone()));
            serde_json::json!({"mediaType": mt, "digest": od, "size": data.len()})
        } else {
            serde_json::json!({"mediaType": mt, "digest": d, "size": data.len()})
        };
        descs.push(declared);
    }
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": artifact::OCI_MANIFEST_MEDIA_TYPE,
        "config": {"mediaType": config_media_type, "digest": config_digest, "size": config.len()},
        "layers": descs,
    });
    let manifest = serde_json::to_vec(&manifest).unwrap_or_default();
    let refs: Vec<(&Vec<u8>, &String)> = blobs.iter().map(|(d, g)| (d, g)).collect();
    c.push_raw(r, &refs, &manifest, artifact::OCI_MANIFEST_MEDIA_TYPE)
        .await
}

/// A gzip tar with one regular entry whose raw name is `name` (bypassing the tar crate's
/// path checks, as an attacker would).
fn tar_gz_with_entry(name: &str, kind: tar::EntryType, data: &[u8]) -> Vec<u8> {
    let mut header = tar::Header::new_old();
    {
        let raw = header.as_old_mut();
        raw.name[..name.len()].copy_from_slice(name.as_bytes());
    }
    header.set_entry_type(kind);
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    let mut tar_bytes = Vec::new();
    tar_bytes.extend_from_slice(header.as_bytes());
    tar_bytes.extend_from_slice(data);
    tar_bytes.resize(tar_bytes.len().div_ceil(512) * 512, 0);
    tar_bytes.extend_from_slice(&[0u8; 1024]);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = std::io::Write::write_all(&mut gz, &tar_bytes);
    gz.finish().unwrap_or_default()
}

/// (repository name, layers as (bytes, media type), lie about the first digest, expected text)
type HostileCase<'a> = (&'a str, Vec<(&'a [u8], &'a str)>, bool, &'a str);

#[tokio::test]
async fn docker_config_media_type_pulls_and_hostile_artifacts_are_refused() {
    let Some(reg) = Registries::start("hostile") else {
        return;
    };
    let c = anon_client();
    let good_layer = ok!(bundle("legacy", "0.9.0").to_tar_gz());

    // What the Go CLI pushes: Docker image config media type.
    let r = oref(&format!("oci://{}/legacy/svc:0.9.0", reg.anon));
    ok!(push_crafted(
        &c,
        &r,
        DOCKER_CONFIG_MEDIA_TYPE,
        &[(&good_layer, LAYER_MEDIA_TYPE)],
        false
    )
    .await);
    let pulled = ok!(c.pull(&r).await);
    assert_eq!(pulled.bundle, bundle("legacy", "0.9.0"));

    let traversal = tar_gz_with_entry("../escape.txt", tar::EntryType::Regular, b"x");
    let symlink = tar_gz_with_entry("pacto.yaml", tar::EntryType::Symlink, b"");
    let no_contract = tar_gz_with_entry("readme.md", tar::EntryType::Regular, b"hi");
    let oci_cfg = artifact::OCI_CONFIG_MEDIA_TYPE;
    let cases: Vec<HostileCase> = vec![
        (
            "twolayers",
            vec![
                (&good_layer, LAYER_MEDIA_TYPE),
                (&no_contract, LAYER_MEDIA_TYPE),
            ],
            false,
            "2 layers",
        ),
        ("nolayers", vec![], false, "no layers"),
        (
            "wrongtype",
            vec![(&good_layer, "application/vnd.oci.image.layer.v1.tar+gzip")],
            false,
            "unknown layer media type",
        ),
        (
            "traversal",
            vec![(&traversal, LAYER_MEDIA_TYPE)],
            false,
            "unsafe path",
        ),
        (
            "symlink",
            vec![(&symlink, LAYER_MEDIA_TYPE)],
            false,
            "symbolic links",
        ),
        (
            "nocontract",
            vec![(&no_contract, LAYER_MEDIA_TYPE)],
            false,
            "pacto.yaml",
        ),
        (
            "mismatch",
            vec![(&good_layer, LAYER_MEDIA_TYPE)],
            true,
            "mismatch",
        ),
    ];
    for (name, layers, lie, needle) in cases {
        let r = oref(&format!("oci://{}/hostile/{name}:1", reg.anon));
        ok!(push_crafted(&c, &r, oci_cfg, &layers, lie).await);
        match c.pull(&r).await {
            Ok(p) => panic!("{name}: hostile artifact was accepted: {:?}", p.bundle),
            Err(e) => {
                let msg = e.to_string();
                assert!(
                    msg.contains(needle) && msg.contains(&r.to_string()),
                    "{name}: {msg}"
                );
                assert!(
                    matches!(
                        e,
                        OciError::InvalidArtifact { .. } | OciError::Bundle { .. }
                    ),
                    "{name}: {e:?}"
                );
            }
        }
    }
}
