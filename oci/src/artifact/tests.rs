use super::*;
use pacto_core::Bundle;

fn labels() -> BundleLabels {
    BundleLabels {
        name: "orders".into(),
        version: "1.2.0".into(),
        pacto_version: "1.0".into(),
    }
}

fn layer() -> Vec<u8> {
    let mut b = Bundle::new();
    b.insert("pacto.yaml", b"pactoVersion: \"1.0\"\n".to_vec());
    match b.to_tar_gz() {
        Ok(v) => v,
        Err(e) => panic!("pack: {e}"),
    }
}

fn prepared() -> PreparedArtifact {
    match prepare(layer(), &labels()) {
        Ok(p) => p,
        Err(e) => panic!("prepare: {e}"),
    }
}

fn manifest_json(config_mt: &str, layers: &[(&str, &str, i64)]) -> Vec<u8> {
    let layers: Vec<_> = layers
        .iter()
        .map(|(mt, d, s)| serde_json::json!({"mediaType": mt, "digest": d, "size": s}))
        .collect();
    let v = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST_MEDIA_TYPE,
        "config": {"mediaType": config_mt, "digest": sha256_digest(b"{}"), "size": 2},
        "layers": layers,
    });
    serde_json::to_vec(&v).unwrap_or_default()
}

#[test]
fn prepare_is_deterministic_and_shaped_like_the_reference() {
    let a = prepared();
    let b = prepared();
    assert_eq!(a.manifest_digest, b.manifest_digest);
    assert_eq!(a.manifest, b.manifest);

    let m: serde_json::Value = serde_json::from_slice(&a.manifest).unwrap_or_default();
    assert_eq!(m["mediaType"], OCI_MANIFEST_MEDIA_TYPE);
    assert_eq!(m["schemaVersion"], 2);
    assert_eq!(m["layers"].as_array().map(Vec::len), Some(1));
    assert_eq!(m["layers"][0]["mediaType"], LAYER_MEDIA_TYPE);
    assert_eq!(m["layers"][0]["digest"], a.layer_digest.as_str());
    assert_eq!(m["config"]["digest"], a.config_digest.as_str());
    assert!(m.get("annotations").is_none() && m.get("artifactType").is_none());
    assert_eq!(a.manifest_digest, sha256_digest(&a.manifest));

    let cfg: serde_json::Value = serde_json::from_slice(&a.config).unwrap_or_default();
    assert_eq!(cfg["config"]["Labels"][LABEL_NAME], "orders");
    assert_eq!(cfg["config"]["Labels"][LABEL_VERSION], "1.2.0");
    assert_eq!(cfg["config"]["Labels"][LABEL_PACTO_VERSION], "1.0");
    let diff_id = cfg["rootfs"]["diff_ids"][0].as_str().unwrap_or_default();
    assert!(diff_id.starts_with("sha256:") && diff_id != a.layer_digest);
    assert_eq!(BundleLabels::from_config_blob(&a.config), Some(labels()));
}

