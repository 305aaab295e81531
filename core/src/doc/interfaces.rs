//! The interfaces table and, per interface, what its spec offers.

use super::text::{cell, code, inline, opt, table};
use crate::bundle::Bundle;
use crate::model::{Contract, Protocol};
use crate::spec_outline as outline;
use std::fmt::Write;

pub fn section(c: &Contract, bundle: &Bundle) -> Option<String> {
    if c.interfaces.is_empty() {
        return None;
    }
    let rows: Vec<Vec<String>> = c
        .interfaces
        .iter()
        .map(|i| {
            vec![
                cell(&i.name),
                code(i.kind.as_str()),
                i.port.map(|p| p.to_string()).unwrap_or_else(|| "—".into()),
                i.visibility.as_str().into(),
                i.spec_file().map(code).unwrap_or_else(|| "—".into()),
            ]
        })
        .collect();
    let mut out = table(&["Name", "Type", "Port", "Visibility", "Spec"], &rows);
    for (n, i) in c.interfaces.iter().enumerate() {
        let kind = match i.protocol() {
            Protocol::Http => "OpenAPI",
            Protocol::Grpc => "gRPC",
            Protocol::Event => "AsyncAPI",
        };
        let _ = write!(
            out,
            "\n### {{n}}.{}. {kind} Interface: {}\n\n",
            n + 1,
            inline(&i.name)
        );
        let Some(file) = i.spec_file() else {
            out.push_str("_No spec file._\n");
            continue;
        };
        let Some(text) = bundle.read_str(file) else {
            let _ = writeln!(out, "_{} is not in the bundle._", code(file));
            continue;
        };
        out.push_str(&operations(i.protocol(), file, text));
    }
    Some(out)
}

fn operations(protocol: Protocol, file: &str, text: &str) -> String {
    if protocol == Protocol::Grpc {
        let rows: Vec<Vec<String>> = outline::proto_services(text)
            .into_iter()
            .flat_map(|s| {
                let svc = s.name;
                s.rpcs.into_iter().map(move |r| vec![code(&svc), code(&r)])
            })
            .collect();
        return or_none(table(&["Service", "RPC"], &rows), rows.is_empty());
    }
    let doc = match outline::parse(text) {
        Ok(d) => d,
        Err(e) => return format!("_{} cannot be read: {}_\n", code(file), inline(&e)),
    };
    if protocol == Protocol::Http {
        let rows: Vec<Vec<String>> = outline::openapi_endpoints(&doc)
            .into_iter()
            .map(|e| vec![code(&e.method), code(&e.path), opt(e.summary.as_deref())])
            .collect();
        return or_none(
            table(&["Method", "Path", "Summary"], &rows),
            rows.is_empty(),
        );
    }
    let rows: Vec<Vec<String>> = outline::asyncapi_channels(&doc)
        .into_iter()
        .map(|ch| {
            vec![
                code(&ch.name),
                cell(&ch.operations.join(", ")),
                opt(ch.description.as_deref()),
            ]
        })
        .collect();
    or_none(
        table(&["Channel", "Operations", "Description"], &rows),
        rows.is_empty(),
    )
}

fn or_none(table: String, empty: bool) -> String {
    if empty {
        "_The spec declares no operations._\n".into()
    } else {
        table
    }
}
