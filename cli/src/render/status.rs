//! `pacto status`: Pacto resources turned into rows, rendered as a table, Markdown or JSON.

use crate::args::OutputFormat;
use crate::outcome::{Outcome, json};
use pacto_crds::{ContractStatus, Pacto, SUMMARY_CONDITIONS};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    pub namespace: String,
    pub name: String,
    /// `None` until the operator has written a status.
    pub contract_status: Option<&'static str>,
    pub version: Option<String>,
    pub passed: i32,
    pub total: i32,
    /// Check conditions whose status is `False`.
    pub failing: Vec<String>,
}

#[derive(Debug, Serialize)]
struct Listing<'a> {
    items: &'a [Row],
}

/// One row per Pacto, sorted by namespace then name.
pub fn rows(pactos: &[Pacto]) -> Vec<Row> {
    let mut out: Vec<Row> = pactos.iter().map(row).collect();
    out.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    out
}

fn row(p: &Pacto) -> Row {
    let status = p.status.as_ref();
    let summary = status.and_then(|s| s.summary.as_ref());
    Row {
        namespace: p.metadata.namespace.clone().unwrap_or_default(),
        name: p.metadata.name.clone().unwrap_or_default(),
        contract_status: status
            .and_then(|s| s.contract_status)
            .map(ContractStatus::as_str),
        version: status.and_then(|s| {
            s.contract_version
                .clone()
                .or_else(|| s.contract.as_ref().and_then(|c| c.version.clone()))
        }),
        passed: summary.map(|s| s.passed).unwrap_or(0),
        total: summary.map(|s| s.total).unwrap_or(0),
        failing: status
            .map(|s| {
                s.conditions
                    .iter()
                    // Summary conditions (Ready, readiness, ...) are never a failing check.
                    .filter(|c| {
                        c.status == "False" && !SUMMARY_CONDITIONS.contains(&c.type_.as_str())
                    })
                    .map(|c| c.type_.clone())
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// `scope` names what was listed, for the empty message ("namespace x" or "the cluster").
pub fn render(rows: &[Row], scope: &str, format: OutputFormat) -> Outcome {
    match format {
        OutputFormat::Json => Outcome::ok(json(&Listing { items: rows })),
        _ if rows.is_empty() => Outcome::ok(format!("No Pacto resources found in {scope}.\n")),
        OutputFormat::Markdown => Outcome::ok(markdown(rows)),
        OutputFormat::Text => Outcome::ok(table(rows)),
    }
}

const HEADER: [&str; 6] = [
    "NAMESPACE",
    "NAME",
    "STATUS",
    "VERSION",
    "CHECKS",
    "FAILING",
];

fn cells(r: &Row) -> [String; 6] {
    [
        r.namespace.clone(),
        r.name.clone(),
        r.contract_status.unwrap_or("-").to_string(),
        r.version.clone().unwrap_or_else(|| "-".into()),
        format!("{}/{}", r.passed, r.total),
        if r.failing.is_empty() {
            "-".into()
        } else {
            r.failing.join(",")
        },
    ]
}

fn table(rows: &[Row]) -> String {
    let body: Vec<[String; 6]> = rows.iter().map(cells).collect();
    let mut widths = HEADER.map(str::len);
    for line in &body {
        for (w, c) in widths.iter_mut().zip(line) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    let header = HEADER.map(String::from);
    for line in std::iter::once(&header).chain(&body) {
        let padded: Vec<String> = line
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(padded.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn markdown(rows: &[Row]) -> String {
    let mut out = format!("| {} |\n|{}\n", HEADER.join(" | "), "---|".repeat(6));
    for r in rows {
        let c = cells(r).map(|c| super::md_cell(&c));
        out.push_str(&format!("| {} |\n", c.join(" | ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pacto(v: serde_json::Value) -> Pacto {
        serde_json::from_value(v).unwrap()
    }

    fn cond(t: &str, s: &str) -> serde_json::Value {
        serde_json::json!({"type": t, "status": s, "reason": "R", "message": "",
            "lastTransitionTime": "2026-01-01T00:00:00Z"})
    }

    fn fixtures() -> Vec<Pacto> {
        vec![
            pacto(serde_json::json!({
                "apiVersion": "pacto.trianalab.io/v1alpha1", "kind": "Pacto",
                "metadata": {"name": "orders", "namespace": "shop"},
                "spec": {"contractRef": {"inline": "x"}},
                "status": {"contractStatus": "NonCompliant", "contractVersion": "1.2.0",
                    "summary": {"total": 4, "passed": 2, "failed": 2},
                    "conditions": [cond("ServiceExists", "True"), cond("PortsMatch", "False"),
                        cond("WorkloadExists", "False"), cond("Ready", "False"),
                        cond("ReadinessSatisfied", "False")]}
            })),
            pacto(serde_json::json!({
                "apiVersion": "pacto.trianalab.io/v1alpha1", "kind": "Pacto",
                "metadata": {"name": "new", "namespace": "a"},
                "spec": {"contractRef": {"inline": "x"}}
            })),
        ]
    }

    #[test]
    fn rows_take_failing_checks_from_false_conditions_only() {
        let r = rows(&fixtures());
        assert_eq!(r[0].name, "new");
        assert_eq!(r[0].contract_status, None);
        assert_eq!((r[0].passed, r[0].total), (0, 0));
        let orders = &r[1];
        assert_eq!(orders.contract_status, Some("NonCompliant"));
        assert_eq!(orders.version.as_deref(), Some("1.2.0"));
        assert_eq!((orders.passed, orders.total), (2, 4));
        assert_eq!(orders.failing, vec!["PortsMatch", "WorkloadExists"]);
    }

    #[test]
    fn every_check_condition_can_fail_and_no_summary_condition_does() {
        use pacto_crds::CheckCondition;
        let types = CheckCondition::ALL
            .map(CheckCondition::as_str)
            .into_iter()
            .chain(SUMMARY_CONDITIONS);
        let conditions: Vec<_> = types.map(|t| cond(t, "False")).collect();
        let p = pacto(serde_json::json!({
            "apiVersion": "pacto.trianalab.io/v1alpha1", "kind": "Pacto",
            "metadata": {"name": "all", "namespace": "ns"},
            "spec": {"contractRef": {"inline": "x"}},
            "status": {"contractStatus": "Invalid", "conditions": conditions}
        }));
        let r = rows(&[p]);
        let checks: Vec<&str> = CheckCondition::ALL.map(CheckCondition::as_str).to_vec();
        assert_eq!(r[0].failing, checks);
        assert_eq!(r[0].contract_status, Some("Invalid"));
    }

    #[test]
    fn table_json_and_empty() {
        let r = rows(&fixtures());
        let text = render(&r, "the cluster", OutputFormat::Text).stdout;
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "NAMESPACE  NAME    STATUS        VERSION  CHECKS  FAILING"
        );
        assert_eq!(
            lines[1],
            "a          new     -             -        0/0     -"
        );
        assert_eq!(
            lines[2],
            "shop       orders  NonCompliant  1.2.0    2/4     PortsMatch,WorkloadExists"
        );
        let j: serde_json::Value =
            serde_json::from_str(&render(&r, "", OutputFormat::Json).stdout).unwrap();
        assert_eq!(
            j["items"][1],
            serde_json::json!({"namespace": "shop", "name": "orders",
                "contractStatus": "NonCompliant", "version": "1.2.0", "passed": 2, "total": 4,
                "failing": ["PortsMatch", "WorkloadExists"]})
        );
        assert_eq!(
            render(&[], "namespace x", OutputFormat::Text).stdout,
            "No Pacto resources found in namespace x.\n"
        );
        assert_eq!(
            render(&[], "x", OutputFormat::Json).stdout,
            "{\n  \"items\": []\n}\n"
        );
        let md = render(&r, "", OutputFormat::Markdown).stdout;
        assert!(md.contains("| shop | orders | NonCompliant |"), "{md}");
    }
}
