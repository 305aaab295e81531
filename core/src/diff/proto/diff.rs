//! Classifies the differences between two `.proto` files.
//!
//! Paths: `grpc.package`, `grpc.services[pkg.S]`, `grpc.rpcs[pkg.S.M]`, `grpc.messages[pkg.M]`
//! (nested `pkg.Outer.Inner`), `grpc.messages[..].fields[f]`, `grpc.enums[pkg.E]`,
//! `grpc.enums[..].values[V]`. Names carry the package because it is part of the gRPC method
//! path and of every type name on the wire (`Any`, JSON `@type`). Fields are matched by number
//! first (wire identity), then by name; type names are compared after scope resolution, so
//! `Foo` and `.pkg.Foo` are the same type.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::ast::{Enum, Field, Label, Message, ProtoFile, Rpc};
use super::index::Index;
use super::parser::parse_proto;
use crate::diff::{Change, ChangeType, Classification};

use Classification::{Breaking, NonBreaking, PotentialBreaking};

/// Diffs two `.proto` sources. If either side does not parse, the result is one
/// POTENTIAL_BREAKING change at `grpc` naming the side and the error, never "no changes".
pub fn diff_proto(old: &str, new: &str) -> Vec<Change> {
    match (parse_proto(old), parse_proto(new)) {
        (Ok(o), Ok(n)) => diff_files(&o, &n),
        (o, n) => {
            let mut parts = Vec::new();
            if let Err(e) = o {
                parts.push(format!("the old .proto does not parse ({e})"));
            }
            if let Err(e) = n {
                parts.push(format!("the new .proto does not parse ({e})"));
            }
            vec![Change::new(
                "grpc",
                ChangeType::Modified,
                PotentialBreaking,
                format!(
                    "{}; gRPC changes could not be checked, fix the file and diff again",
                    parts.join(" and ")
                ),
            )]
        }
    }
}

/// Diffs two parsed files (see the module docs for paths and rules).
pub fn diff_files(old: &ProtoFile, new: &ProtoFile) -> Vec<Change> {
    let (oi, ni) = (Index::build(old), Index::build(new));
    let mut d = Differ {
        oi: &oi,
        ni: &ni,
        out: Vec::new(),
    };
    d.package(old, new);
    d.services();
    let old_refs = oi.externally_referenced(old);
    d.messages(&old_refs);
    d.enums(&old_refs);
    d.out
}

struct Differ<'x, 'a> {
    oi: &'x Index<'a>,
    ni: &'x Index<'a>,
    out: Vec<Change>,
}

