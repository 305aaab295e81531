//! Several Pacto objects of one service: each is an instance, listed on the service page and
//! in the service API answer, and counted on its own on the KPI cards (two Compliant and one
//! Warning Pacto of a service are 2 Compliant and 1 Warning, not one Warning service).

mod common;

use axum::http::StatusCode;
use common::*;
use pacto_dashboard::model::RuntimeRecord;
use pacto_dashboard::snapshot::Snapshot;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;

fn pacto(ns: &str, object: &str, status: &str, version: &str, passed: i32) -> RuntimeRecord {
    let st: pacto_crds::PactoStatus = serde_json::from_value(json!({
        "contractStatus": status,
        "contractVersion": version,
        "contract": { "serviceName": "payments-api", "version": version },
        "summary": { "total": 3, "passed": passed, "failed": 3 - passed },
    }))
    .unwrap();
    RuntimeRecord {
        namespace: ns.into(),
        object: object.into(),
        service: "payments-api".into(),
        status: Arc::new(st),
        target: None,
    }
}

/// The fixture's local bundles plus three Pacto objects of payments-api in three
/// namespaces (given in an order the answer must not keep).
async fn app_with_instances() -> App {
    let a = app().await;
    let mut inputs = a.state.sources.collect(false).await;
    inputs.runtime = vec![
        pacto("team-c", "payments-canary", "Warning", "2.2.0", 2),
        pacto("team-a", "payments-api", "Compliant", "2.1.0", 3),
        pacto("team-b", "payments-api", "Compliant", "2.1.0", 3),
    ];
    let id = a.state.snapshot().id + 1;
    assert!(a.state.publish(Snapshot::build(id, inputs)));
    a
}

/// The numbers on the KPI cards of the services page.
fn kpi_cards(html: &str) -> BTreeMap<String, u32> {
    html.split("data-kpi=\"")
        .skip(1)
        .filter_map(|part| {
            let (key, rest) = part.split_once('"')?;
            let n = rest.split_once("<span class=\"n\">")?.1.split_once('<')?.0;
            Some((key.to_string(), n.parse().ok()?))
        })
        .collect()
}

/// The table row of `name` on the services page.
fn row<'a>(html: &'a str, name: &str) -> &'a str {
    let start = html
        .find(&format!("<tr class=\"row\" data-name=\"{name}\""))
        .unwrap_or_else(|| panic!("no row for {name}"));
    let rest = &html[start..];
    &rest[..rest.find("</tr>").unwrap_or(rest.len())]
}

#[tokio::test]
async fn kpi_cards_count_every_instance() {
    let a = app().await;
    let before = kpi_cards(&get(&a.router, "/").await.body);
    let services = before.values().sum::<u32>();
    assert_eq!(before["compliant"], 0, "{before:?}");
    assert_eq!(before["warning"], 0, "{before:?}");
    assert!(services > 5, "{before:?}");

    let a = app_with_instances().await;
    let page = get(&a.router, "/").await;
    assert_eq!(page.status, StatusCode::OK);
    let after = kpi_cards(&page.body);
    // payments-api leaves the Reference card and counts three times (2 + 1), not as one
    // Warning service.
    assert_eq!(after["compliant"], 2, "{after:?}");
    assert_eq!(after["warning"], 1, "{after:?}");
    assert_eq!(after["reference"], before["reference"] - 1, "{after:?}");
    assert_eq!(after.values().sum::<u32>(), services + 2, "{after:?}");
    // The row is under both cards it counts on and names the split; its badge is the worst.
    let r = row(&page.body, "payments-api");
    assert!(r.contains("data-kpi=\"compliant warning\""), "{r}");
    assert!(r.contains("2 Compliant · 1 Warning"), "{r}");
    assert!(r.contains("st-Warning"), "{r}");
    assert!(r.contains("team-a, team-b, team-c"), "{r}");
    // A service without Pacto objects is counted once, under its own status.
    let u = row(&page.body, "user-service");
    assert!(u.contains("data-kpi=\"reference\""), "{u}");
    assert!(!u.contains("class=\"instances\""), "{u}");
}