#[test]
fn the_prepared_manifest_passes_the_pull_checks() {
    let a = prepared();
    let checked = check_manifest(&a.manifest, 1 << 20).map_err(|e| e.to_string());
    let checked = match checked {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(checked.layer.digest, a.layer_digest);
    assert!(verify_blob("layer", &checked.layer, &a.layer).is_ok());
    assert!(verify_blob("config", &checked.config, &a.config).is_ok());
}

#[test]
fn labels_from_contract_text() {
    let l = BundleLabels::from_contract_text(
        "pactoVersion: \"1.0\"\nservice:\n  name: orders\n  version: 1.2.0\n",
    );
    assert_eq!(l.map_err(|e| e.to_string()), Ok(labels()));
    assert!(BundleLabels::from_contract_text("a: [").is_err());
}

#[test]
fn docker_config_media_type_is_accepted() {
    let d = sha256_digest(b"x");
    let m = manifest_json(DOCKER_CONFIG_MEDIA_TYPE, &[(LAYER_MEDIA_TYPE, &d, 1)]);
    assert!(check_manifest(&m, 10).is_ok());
    let mut v: serde_json::Value = serde_json::from_slice(&m).unwrap_or_default();
    v["mediaType"] = DOCKER_MANIFEST_MEDIA_TYPE.into();
    assert!(check_manifest(&serde_json::to_vec(&v).unwrap_or_default(), 10).is_ok());
}

#[test]
fn bad_manifests_are_rejected_with_reasons() {
    let d = sha256_digest(b"x");
    let one = [(LAYER_MEDIA_TYPE, d.as_str(), 1)];
    let two = [one[0], one[0]];
    let wrong_layer = [("application/vnd.oci.image.layer.v1.tar+gzip", d.as_str(), 1)];
    let bad_digest = [(LAYER_MEDIA_TYPE, "sha256:zz", 1)];
    let negative = [(LAYER_MEDIA_TYPE, d.as_str(), -1)];
    let huge = [(LAYER_MEDIA_TYPE, d.as_str(), 11)];
    let index = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": []
    }))
    .unwrap_or_default();
    let schema1 = br#"{"schemaVersion":1,"name":"x"}"#.to_vec();
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (manifest_json(OCI_CONFIG_MEDIA_TYPE, &[]), "no layers"),
        (manifest_json(OCI_CONFIG_MEDIA_TYPE, &two), "2 layers"),
        (
            manifest_json(OCI_CONFIG_MEDIA_TYPE, &wrong_layer),
            "unknown layer media type",
        ),
        (
            manifest_json("application/x-whatever", &one),
            "unsupported config media type",
        ),
        (
            manifest_json(OCI_CONFIG_MEDIA_TYPE, &bad_digest),
            "malformed",
        ),
        (manifest_json(OCI_CONFIG_MEDIA_TYPE, &negative), "negative"),
        (manifest_json(OCI_CONFIG_MEDIA_TYPE, &huge), "byte limit"),
        (index, "image index"),
        (schema1, "schemaVersion"),
        (b"not json".to_vec(), "not valid JSON"),
    ];
    for (bytes, needle) in cases {
        match check_manifest(&bytes, 10) {
            Ok(m) => panic!("expected {needle:?} error, got {m:?}"),
            Err(e) => assert!(e.to_string().contains(needle), "{e:?} lacks {needle:?}"),
        }
    }
}

#[test]
fn verify_blob_catches_size_and_digest_mismatch() {
    let d = OciDescriptor {
        media_type: LAYER_MEDIA_TYPE.into(),
        digest: sha256_digest(b"abc"),
        size: 3,
        ..OciDescriptor::default()
    };
    assert!(verify_blob("layer", &d, b"abc").is_ok());
    let e = verify_blob("layer", &d, b"abd")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("digest mismatch"), "{e}");
    let e = verify_blob("layer", &d, b"abcd")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("size mismatch"), "{e}");
}

#[test]
fn foreign_layers_with_urls_are_refused() {
    let d = sha256_digest(b"x");
    let mut m: serde_json::Value = serde_json::from_slice(&manifest_json(
        OCI_CONFIG_MEDIA_TYPE,
        &[(LAYER_MEDIA_TYPE, &d, 1)],
    ))
    .unwrap_or_default();
    assert!(check_manifest(&serde_json::to_vec(&m).unwrap_or_default(), 10).is_ok());
    m["layers"][0]["urls"] = serde_json::json!(["http://127.0.0.2:9/blob"]);
    let e = check_manifest(&serde_json::to_vec(&m).unwrap_or_default(), 10)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("layer") && e.contains("foreign layer"), "{e}");
    m["layers"][0]["urls"] = serde_json::json!([]);
    m["config"]["urls"] = serde_json::json!(["https://elsewhere.example.com/c"]);
    assert!(check_manifest(&serde_json::to_vec(&m).unwrap_or_default(), 10).is_err());
}
