//! Services and their rpcs: added, removed, and changed signatures or streaming.

use std::collections::BTreeMap;

use super::{Differ, keys};
use crate::diff::proto::ast::Rpc;
use crate::diff::{Change, ChangeType, Classification};

use Classification::{Breaking, NonBreaking};

impl Differ<'_, '_> {
    pub(super) fn services(&mut self) {
        for name in keys(&self.oi.services, &self.ni.services) {
            let path = format!("grpc.services[{name}]");
            match (self.oi.services.get(name), self.ni.services.get(name)) {
                (Some(o), None) => {
                    self.push(Change::new(
                        path,
                        ChangeType::Removed,
                        Breaking,
                        format!("service {name} was removed; its clients get UNIMPLEMENTED"),
                    ));
                    for r in &o.rpcs {
                        self.rpc_removed(name, r);
                    }
                }
                (None, Some(n)) => {
                    self.push(Change::new(
                        path,
                        ChangeType::Added,
                        NonBreaking,
                        format!("service {name} was added"),
                    ));
                    for r in &n.rpcs {
                        self.rpc_added(name, r);
                    }
                }
                (Some(o), Some(n)) => {
                    let orpcs: BTreeMap<String, &Rpc> =
                        o.rpcs.iter().map(|r| (r.name.clone(), r)).collect();
                    let nrpcs: BTreeMap<String, &Rpc> =
                        n.rpcs.iter().map(|r| (r.name.clone(), r)).collect();
                    for m in keys(&orpcs, &nrpcs) {
                        match (orpcs.get(m), nrpcs.get(m)) {
                            (Some(a), None) => self.rpc_removed(name, a),
                            (None, Some(b)) => self.rpc_added(name, b),
                            (Some(a), Some(b)) => self.rpc_modified(name, a, b),
                            (None, None) => {}
                        }
                    }
                }
                (None, None) => {}
            }
        }
    }

    fn rpc_removed(&mut self, service: &str, r: &Rpc) {
        self.push(
            Change::new(
                format!("grpc.rpcs[{service}.{}]", r.name),
                ChangeType::Removed,
                Breaking,
                format!("rpc {service}.{} was removed", r.name),
            )
            .with_old(rpc_value(r)),
        );
    }

    fn rpc_added(&mut self, service: &str, r: &Rpc) {
        self.push(
            Change::new(
                format!("grpc.rpcs[{service}.{}]", r.name),
                ChangeType::Added,
                NonBreaking,
                format!("rpc {service}.{} was added", r.name),
            )
            .with_new(rpc_value(r)),
        );
    }

    fn rpc_modified(&mut self, service: &str, a: &Rpc, b: &Rpc) {
        let (op, np) = (self.oi.package_node, self.ni.package_node);
        let mut what = Vec::new();
        let (areq, breq) = (
            self.oi.resolve(op, &a.request),
            self.ni.resolve(np, &b.request),
        );
        if areq != breq {
            what.push(format!("request type {areq} -> {breq}"));
        }
        let (ares, bres) = (
            self.oi.resolve(op, &a.response),
            self.ni.resolve(np, &b.response),
        );
        if ares != bres {
            what.push(format!("response type {ares} -> {bres}"));
        }
        let stream = |s: bool| if s { "streaming" } else { "unary" };
        if a.request_stream != b.request_stream {
            what.push(format!(
                "request {} -> {}",
                stream(a.request_stream),
                stream(b.request_stream)
            ));
        }
        if a.response_stream != b.response_stream {
            what.push(format!(
                "response {} -> {}",
                stream(a.response_stream),
                stream(b.response_stream)
            ));
        }
        if what.is_empty() {
            return;
        }
        self.push(
            Change::new(
                format!("grpc.rpcs[{service}.{}]", a.name),
                ChangeType::Modified,
                Breaking,
                format!("rpc signature changed: {}", what.join(", ")),
            )
            .with_old(rpc_value(a))
            .with_new(rpc_value(b)),
        );
    }
}

fn rpc_value(r: &Rpc) -> String {
    let s = |b: bool| if b { "stream " } else { "" };
    format!(
        "({}{}) returns ({}{})",
        s(r.request_stream),
        r.request,
        s(r.response_stream),
        r.response
    )
}
