//! `/api/impact` and the impact page over the local fixture world: `product-catalog` 1.3.0
//! and 2.0.0 (BREAKING) with `storefront` (requires ^1.3.0), `search-indexer` (optional,
//! >=1.0.0) and `mobile-bff` (requires storefront) as its consumers.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};

fn verdicts(v: &Value) -> Vec<(String, u64, String)> {
    v["consumers"]
        .as_array()
        .unwrap_or_else(|| panic!("no consumers in {v}"))
        .iter()
        .map(|c| {
            (
                c["service"].as_str().unwrap().to_string(),
                c["depth"].as_u64().unwrap(),
                c["compatibilityVerdict"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn expect(list: &[(&str, u64, &str)]) -> Vec<(String, u64, String)> {
    list.iter()
        .map(|(n, d, v)| (n.to_string(), *d, v.to_string()))
        .collect()
}

#[tokio::test]
async fn defaults_compare_the_previous_version_with_the_newest() {
    let a = app().await;
    let r = get(&a.router, "/api/impact?service=product-catalog").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    assert_eq!(v["schemaVersion"], "pacto.dev/impact/v1");
    assert_eq!(
        (&v["oldVersion"], &v["newVersion"]),
        (&json!("1.3.0"), &json!("2.0.0"))
    );
    assert_eq!(v["classification"], "BREAKING");
    assert!(!v["breakingChanges"].as_array().unwrap().is_empty());
    assert!(
        v["breakingChanges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["classification"] == "BREAKING")
    );
    assert_eq!(
        verdicts(&v),
        expect(&[
            ("search-indexer", 1, "compatible"),
            ("storefront", 1, "incompatible"),
            ("mobile-bff", 2, "incompatible"),
        ])
    );
    let sf = &v["consumers"][1];
    assert_eq!(sf["compatibility"], "^1.3.0");
    assert_eq!(sf["required"], true);
    assert_eq!(sf["version"], "3.2.0");
    assert_eq!(sf["contractStatus"], "Reference");
    assert_eq!(sf["reason"], "\"^1.3.0\" does not admit 2.0.0");
    let bff = &v["consumers"][2];
    assert_eq!(
        bff["path"],
        json!(["product-catalog", "storefront", "mobile-bff"])
    );
    assert!(bff.get("compatibility").is_none(), "{bff}");
    assert_eq!(v["blocking"], true);
    assert_eq!(v["limitations"], json!([]));
    // The same answer when the versions are spelled out.
    let explicit = get(
        &a.router,
        "/api/impact?service=product-catalog&from=1.3.0&to=2.0.0",
    )
    .await
    .json();
    assert_eq!(explicit, v);
}

#[tokio::test]
async fn a_rollback_and_the_same_version() {
    let a = app().await;
    let back = get(
        &a.router,
        "/api/impact?service=product-catalog&from=2.0.0&to=1.3.0",
    )
    .await
    .json();
    assert_eq!(back["newVersion"], "1.3.0");
    // ^1.3.0 admits 1.3.0, a version of another semver line than 2.0.0.
    assert_eq!(back["consumers"][1]["compatibilityVerdict"], "compatible");
    let same = get(
        &a.router,
        "/api/impact?service=product-catalog&from=2.0.0&to=2.0.0",
    )
    .await
    .json();
    assert_eq!(same["classification"], "NON_BREAKING");
    assert_eq!(same["limitations"][0]["code"], "SAME_VERSION");
    assert_eq!(same["blocking"], false);
    // One version only: the default `from` is that version.
    let one = get(&a.router, "/api/impact?service=payments-api")
        .await
        .json();
    assert_eq!(
        (&one["oldVersion"], &one["newVersion"]),
        (&json!("2.1.0"), &json!("2.1.0"))
    );
    let names: Vec<String> = verdicts(&one).into_iter().map(|(n, _, _)| n).collect();
    assert!(names.contains(&"checkout".to_string()), "{names:?}");
    assert!(names.contains(&"hostile".to_string()), "{names:?}");
}

#[tokio::test]
async fn hostile_and_bad_parameters_get_clear_errors() {
    let a = app().await;
    let long = "x".repeat(300);
    let cases = [
        (
            "/api/impact".to_string(),
            400,
            "service is required: /api/impact?service=NAME[&from=VERSION&to=VERSION]",
        ),
        (
            "/api/impact?service=".to_string(),
            400,
            "service is required: /api/impact?service=NAME[&from=VERSION&to=VERSION]",
        ),
        (
            format!("/api/impact?service={long}"),
            400,
            "service must be at most 256 characters",
        ),
        (
            format!("/api/impact?service=product-catalog&to={long}"),
            400,
            "to must be at most 256 characters",
        ),
        (
            "/api/impact?service=nope".to_string(),
            404,
            "no service named \"nope\"",
        ),
        (
            "/api/impact?service=product-catalog&from=9.9.9".to_string(),
            404,
            "product-catalog has no version \"9.9.9\"",
        ),
        (
            "/api/impact?service=product-catalog&from=1.3.0&to=%3Cb%3E".to_string(),
            404,
            "product-catalog has no version \"<b>\"",
        ),
        (
            "/api/impact?service=%3Cscript%3Ewindow.__pwned%3D%27name%27%3C%2Fscript%3E"
                .to_string(),
            422,
            "one side fails validation, so it cannot be diffed",
        ),
    ];
    for (uri, status, message) in cases {
        let r = get(&a.router, &uri).await;
        assert_eq!(r.status.as_u16(), status, "{uri}: {}", r.body);
        assert_eq!(r.json()["message"], message, "{uri}");
    }
}

#[tokio::test]
async fn the_page_shows_the_verdicts() {
    let a = app().await;
    let empty = get(&a.router, "/impact").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(
        empty.body.contains("id=\"impact-prompt\""),
        "{}",
        empty.body
    );
    assert!(empty.body.contains(r#"<option value="product-catalog">"#));
    let r = get(&a.router, "/impact?service=product-catalog").await.body;
    assert!(
        r.contains(r#"id="classification" class="cls cls-BREAKING""#),
        "{r}"
    );
    // The defaults the answer used are what the form shows selected.
    assert!(
        r.contains(r#"<option value="product-catalog" selected>"#),
        "{r}"
    );
    assert!(r.contains(r#"<select name="from"><option value="">default (deployed, else previous)</option><option value="2.0.0">2.0.0</option><option value="1.3.0" selected>"#), "{r}");
    assert!(
        r.contains(r#"<tr class="consumer" data-name="storefront" data-verdict="incompatible">"#),
        "{r}"
    );
    assert!(
        r.contains(r#"data-name="search-indexer" data-verdict="compatible""#),
        "{r}"
    );
    assert!(
        r.contains(r#"data-name="mobile-bff" data-verdict="incompatible""#),
        "{r}"
    );
    assert!(
        r.contains("product-catalog → storefront → mobile-bff"),
        "{r}"
    );
    assert!(r.contains("id=\"blocking\""), "{r}");
    assert!(r.contains("id=\"breaking-changes\""), "{r}");
    let bad = get(&a.router, "/impact?service=product-catalog&from=9.9.9")
        .await
        .body;
    assert!(bad.contains(r#"id="impact-error""#), "{bad}");
    assert!(
        bad.contains("product-catalog has no version &quot;9.9.9&quot;"),
        "{bad}"
    );
    let long = get(&a.router, &format!("/impact?service={}", "x".repeat(300)))
        .await
        .body;
    assert!(
        long.contains("service must be at most 256 characters"),
        "{long}"
    );
    // Linked from the service page and the navigation.
    let svc = get(&a.router, "/services/product-catalog").await.body;
    assert!(
        svc.contains(r#"id="impact-link" href="/impact?service=product-catalog""#),
        "{svc}"
    );
    assert!(
        svc.contains(r#"href="/impact" class="">Impact</a>"#),
        "{svc}"
    );
}