#[tokio::test]
async fn the_list_api_reports_statuses_per_instance() {
    let a = app_with_instances().await;
    let list = get(&a.router, "/api/services").await.json();
    let entry = |n: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == n)
            .cloned()
            .unwrap_or_else(|| panic!("{n} not listed"))
    };
    let p = entry("payments-api");
    assert_eq!(p["instanceStatuses"], json!({"Compliant": 2, "Warning": 1}));
    assert_eq!(p["contractStatus"], "Warning");
    assert_eq!(
        (p["checksPassed"].clone(), p["checksTotal"].clone()),
        (json!(8), json!(9))
    );
    assert_eq!(entry("user-service")["instanceStatuses"], json!({}));
}

#[tokio::test]
async fn the_service_api_lists_every_instance() {
    let a = app_with_instances().await;
    let d = get(&a.router, "/api/services/payments-api").await.json();
    assert_eq!(
        d["instances"],
        json!([
            {"namespace": "team-a", "name": "payments-api", "contractStatus": "Compliant",
             "contractVersion": "2.1.0", "checksPassed": 3, "checksTotal": 3, "lastChecked": null},
            {"namespace": "team-b", "name": "payments-api", "contractStatus": "Compliant",
             "contractVersion": "2.1.0", "checksPassed": 3, "checksTotal": 3, "lastChecked": null},
            {"namespace": "team-c", "name": "payments-canary", "contractStatus": "Warning",
             "contractVersion": "2.2.0", "checksPassed": 2, "checksTotal": 3, "lastChecked": null},
        ])
    );
    // The existing fields stay.
    assert_eq!(d["runtime"].as_array().map(Vec::len), Some(3));
    assert_eq!(d["namespaces"], json!(["team-a", "team-b", "team-c"]));
    assert_eq!(d["contractStatus"], "Warning");
    // Without Pacto objects the array is empty, not missing.
    let u = get(&a.router, "/api/services/user-service").await.json();
    assert_eq!(u["instances"], json!([]));
}

#[tokio::test]
async fn the_service_page_has_a_row_per_instance() {
    let a = app_with_instances().await;
    let page = get(&a.router, "/services/payments-api").await;
    assert_eq!(page.status, StatusCode::OK);
    let table = page
        .body
        .split_once("<table id=\"instance-table\">")
        .map(|x| x.1)
        .and_then(|t| t.split_once("</table>"))
        .map(|x| x.0)
        .unwrap_or_else(|| panic!("no instance table: {}", page.body));
    let rows: Vec<&str> = table.split("<tr class=\"instance\"").skip(1).collect();
    assert_eq!(rows.len(), 3, "{table}");
    for (r, (ns, name, status, version, checks)) in rows.iter().zip([
        ("team-a", "payments-api", "Compliant", "2.1.0", "3/3"),
        ("team-b", "payments-api", "Compliant", "2.1.0", "3/3"),
        ("team-c", "payments-canary", "Warning", "2.2.0", "2/3"),
    ]) {
        assert!(r.contains(&format!("<code>{ns}/{name}</code>")), "{r}");
        assert!(r.contains(&format!("data-status=\"{status}\"")), "{r}");
        assert!(r.contains(&format!(">{status}</span>")), "{r}");
        assert!(r.contains(&format!("<td>{version}</td>")), "{r}");
        assert!(r.contains(&format!("<td>{checks}</td>")), "{r}");
    }
    // A version page (historical view) shows no runtime state, so no instances either.
    let v = get(&a.router, "/api/services/payments-api").await.json()["version"]
        .as_str()
        .map(str::to_string)
        .expect("payments-api has a version");
    let old = get(&a.router, &format!("/services/payments-api/versions/{v}")).await;
    assert_eq!(old.status, StatusCode::OK);
    assert!(!old.body.contains("<tr class=\"instance\""), "{}", old.body);
    let api = get(
        &a.router,
        &format!("/api/services/payments-api/versions/{v}"),
    )
    .await;
    assert_eq!(api.json()["instances"], json!([]));
}
