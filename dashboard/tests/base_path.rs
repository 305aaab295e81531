//! `--base-path`: requests are answered with the prefix (an Ingress that keeps the path) and
//! without it (a proxy that strips it, like `kubectl proxy`), and every URL a page produces
//! starts with it.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use pacto_dashboard::BasePath;

async fn prefixed() -> App {
    app_with(|c| c.base_path = BasePath::parse("/pacto/").unwrap()).await
}

/// Values of the URL-carrying attributes of every tag (`href`, `src`, `action`, `data-href`).
fn urls(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\"", " action=\"", " data-href=\""] {
        for part in html.split(attr).skip(1) {
            out.push(part.split('"').next().unwrap_or("").to_string());
        }
    }
    out
}

#[tokio::test]
async fn requests_are_answered_with_and_without_the_prefix() {
    let a = prefixed().await;
    for uri in ["/pacto/api/services", "/api/services"] {
        let r = get(&a.router, uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.body);
        assert!(
            r.json()
                .as_array()
                .is_some_and(|l| l.iter().any(|s| s["name"] == "payments-api")),
            "{uri}: {}",
            r.body
        );
    }
    for uri in [
        "/pacto",
        "/pacto/",
        "/",
        "/pacto/services/payments-api",
        "/services/payments-api",
        "/pacto/assets/app.js",
        "/pacto/healthz",
        "/healthz",
        "/pacto/readyz",
        "/metrics",
    ] {
        let r = get(&a.router, uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
    }
    // The query survives the rewrite.
    let r = get(&a.router, "/pacto/graph?focus=payments-api&depth=1").await;
    assert!(
        r.body.contains(r#"<option value="payments-api" selected>"#),
        "{}",
        r.body
    );
    // A look-alike prefix is not stripped, so nothing routes.
    for uri in [
        "/pactox/api/services",
        "/pacto-x/",
        "/other/pacto/api/services",
    ] {
        let r = get(&a.router, uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(
            r.headers["content-security-policy"],
            pacto_dashboard::server::CSP
        );
    }
    // A state-changing request through the prefix gets the same checks.
    let post = |uri: &str| {
        Request::post(uri)
            .header("host", "127.0.0.1:3000")
            .header("origin", "http://127.0.0.1:3000")
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(
        send(&a.router, post("/pacto/api/refresh")).await.status,
        StatusCode::OK
    );
    let cross = Request::post("/pacto/api/refresh")
        .header("host", "127.0.0.1:3000")
        .header("origin", "http://evil.example")
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        send(&a.router, cross).await.status,
        StatusCode::FORBIDDEN,
        "cross-origin POST through the prefix"
    );
}

#[tokio::test]
async fn every_url_on_every_page_starts_with_the_prefix() {
    let a = prefixed().await;
    for uri in [
        "/pacto/",
        "/pacto/services/payments-api",
        "/pacto/services/checkout",
        "/pacto/services/product-catalog/versions/1.3.0",
        "/pacto/graph",
        "/pacto/graph?focus=postgresql&depth=1&direction=dependents",
        "/pacto/diff",
        "/pacto/diff?from=product-catalog%401.3.0&to=product-catalog%402.0.0",
        "/pacto/impact",
        "/pacto/impact?service=product-catalog",
        "/pacto/impact?service=product-catalog&from=2.0.0&to=1.3.0",
        "/pacto/impact?service=nope",
        "/pacto/services/no-such-service",
        // Through a proxy that strips the prefix the pages still link through it.
        "/services/payments-api",
    ] {
        let r = get(&a.router, uri).await;
        assert!(
            r.status == StatusCode::OK || r.status == StatusCode::NOT_FOUND,
            "{uri}: {}",
            r.status
        );
        assert!(
            r.body.contains(r#"data-base="/pacto""#),
            "{uri}: no data-base"
        );
        let urls = urls(&r.body);
        let in_app: Vec<_> = urls.iter().filter(|u| u.starts_with('/')).collect();
        assert!(in_app.len() >= 6, "{uri}: only {in_app:?}");
        for u in &in_app {
            assert!(
                u.starts_with("/pacto/") || u.as_str() == "/pacto",
                "{uri}: {u} escapes the prefix"
            );
        }
        for needed in [
            "/pacto/assets/app.css",
            "/pacto/assets/app.js",
            "/pacto/graph",
            "/pacto/diff",
            "/pacto/impact",
        ] {
            assert!(urls.iter().any(|u| u == needed), "{uri}: no {needed}");
        }
    }
    let list = get(&a.router, "/pacto/").await;
    assert!(urls(&list.body).contains(&"/pacto/services/payments-api".to_string()));
    let detail = get(&a.router, "/pacto/services/product-catalog").await;
    let links = urls(&detail.body);
    assert!(
        links
            .iter()
            .any(|u| u.starts_with("/pacto/services/product-catalog/versions/")),
        "{links:?}"
    );
    assert!(
        links.iter().any(|u| u.starts_with("/pacto/diff?from=")),
        "{links:?}"
    );
    for link in [
        "/pacto/impact?service=product-catalog",
        "/pacto/impact?service=product-catalog&amp;from=1.3.0&amp;to=2.0.0",
    ] {
        assert!(links.iter().any(|u| u == link), "no {link} in {links:?}");
    }
    // The impact page links its consumers, the changed service and the full diff through it.
    let impact = urls(
        &get(&a.router, "/pacto/impact?service=product-catalog")
            .await
            .body,
    );
    for link in [
        "/pacto/services/storefront",
        "/pacto/services/mobile-bff",
        "/pacto/services/product-catalog",
        "/pacto/diff?from=product-catalog%401.3.0&amp;to=product-catalog%402.0.0",
    ] {
        assert!(impact.iter().any(|u| u == link), "no {link} in {impact:?}");
    }
}

#[tokio::test]
async fn the_openapi_document_names_the_prefix_as_its_server() {
    let a = prefixed().await;
    let doc = get(&a.router, "/pacto/api/openapi.json").await.json();
    assert_eq!(doc["servers"], serde_json::json!([{ "url": "/pacto" }]));
    assert!(doc["paths"]["/api/services"].is_object());
    let root = app().await;
    let doc = get(&root.router, "/api/openapi.json").await.json();
    assert!(doc.get("servers").is_none(), "{}", doc["servers"]);
}

#[tokio::test]
async fn at_the_root_nothing_changes() {
    let a = app().await;
    let r = get(&a.router, "/").await;
    assert!(r.body.contains(r#"data-base="""#));
    assert!(r.body.contains(r#"href="/assets/app.css""#));
    assert!(urls(&r.body).contains(&"/services/payments-api".to_string()));
    assert_eq!(
        get(&a.router, "/pacto/api/services").await.status,
        StatusCode::NOT_FOUND
    );
}