fn field_value(f: &Field) -> String {
    match f.label {
        Label::None => format!("{} = {}", f.ty, f.number),
        l => format!("{} {} = {}", l.as_str(), f.ty, f.number),
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

fn keys<'k, V>(a: &'k BTreeMap<String, V>, b: &'k BTreeMap<String, V>) -> Vec<&'k String> {
    let mut k: Vec<&String> = a.keys().chain(b.keys()).collect();
    k.sort();
    k.dedup();
    k
}

impl Differ<'_, '_> {
    fn push(&mut self, c: Change) {
        self.out.push(c);
    }

    fn package(&mut self, old: &ProtoFile, new: &ProtoFile) {
        if old.package == new.package {
            return;
        }
        let show = |p: &Option<String>| p.clone().unwrap_or_else(|| "(none)".to_string());
        let mut c = Change::new(
            "grpc.package",
            ChangeType::Modified,
            Breaking,
            format!(
                "package changed from {} to {}: every service, rpc and message name changes",
                show(&old.package),
                show(&new.package)
            ),
        );
        c.old_value = old.package.clone().map(Into::into);
        c.new_value = new.package.clone().map(Into::into);
        self.push(c);
    }

    fn services(&mut self) {
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

    fn messages(&mut self, old_refs: &HashSet<&str>) {
        for name in keys(&self.oi.messages, &self.ni.messages) {
            let path = format!("grpc.messages[{name}]");
            match (self.oi.messages.get(name), self.ni.messages.get(name)) {
                (Some(_), None) => self.push(removed_type(path, "message", name, old_refs)),
                (None, Some(_)) => self.push(Change::new(
                    path,
                    ChangeType::Added,
                    NonBreaking,
                    format!("message {name} was added"),
                )),
                (Some(o), Some(n)) => self.fields(&path, *o, *n),
                (None, None) => {}
            }
        }
    }

    fn fields(&mut self, path: &str, (os, o): (usize, &Message), (ns, n): (usize, &Message)) {
        let ob: BTreeMap<u32, &Field> = o.fields.iter().map(|f| (f.number, f)).collect();
        let nb: BTreeMap<u32, &Field> = n.fields.iter().map(|f| (f.number, f)).collect();
        let mut new_matched: HashSet<u32> = HashSet::new();
        let mut old_unmatched: Vec<&Field> = Vec::new();
        let old_names: HashSet<&str> = o.fields.iter().map(|f| f.name.as_str()).collect();
        let new_names: HashSet<&str> = n.fields.iter().map(|f| f.name.as_str()).collect();
        for (num, of) in &ob {
            match nb.get(num) {
                Some(nf) => {
                    new_matched.insert(*num);
                    // Same number, different name, and a name survives elsewhere: numbers were
                    // swapped or reassigned, so old data lands in a different field.
                    let reassigned = of.name != nf.name
                        && (new_names.contains(of.name.as_str())
                            || old_names.contains(nf.name.as_str()));
                    if reassigned {
                        self.push(
                            Change::new(
                                format!("{path}.fields[{}]", of.name),
                                ChangeType::Modified,
                                Breaking,
                                format!(
                                    "number {num} moved from field {} to field {}: data written by old peers lands in a different field",
                                    of.name, nf.name
                                ),
                            )
                            .with_old(field_value(of))
                            .with_new(field_value(nf)),
                        );
                        continue;
                    }
                    self.field_modified(path, (os, of), (ns, nf));
                }
                None => old_unmatched.push(of),
            }
        }
        let mut new_by_name: HashMap<&str, &Field> = nb
            .values()
            .filter(|f| !new_matched.contains(&f.number))
            .map(|f| (f.name.as_str(), *f))
            .collect();
        for of in old_unmatched {
            if let Some(nf) = new_by_name.remove(of.name.as_str()) {
                new_matched.insert(nf.number);
                self.field_modified(path, (os, of), (ns, nf));
                continue;
            }
            let fpath = format!("{path}.fields[{}]", of.name);
            let (class, why) = if n.reserved.contains_number(i64::from(of.number)) {
                (
                    PotentialBreaking,
                    format!(
                        "field {} was removed and its number {} is reserved: old data is skipped safely, but clients that set it lose the value",
                        of.name, of.number
                    ),
                )
            } else {
                (
                    Breaking,
                    format!(
                        "field {} was removed without reserving number {}: clients lose it and the number can be reused with another type",
                        of.name, of.number
                    ),
                )
            };
            self.push(
                Change::new(fpath, ChangeType::Removed, class, why).with_old(field_value(of)),
            );
        }
        for nf in nb.values().filter(|f| !new_matched.contains(&f.number)) {
            let (class, why) = if nf.label == Label::Required {
                (
                    Breaking,
                    format!(
                        "required field {} was added: messages from old senders fail to parse",
                        nf.name
                    ),
                )
            } else {
                (NonBreaking, format!("field {} was added", nf.name))
            };
            self.push(
                Change::new(
                    format!("{path}.fields[{}]", nf.name),
                    ChangeType::Added,
                    class,
                    why,
                )
                .with_new(field_value(nf)),
            );
        }
    }

    fn field_modified(&mut self, path: &str, (os, a): (usize, &Field), (ns, b): (usize, &Field)) {
        let mut aspects: Vec<(Classification, String)> = Vec::new();
        if a.name != b.name {
            aspects.push((
                PotentialBreaking,
                format!(
                    "renamed from {} to {} with the same number {}: wire compatible, but JSON and text-format clients break",
                    a.name, b.name, b.number
                ),
            ));
        }
        if a.number != b.number {
            aspects.push((
                Breaking,
                format!("number changed from {} to {}", a.number, b.number),
            ));
        }
        let (at, bt) = (self.oi.resolved_type(os, a), self.ni.resolved_type(ns, b));
        if at != bt {
            aspects.push((Breaking, format!("type changed from {at} to {bt}")));
        }
        aspects.extend(label_change(a.label, b.label));
        match (&a.oneof, &b.oneof) {
            (None, Some(x)) => aspects.push((PotentialBreaking, format!("moved into oneof {x}"))),
            (Some(x), None) => aspects.push((PotentialBreaking, format!("moved out of oneof {x}"))),
            (Some(x), Some(y)) if x != y => aspects.push((
                PotentialBreaking,
                format!("moved from oneof {x} to oneof {y}"),
            )),
            _ => {}
        }
        for (opt, what) in [("json_name", "JSON name"), ("default", "default value")] {
            let (x, y) = (a.option(opt), b.option(opt));
            if x != y {
                let show = |v: Option<&super::ast::OptionValue>| {
                    v.map_or_else(|| "(unset)".to_string(), ToString::to_string)
                };
                aspects.push((
                    PotentialBreaking,
                    format!("{what} changed from {} to {}", show(x), show(y)),
                ));
            }
        }
        let deprecated = |f: &Field| {
            f.option("deprecated")
                .is_some_and(|v| v.to_string() == "true")
        };
        match (deprecated(a), deprecated(b)) {
            (false, true) => aspects.push((NonBreaking, "marked deprecated".to_string())),
            (true, false) => aspects.push((NonBreaking, "no longer deprecated".to_string())),
            _ => {}
        }
        let Some(class) = aspects.iter().map(|(c, _)| *c).max() else {
            return;
        };
        let reason = aspects
            .into_iter()
            .map(|(_, r)| r)
            .collect::<Vec<_>>()
            .join("; ");
        self.push(
            Change::new(
                format!("{path}.fields[{}]", a.name),
                ChangeType::Modified,
                class,
                format!("field {}: {reason}", a.name),
            )
            .with_old(field_value(a))
            .with_new(field_value(b)),
        );
    }

    fn enums(&mut self, old_refs: &HashSet<&str>) {
        for name in keys(&self.oi.enums, &self.ni.enums) {
            let path = format!("grpc.enums[{name}]");
            match (self.oi.enums.get(name), self.ni.enums.get(name)) {
                (Some(_), None) => self.push(removed_type(path, "enum", name, old_refs)),
                (None, Some(_)) => self.push(Change::new(
                    path,
                    ChangeType::Added,
                    NonBreaking,
                    format!("enum {name} was added"),
                )),
                (Some(o), Some(n)) => self.enum_values(&path, o, n),
                (None, None) => {}
            }
        }
    }

    fn enum_values(&mut self, path: &str, o: &Enum, n: &Enum) {
        let value = |name: &str, number: i32| format!("{name} = {number}");
        let mut new_by_name: HashMap<&str, i32> = HashMap::new();
        for v in &n.values {
            new_by_name.entry(&v.name).or_insert(v.number);
        }
        let old_names: HashSet<&str> = o.values.iter().map(|v| v.name.as_str()).collect();
        // New names taken as the new name of a renamed old value (same number).
        let mut claimed: HashSet<&str> = HashSet::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for v in &o.values {
            if !seen.insert(&v.name) {
                continue;
            }
            let vpath = format!("{path}.values[{}]", v.name);
            if let Some(&num) = new_by_name.get(v.name.as_str()) {
                if num != v.number {
                    self.push(
                        Change::new(
                            vpath,
                            ChangeType::Modified,
                            Breaking,
                            format!(
                                "enum value {} changed number from {} to {num}",
                                v.name, v.number
                            ),
                        )
                        .with_old(value(&v.name, v.number))
                        .with_new(value(&v.name, num)),
                    );
                }
                continue;
            }
            let renamed = n.values.iter().find(|nv| {
                nv.number == v.number
                    && !old_names.contains(nv.name.as_str())
                    && !claimed.contains(nv.name.as_str())
            });
            let change = match renamed {
                Some(nv) => {
                    claimed.insert(&nv.name);
                    Change::new(
                        vpath,
                        ChangeType::Modified,
                        PotentialBreaking,
                        format!(
                            "enum value {} renamed to {} with the same number {}: wire compatible, but JSON and text-format clients break",
                            v.name, nv.name, v.number
                        ),
                    )
                    .with_old(value(&v.name, v.number))
                    .with_new(value(&nv.name, nv.number))
                }
                None => Change::new(
                    vpath,
                    ChangeType::Removed,
                    Breaking,
                    format!("enum value {} ({}) was removed", v.name, v.number),
                )
                .with_old(value(&v.name, v.number)),
            };
            self.push(change);
        }
        let mut seen_new: HashSet<&str> = HashSet::new();
        for v in &n.values {
            let name = v.name.as_str();
            if old_names.contains(name) || claimed.contains(name) || !seen_new.insert(name) {
                continue;
            }
            self.push(
                Change::new(
                    format!("{path}.values[{name}]"),
                    ChangeType::Added,
                    NonBreaking,
                    format!("enum value {name} ({}) was added", v.number),
                )
                .with_new(value(name, v.number)),
            );
        }
    }
}

/// Removing a type used by an rpc or another message is BREAKING; an unreferenced one is
/// wire-safe for this file but may still be imported elsewhere, so POTENTIAL.
fn removed_type(path: String, kind: &str, name: &str, old_refs: &HashSet<&str>) -> Change {
    if old_refs.contains(name) {
        Change::new(
            path,
            ChangeType::Removed,
            Breaking,
            format!("{kind} {name} was removed while an rpc or field used it"),
        )
    } else {
        Change::new(
            path,
            ChangeType::Removed,
            PotentialBreaking,
            format!(
                "{kind} {name} was removed; nothing in this file used it, but files importing it break"
            ),
        )
    }
}

/// Wire and API effect of a label change.
fn label_change(a: Label, b: Label) -> Option<(Classification, String)> {
    if a == b {
        return None;
    }
    let show = |l: Label| match l {
        Label::None => "no label",
        l => l.as_str(),
    };
    let what = format!("label changed from {} to {}", show(a), show(b));
    let repeated = (a == Label::Repeated) != (b == Label::Repeated);
    let required = (a == Label::Required) != (b == Label::Required);
    if repeated {
        Some((
            Breaking,
            format!("{what}: repeated and singular fields are not interchangeable"),
        ))
    } else if required {
        Some((
            Breaking,
            format!("{what}: required-ness changes which messages parse"),
        ))
    } else {
        Some((
            PotentialBreaking,
            format!("{what}: field presence changes; wire compatible, generated code differs"),
        ))
    }
}
