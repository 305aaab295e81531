//! 2.0 and 1.x contracts through the normalised view: the same Capabilities, Configuration,
//! Readiness and Interfaces sections on the page and in the API, whatever the version.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::json;

/// The inner HTML of the first element opening with `open` (up to its `close`).
fn between<'a>(html: &'a str, open: &str, close: &str) -> &'a str {
    let rest = html
        .split_once(open)
        .map(|x| x.1)
        .unwrap_or_else(|| panic!("no {open} in {html}"));
    rest.split_once(close).map_or(rest, |x| x.0)
}

/// `type|interface|path|ref` of each capability row (tags stripped).
fn capability_rows(html: &str) -> Vec<String> {
    let table = between(html, "<table id=\"capability-table\">", "</table>");
    table
        .split("<tr class=\"capability\"")
        .skip(1)
        .map(|r| {
            let cells: Vec<String> = r
                .split("<td>")
                .skip(1)
                .map(|c| strip_tags(c.split("</td>").next().unwrap_or("")))
                .collect();
            cells[..4].join("|")
        })
        .collect()
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in s.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[tokio::test]
async fn a_2_0_service_page_shows_capabilities_configurations_claims_and_portless_interfaces() {
    let a = app().await;
    let r = get(&a.router, "/services/audit-trail").await;
    assert_eq!(r.status, StatusCode::OK);
    let page = &r.body;
    for id in ["capabilities", "readiness", "findings", "interfaces"] {
        assert!(
            page.contains(&format!("id=\"{id}\"")),
            "missing section {id}"
        );
    }
    assert_eq!(
        capability_rows(page),
        [
            "health|not bound||",
            "metrics|api|/metrics|",
            "extension|||example.com/tracing",
        ]
    );
    assert!(page.contains("data-type=\"health\" data-bound=\"false\""));
    let cfg = between(page, "id=\"configurations\"", "</section>");
    assert!(
        cfg.contains("default <span class=\"pill\">ref oci://registry.example.com/audit-config:1.0.0</span> <span class=\"pill required\">required</span>"),
        "{cfg}"
    );
    assert!(
        cfg.contains("<span class=\"pill optional\">optional</span>"),
        "{cfg}"
    );
    let ready = between(page, "id=\"readiness\"", "</section>");
    assert!(ready.contains("Gate: score ≥ 60"), "{ready}");
    assert!(ready.contains("2 claims"), "{ready}");
    assert_eq!(ready.matches("<tr class=\"readiness-item\"").count(), 2);
    assert!(ready.contains("data-status=\"not-done\""));
    // Contract text is escaped, never markup.
    assert!(
        ready.contains("Retention &lt;b&gt;review&lt;/b&gt;"),
        "{ready}"
    );
    let ifaces = between(page, "id=\"interfaces\"", "</section>");
    assert!(
        ifaces.contains("Ref: <code>interfaces/api.yaml</code>"),
        "{ifaces}"
    );
    assert!(
        !ifaces.contains("port "),
        "a 2.0 interface has no port: {ifaces}"
    );
    assert!(
        ifaces.contains("<span class=\"pill\">asyncapi</span> <span class=\"pill\">event</span>")
    );
    assert!(ifaces.contains("audit.recorded"));
    // The overview reads workload/state through the normalised view (no `runtime` section).
    let ov = between(page, "id=\"overview\"", "</section>");
    for s in [
        "<dd>service</dd>",
        "<dd>stateful</dd>",
        "<dd>api /metrics</dd>",
    ] {
        assert!(ov.contains(s), "{s} missing in {ov}");
    }
}

#[tokio::test]
async fn a_1_x_service_page_fills_the_same_sections() {
    let a = app().await;
    let page = get(&a.router, "/services/payments-api").await.body;
    assert_eq!(
        capability_rows(&page),
        ["health|rest-api|/health|", "metrics|metrics|/metrics|"]
    );
    assert!(page.contains("<code>runtime.health</code>"));
    assert!(page.contains("Contract: <code>interfaces/openapi.yaml</code>"));
    assert!(page.contains("port 8080"));
    let cfg = between(&page, "id=\"configurations\"", "</section>");
    assert!(!cfg.contains("pill required") && !cfg.contains("pill optional"));
    // A 1.2 contract's readiness checks, like 2.0 claims.
    let orders = get(&a.router, "/services/order-processor").await.body;
    let ready = between(&orders, "id=\"readiness\"", "</section>");
    assert!(ready.contains("Gate: score ≥ 80"), "{ready}");
    assert!(ready.contains("3 checks"), "{ready}");
    assert_eq!(ready.matches("<tr class=\"readiness-item\"").count(), 3);
    // No readiness and no capability: the sections say why they are empty.
    let checkout = get(&a.router, "/api/services/checkout").await.json();
    assert_eq!(checkout["sectionMeta"]["readiness"]["state"], "empty");
    assert_eq!(checkout["sectionMeta"]["capabilities"]["state"], "empty");
}

#[tokio::test]
async fn the_api_carries_the_normalised_sections() {
    let a = app().await;
    let d = get(&a.router, "/api/services/audit-trail").await.json();
    assert_eq!(d["validation"]["valid"], true, "{}", d["validation"]);
    assert_eq!(
        d["capabilities"],
        json!([
            {"type": "health", "bound": false, "interface": null, "path": null, "ref": null,
             "declaredAt": "capabilities[0]"},
            {"type": "metrics", "bound": true, "interface": "api", "path": "/metrics", "ref": null,
             "declaredAt": "capabilities[1].binding"},
            {"type": "extension", "bound": false, "interface": null, "path": null,
             "ref": "example.com/tracing", "declaredAt": "capabilities[2]"},
        ])
    );
    let req: Vec<_> = d["configurations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].clone(), c["required"].clone()))
        .collect();
    assert_eq!(
        req,
        [
            (json!("default"), json!(true)),
            (json!("tuning"), json!(false))
        ]
    );
    assert_eq!(d["readiness"]["list"], "claims");
    assert_eq!(d["readiness"]["minScore"], 60);
    assert_eq!(d["readiness"]["items"][0]["id"], "runbook");
    assert_eq!(d["interfaces"][0]["type"], "openapi");
    assert_eq!(d["interfaces"][0]["protocol"], "http");
    assert_eq!(d["interfaces"][0]["port"], json!(null));
    assert_eq!(d["interfaces"][0]["contractField"], "ref");
    assert_eq!(d["sectionMeta"]["capabilities"]["state"], "present");
    assert_eq!(d["sectionMeta"]["readiness"]["state"], "present");
    assert_eq!(
        d["sectionMeta"]["findings"]["reason"],
        "the k8s source is not active"
    );
    // 1.x: the same shape.
    let p = get(&a.router, "/api/services/payments-api").await.json();
    assert_eq!(p["capabilities"][0]["declaredAt"], "runtime.health");
    assert_eq!(p["configurations"][0]["required"], json!(null));
    assert_eq!(p["interfaces"][0]["port"], 8080);
    assert_eq!(p["readiness"], json!(null));
}
