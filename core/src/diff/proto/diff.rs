//! Classifies the differences between two `.proto` files.
//!
//! Paths: `grpc.package`, `grpc.services[pkg.S]`, `grpc.rpcs[pkg.S.M]`, `grpc.messages[pkg.M]`
//! (nested `pkg.Outer.Inner`), `grpc.messages[..].fields[f]`, `grpc.enums[pkg.E]`,
//! `grpc.enums[..].values[V]`. Names carry the package because it is part of the gRPC method
//! path and of every type name on the wire (`Any`, JSON `@type`). Fields are matched by number
//! first (wire identity), then by name; type names are compared after scope resolution, so
//! `Foo` and `.pkg.Foo` are the same type.

mod fields;
mod services;

use std::collections::{BTreeMap, HashMap, HashSet};

use super::ast::{Enum, ProtoFile};
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
