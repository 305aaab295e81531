//! Server-rendered pages: every section present, hostile strings escaped, strict CSP.

mod common;

use axum::http::StatusCode;
use common::*;

/// Attribute names of every real tag (text is escaped, so a `<` always opens a tag).
fn attributes(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for tag in html.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        let mut rest = tag
            .split_once(char::is_whitespace)
            .map(|x| x.1)
            .unwrap_or("");
        while let Some(eq) = rest.find('=') {
            let name = rest[..eq]
                .trim()
                .rsplit(char::is_whitespace)
                .next()
                .unwrap_or("")
                .to_lowercase();
            let after = &rest[eq + 1..];
            let (value, tail) = match after.strip_prefix('"') {
                Some(v) => v.split_once('"').unwrap_or((v, "")),
                None => after.split_once(char::is_whitespace).unwrap_or((after, "")),
            };
            out.push((name, value.to_lowercase()));
            rest = tail;
        }
    }
    out
}

/// No executable markup from a contract reached the page: the only script element is
/// ours, no tag has an event handler, no URL attribute uses `javascript:`.
fn assert_inert(html: &str) {
    assert_eq!(html.matches("<script").count(), 1, "extra <script> in page");
    assert!(html.contains(r#"<script src="/assets/app.js" defer></script>"#));
    for (name, value) in attributes(html) {
        assert!(
            !name.starts_with("on"),
            "event handler attribute {name}={value}"
        );
        assert!(
            !value.trim_start().starts_with("javascript:"),
            "{name}={value}"
        );
    }
}

#[test]
fn the_attribute_scanner_sees_handlers() {
    let a = attributes(r#"<p>x onerror=1</p><img src="a b" onerror="x"><a href=javascript:y>"#);
    assert!(a.contains(&("onerror".into(), "x".into())));
    assert!(a.contains(&("href".into(), "javascript:y".into())));
    assert!(!a.iter().any(|(n, v)| n == "onerror" && v == "1"));
}

#[tokio::test]
async fn pages_are_served_with_a_strict_csp() {
    let a = app().await;
    for uri in [
        "/",
        "/services/payments-api",
        "/services/product-catalog/versions/1.3.0",
        "/graph",
        "/graph?focus=payments-api&depth=2&direction=dependents&layout=LR",
        // The form's "all" depth.
        "/graph?focus=postgresql&depth=&direction=both&layout=TB",
        "/diff",
        "/diff?from=product-catalog%401.3.0&to=product-catalog%402.0.0",
        "/impact",
        "/impact?service=product-catalog",
        "/impact?service=product-catalog&from=&to=",
    ] {
        let r = get(&a.router, uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        let csp = r.headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert_eq!(r.headers["x-content-type-options"], "nosniff");
        assert_inert(&r.body);
    }
    let js = get(&a.router, "/assets/app.js").await;
    assert!(
        js.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
}

#[tokio::test]
async fn service_page_shows_every_section() {
    let a = app().await;
    let r = get(&a.router, "/services/payments-api").await.body;
    for id in [
        "overview",
        "validation",
        "interfaces",
        "capabilities",
        "configurations",
        "policies",
        "readiness",
        "dependencies",
        "dependents",
        "instances",
        "runtime",
        "findings",
        "conditions",
        "versions",
        "docs",
        "sbom",
    ] {
        assert!(r.contains(&format!("id=\"{id}\"")), "missing section {id}");
    }
    assert!(r.contains("/payments"));
    assert!(r.contains("LOG_LEVEL"));
    assert!(r.contains("the k8s source is not active"));
    let v = get(&a.router, "/services/product-catalog/versions/1.3.0")
        .await
        .body;
    assert!(v.contains("id=\"historical\""));
    assert!(
        v.contains("cls-BREAKING")
            || get(&a.router, "/services/product-catalog")
                .await
                .body
                .contains("cls-BREAKING")
    );
}

#[tokio::test]
async fn hostile_contracts_are_escaped_everywhere() {
    let a = app().await;
    let list = get(&a.router, "/").await.body;
    assert_inert(&list);
    assert!(
        list.contains("&lt;script&gt;window.__pwned="),
        "hostile name not shown escaped"
    );
    let page = get(&a.router, "/services/hostile").await.body;
    assert_inert(&page);
    assert!(
        page.contains("Safe <strong>bold</strong> text."),
        "sanitised markdown still rendered"
    );
    assert!(
        page.contains("&lt;img src=x onerror="),
        "hostile summary not shown escaped"
    );
    let name = "%3Cscript%3Ewindow.__pwned%3D%27name%27%3C%2Fscript%3E";
    let bad = get(&a.router, &format!("/services/{name}")).await;
    assert_eq!(bad.status, StatusCode::OK);
    assert_inert(&bad.body);
    assert!(bad.body.contains("Invalid"));
    let g = get(&a.router, "/graph").await.body;
    assert_inert(&g);
    for uri in [
        format!("/impact?service={name}"),
        format!("/impact?service=hostile&from={name}"),
        "/impact?service=payments-api".to_string(),
    ] {
        let r = get(&a.router, &uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert_inert(&r.body);
        assert!(!r.body.contains("<script>window"), "{uri}");
    }
}

#[tokio::test]
async fn diff_page_shows_breaking() {
    let a = app().await;
    let r = get(
        &a.router,
        "/diff?from=product-catalog%401.3.0&to=product-catalog%402.0.0",
    )
    .await
    .body;
    assert!(
        r.contains("id=\"classification\" class=\"cls cls-BREAKING\""),
        "{r}"
    );
    let bad = get(&a.router, "/diff?from=nope&to=product-catalog")
        .await
        .body;
    assert!(bad.contains("diff-error"));
}

#[tokio::test]
async fn unknown_service_page_is_404() {
    let a = app().await;
    assert_eq!(
        get(&a.router, "/services/nope").await.status,
        StatusCode::NOT_FOUND
    );
}
