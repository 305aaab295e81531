//! The dashboard's oci and cache sources against a real registry (`e2e/registry.sh`):
//! versions pushed with the real `pacto push`, served by `pacto dashboard oci://…`, then
//! served from the digest-keyed disk cache once the registry is gone.

#[path = "dash/http.rs"]
mod http;
use pacto_e2e_support::pacto_cli as support;

use http::*;
use std::path::Path;
use std::process::Stdio;
use support::*;

fn by_kind<'a>(sources: &'a serde_json::Value, kind: &str) -> &'a serde_json::Value {
    sources["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} source in {sources}"))
}

#[test]
fn oci_versions_are_listed_diffed_and_served_offline_from_the_cache() {
    let Some(reg) = Registries::start("dashboard") else {
        return;
    };
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let pusher = Home::new();
    let repo = format!("oci://{}/acme/product-catalog", reg.anon);
    for dir in ["product-catalog-v1", "product-catalog-v2"] {
        let p = examples.join(dir).display().to_string();
        let o = pusher.run(&["push", &repo, "-p", &p]);
        assert!(o.status.success(), "{}", text(&o));
    }

    // A fresh HOME: empty cache, wrong credentials for the auth registry.
    let dash = Home::new();
    let secret = "not-the-password-s3cr3t";
    let port = free_port();
    let child = dash
        .cmd()
        .arg("dashboard")
        .arg(&repo)
        .arg(format!("oci://{}/acme/private", reg.auth))
        .arg(format!("oci://{}/acme/absent", reg.anon))
        .env("PACTO_DASHBOARD_PORT", port.to_string())
        .env("PACTO_DASHBOARD_NO_K8S", "1")
        .env("PACTO_REGISTRY_HOST", &reg.auth)
        .env("PACTO_REGISTRY_USERNAME", &reg.user)
        .env("PACTO_REGISTRY_PASSWORD", secret)
        .env_remove("PACTO_CACHE_DIR")
        .env_remove("KUBECONFIG")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut child = KillOnDrop(child);
    wait_ready(&mut child, port);

    let list = json(port, "/api/services");
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(names, ["product-catalog"], "{list}");
    let pc = &list[0];
    assert_eq!(pc["version"], "2.0.0", "{pc}");
    assert_eq!(pc["versionCount"], 2, "{pc}");
    assert!(
        pc["sources"].as_array().unwrap().contains(&"oci".into()),
        "{pc}"
    );

    let v = json(port, "/api/services/product-catalog/versions");
    let versions: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|x| x["version"].as_str())
        .collect();
    assert_eq!(versions, ["2.0.0", "1.3.0"], "{v}");
    assert_eq!(v[0]["classification"], "BREAKING", "{v}");
    let d = json(
        port,
        "/api/diff?from=product-catalog@1.3.0&to=product-catalog@2.0.0",
    );
    assert_eq!(d["classification"], "BREAKING", "{d}");

    // Registry errors are codes; neither the user nor the password is shown anywhere.
    let (_, sources_text) = request(port, "GET", "/api/sources").unwrap();
    let sources: serde_json::Value = serde_json::from_str(&sources_text).unwrap();
    let oci = by_kind(&sources, "oci");
    assert_eq!(oci["enabled"], true);
    let err = oci["error"].as_str().unwrap_or_default();
    assert!(err.contains("acme/private: auth_failed"), "{oci}");
    assert!(err.contains("acme/absent: not_found"), "{oci}");
    for page in ["/api/sources", "/api/services", "/", "/metrics"] {
        let (_, body) = request(port, "GET", page).unwrap();
        assert!(
            !body.contains(secret) && !body.contains(&reg.pass),
            "{page} leaks a credential"
        );
    }

    // Both versions were pulled (list + diff) into the digest-keyed cache.
    let blobs = dash.cache().join("pacto/blobs/sha256");
    let entries = std::fs::read_dir(&blobs)
        .unwrap_or_else(|e| panic!("{}: {e}", blobs.display()))
        .count();
    assert_eq!(entries, 2);

    // Offline: the registry is gone; a rescan finds it unreachable and the cache serves.
    reg.stop();
    let (code, body) = request(port, "POST", "/api/refresh").unwrap();
    assert_eq!(code, 200, "{body}");
    let sources = json(port, "/api/sources");
    let oci = by_kind(&sources, "oci");
    assert!(
        oci["error"]
            .as_str()
            .unwrap_or_default()
            .contains("acme/product-catalog: unreachable"),
        "{oci}"
    );
    let cache = by_kind(&sources, "cache");
    assert_eq!(cache["enabled"], true, "{cache}");
    assert!(
        cache["reason"]
            .as_str()
            .unwrap()
            .starts_with("2 cached bundle(s)"),
        "{cache}"
    );
    let list = json(port, "/api/services");
    assert_eq!(list[0]["name"], "product-catalog", "{list}");
    assert_eq!(list[0]["versionCount"], 2, "{list}");
    assert_eq!(list[0]["sources"], serde_json::json!(["cache"]), "{list}");
    let detail = json(port, "/api/services/product-catalog");
    assert_eq!(
        detail["sectionMeta"]["overview"]["source"], "cache",
        "{detail}"
    );
    let ss = json(port, "/api/services/product-catalog/sources");
    assert_eq!(ss["contractSource"], "cache", "{ss}");
    let d = json(
        port,
        "/api/diff?from=product-catalog@1.3.0&to=product-catalog@2.0.0",
    );
    assert_eq!(d["classification"], "BREAKING", "{d}");
}
