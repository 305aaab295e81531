//! API tests over the local source (the repository's examples + hostile fixtures).

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use serde_json::Value;

fn find<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("{name} not listed in {list}"))
}

#[tokio::test]
async fn list_shows_every_bundle_merged_by_service() {
    let a = app().await;
    let r = get(&a.router, "/api/services").await;
    assert_eq!(r.status, StatusCode::OK);
    let list = r.json();
    let pay = find(&list, "payments-api");
    assert_eq!(pay["version"], "2.1.0");
    assert_eq!(pay["owner"], "payments");
    assert_eq!(pay["contractStatus"], "Reference");
    assert_eq!(pay["sources"], serde_json::json!(["local"]));
    // checkout and hostile depend on payments-api (required) → blast radius 2.
    assert_eq!(pay["blastRadius"], 2);
    let pc = find(&list, "product-catalog");
    assert_eq!(pc["versionCount"], 2);
    assert_eq!(pc["version"], "2.0.0");
    // An invalid contract is still listed, as Invalid, under its declared name.
    let bad = find(&list, "<script>window.__pwned='name'</script>");
    assert_eq!(bad["contractStatus"], "Invalid");
}

#[tokio::test]
async fn detail_has_every_section_and_says_where_it_came_from() {
    let a = app().await;
    let d = get(&a.router, "/api/services/payments-api").await.json();
    assert!(
        d["interfaces"][0]["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["path"] == "/payments")
    );
    assert!(
        d["configurations"][0]["properties"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "LOG_LEVEL" && p["value"] == "info")
    );
    assert_eq!(d["policies"][0]["name"], "platform");
    assert_eq!(d["dependencies"].as_array().unwrap().len(), 3);
    assert_eq!(d["dependencies"][0]["known"], true);
    assert!(
        d["dependents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["name"] == "checkout")
    );
    assert!(d["docs"][0]["html"].as_str().unwrap().contains("<h1>"));
    assert!(!d["sbom"]["packages"].as_array().unwrap().is_empty());
    let m = &d["sectionMeta"];
    for s in [
        "overview",
        "interfaces",
        "configurations",
        "policies",
        "dependencies",
        "dependents",
        "docs",
        "sbom",
        "versions",
    ] {
        assert_eq!(m[s]["state"], "present", "{s}: {}", m[s]);
    }
    assert_eq!(m["interfaces"]["source"], "local");
    assert_eq!(m["runtime"]["state"], "empty");
    assert_eq!(m["runtime"]["reason"], "the k8s source is not active");
    // gRPC and event interfaces.
    let u = get(&a.router, "/api/services/user-service").await.json();
    assert!(
        !u["interfaces"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["grpcServices"].as_array().unwrap().is_empty())
    );
    let o = get(&a.router, "/api/services/order-processor").await.json();
    assert!(o["interfaces"].as_array().unwrap().iter().any(|i| {
        i["channels"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "orders.created")
    }));
}

#[tokio::test]
async fn invalid_contract_detail_carries_its_errors() {
    let a = app().await;
    let name = "%3Cscript%3Ewindow.__pwned%3D%27name%27%3C%2Fscript%3E";
    let d = get(&a.router, &format!("/api/services/{name}")).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    let d = d.json();
    assert_eq!(d["contractStatus"], "Invalid");
    assert_eq!(d["validation"]["valid"], false);
    assert!(!d["validation"]["errors"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn versions_are_classified_and_diff_is_breaking() {
    let a = app().await;
    let v = get(&a.router, "/api/services/product-catalog/versions")
        .await
        .json();
    assert_eq!(v[0]["version"], "2.0.0");
    assert_eq!(v[0]["isCurrent"], true);
    assert_eq!(v[0]["previous"], "1.3.0");
    assert_eq!(v[0]["classification"], "BREAKING");
    assert_eq!(v[1]["classification"], Value::Null);
    let d = get(
        &a.router,
        "/api/diff?from=product-catalog@1.3.0&to=product-catalog@2.0.0",
    )
    .await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    let d = d.json();
    assert_eq!(d["classification"], "BREAKING");
    assert!(
        d["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["classification"] == "BREAKING")
    );
    // Cross-service diff by current version.
    let x = get(&a.router, "/api/diff?from=payments-api&to=checkout").await;
    assert_eq!(x.status, StatusCode::OK);
    let missing = get(
        &a.router,
        "/api/diff?from=product-catalog@9.9.9&to=product-catalog",
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let one = get(&a.router, "/api/services/product-catalog/versions/1.3.0")
        .await
        .json();
    assert_eq!(one["version"], "1.3.0");
    assert_eq!(one["currentVersion"], "2.0.0");
}

#[tokio::test]
async fn graph_has_dependency_reference_and_external_nodes() {
    let a = app().await;
    let g = get(&a.router, "/api/graph").await.json();
    let edges = g["edges"].as_array().unwrap();
    assert!(edges.iter().any(|e| e["from"] == "checkout"
        && e["to"] == "payments-api"
        && e["type"] == "dependency"
        && e["required"] == true));
    assert!(edges.iter().any(|e| e["from"] == "checkout"
        && e["to"] == "platform-policy"
        && e["type"] == "reference"));
    let nodes = g["nodes"].as_array().unwrap();
    let kind = |n: &str| {
        nodes
            .iter()
            .find(|x| x["id"] == n)
            .map(|x| x["kind"].clone())
    };
    assert_eq!(kind("fraud-check"), Some("external".into()));
    assert_eq!(kind("payments-api"), Some("unmonitored".into()));
    // Dependencies are laid out below their dependents.
    let y = |n: &str| {
        nodes.iter().find(|x| x["id"] == n).unwrap()["y"]
            .as_f64()
            .unwrap()
    };
    assert!(y("checkout") < y("payments-api") && y("payments-api") < y("postgresql"));
    let f = get(
        &a.router,
        "/api/services/postgresql/graph?depth=1&direction=dependents&layout=LR",
    )
    .await
    .json();
    let ids: Vec<&str> = f["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"payments-api") && !ids.contains(&"checkout"),
        "{ids:?}"
    );
    assert_eq!(f["direction"], "LR");
    let bad = get(&a.router, "/api/graph?depth=99").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        get(&a.router, "/api/graph?depth=x").await.status,
        StatusCode::BAD_REQUEST
    );
    // An empty depth (the graph page's "all") is no depth.
    assert_eq!(
        get(&a.router, "/api/graph?depth=").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn sources_say_which_are_active_and_why_not() {
    let a = app().await;
    let s = get(&a.router, "/api/sources").await.json();
    assert_eq!(s["ready"], true);
    let by = |k: &str| {
        s["sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["type"] == k)
            .unwrap()
            .clone()
    };
    assert_eq!(by("local")["enabled"], true);
    assert_eq!(by("k8s")["enabled"], false);
    assert_eq!(by("k8s")["reason"], "disabled");
    assert_eq!(by("cache")["reason"], "disabled by --no-cache");
    assert!(
        by("oci")["reason"]
            .as_str()
            .unwrap()
            .contains("no repository")
    );
    let ss = get(&a.router, "/api/services/product-catalog/sources")
        .await
        .json();
    assert_eq!(ss["contractSource"], "local");
    assert_eq!(
        ss["sources"][0]["versions"],
        serde_json::json!(["2.0.0", "1.3.0"])
    );
    let deps = get(&a.router, "/api/services/postgresql/dependents")
        .await
        .json();
    assert!(deps.as_array().unwrap().len() >= 3);
}

#[tokio::test]
async fn health_ready_metrics_and_unknown_routes() {
    let a = app().await;
    assert_eq!(get(&a.router, "/healthz").await.status, StatusCode::OK);
    assert_eq!(get(&a.router, "/readyz").await.status, StatusCode::OK);
    let m = get(&a.router, "/metrics").await;
    assert!(m.body.contains("pacto_dashboard_services "), "{}", m.body);
    assert!(
        m.body
            .contains("pacto_dashboard_services_by_status{status=\"Invalid\"} 1")
    );
    assert!(
        m.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let nf = get(&a.router, "/api/services/nope").await;
    assert_eq!(nf.status, StatusCode::NOT_FOUND);
    assert_eq!(nf.json()["code"], "not_found");
    assert_eq!(
        get(&a.router, "/api/debug/sources").await.status,
        StatusCode::NOT_FOUND
    );
    let d = app_with(|c| c.diagnostics = true).await;
    assert_eq!(
        get(&d.router, "/api/debug/sources").await.status,
        StatusCode::OK
    );
    assert_eq!(
        get(&d.router, "/api/debug/cache").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn not_ready_before_the_first_snapshot() {
    let dir = fixture_dir();
    let state = pacto_dashboard::AppState::start(pacto_dashboard::Config {
        dirs: vec![dir.path().to_path_buf()],
        k8s: pacto_dashboard::K8sMode::Off,
        no_cache: true,
        ..Default::default()
    })
    .await
    .unwrap();
    let r = pacto_dashboard::router(state.clone());
    assert_eq!(
        get(&r, "/readyz").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    state.refresh(false).await;
    assert_eq!(get(&r, "/readyz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn refresh_is_post_and_same_origin_only() {
    let a = app().await;
    let post = |origin: Option<&str>| {
        let mut b = Request::post("/api/refresh").header("host", "127.0.0.1:3000");
        if let Some(o) = origin {
            b = b.header("origin", o);
        }
        b.body(Body::empty()).unwrap()
    };
    assert_eq!(
        send(&a.router, post(Some("http://evil.example")))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(&a.router, post(Some("http://127.0.0.1:3000")))
            .await
            .status,
        StatusCode::OK
    );
    let cross_site = Request::post("/api/refresh")
        .header("sec-fetch-site", "cross-site")
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        send(&a.router, cross_site).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get(&a.router, "/api/refresh").await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
}

#[tokio::test]
async fn bearer_token_protects_everything_but_probes() {
    let t = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(t.path(), "s3cret\n").unwrap();
    let a = app_with(|c| c.token_file = Some(t.path().to_path_buf())).await;
    assert_eq!(
        get(&a.router, "/api/services").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(get(&a.router, "/").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(get(&a.router, "/healthz").await.status, StatusCode::OK);
    let ok = Request::get("/api/services")
        .header("authorization", "Bearer s3cret")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&a.router, ok).await.status, StatusCode::OK);
    let wrong = Request::get("/api/services")
        .header("authorization", "Bearer s3cre")
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        send(&a.router, wrong).await.status,
        StatusCode::UNAUTHORIZED
    );
    let cookie = Request::get("/")
        .header("cookie", "a=b; pacto_dashboard_token=s3cret")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&a.router, cookie).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_local_edit_changes_the_snapshot_and_emits_an_event() {
    let a = app().await;
    let mut rx = a.state.events.subscribe();
    let before = a.state.snapshot().id;
    // Nothing changed: no event.
    assert!(!a.state.refresh(false).await);
    let f = path_of(&a.dir, "report-generator/pacto.yaml");
    let text = std::fs::read_to_string(&f)
        .unwrap()
        .replace("version: 1.2.0", "version: 1.3.0");
    std::fs::write(&f, text).unwrap();
    assert!(a.state.refresh(false).await);
    let ev = rx.try_recv().unwrap();
    assert!(ev.contains("snapshotId"), "{ev}");
    assert!(a.state.snapshot().id > before);
    let l = get(&a.router, "/api/services").await.json();
    assert_eq!(find(&l, "report-generator")["version"], "1.3.0");
}

#[tokio::test]
async fn events_stream_starts_with_hello() {
    let a = app().await;
    let res = tower::ServiceExt::oneshot(
        a.router.clone(),
        Request::get("/api/events").body(Body::empty()).unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(res.headers()["content-type"], "text/event-stream");
    let mut body = res.into_body();
    let frame = http_body_util::BodyExt::frame(&mut body)
        .await
        .unwrap()
        .unwrap();
    let text = String::from_utf8_lossy(frame.data_ref().unwrap()).to_string();
    assert!(text.contains("event: hello"), "{text}");
}
