//! Direction-aware JSON Schema diff (configuration and policy schemas, OpenAPI and
//! AsyncAPI payloads).
//!
//! Whether a schema change breaks anyone depends on who writes the data and who reads it:
//! tightening an *input* schema (one the service's users must satisfy, like a
//! configuration schema or a request body) breaks those users, while tightening an
//! *output* schema (a response the service produces) only promises readers more.
//!
//! | event                                   | Input | Output | Policy | Unknown |
//! |-----------------------------------------|-------|--------|--------|---------|
//! | property added                          | NON   | NON    | POT    | POT     |
//! | property removed                        | POT   | BRK    | POT    | POT     |
//! | `required` entry added                  | BRK   | NON    | BRK    | BRK     |
//! | `required` entry removed                | NON   | POT    | POT    | BRK     |
//! | tightened (see below)                   | BRK   | NON    | BRK    | POT     |
//! | loosened (the reverse)                  | NON   | POT    | POT    | POT     |
//! | type widened (e.g. `nullable` added)    | NON   | BRK    | POT    | POT     |
//! | type changed to an unrelated type       | BRK   | BRK    | BRK    | BRK     |
//! | `deprecated` changed                    | NON   | NON    | NON    | NON     |
//! | anything else (pattern, format, ...)    | POT   | POT    | POT    | POT     |
//!
//! Tightening = an enum value removed or `enum` introduced, a type narrowed, a lower
//! bound raised or upper bound lowered (`minimum`, `maxLength`, ...), or
//! `additionalProperties: false` introduced.
//!
//! Removing a property from an input schema is only POTENTIAL: old values may still be
//! accepted unless `additionalProperties: false`. Documentation keywords (`description`,
//! `title`, `example(s)`, `$comment`, `externalDocs`, `x-*`) are not diffed. A policy
//! constrains the contract itself, so only tightening it can fail a contract that used
//! to pass (BREAKING); every other policy change is POTENTIAL. Unknown direction keeps
//! the reference's conservative rule (any `required` change BREAKING).

mod events;
mod keywords;
mod values;

use super::change::{Change, ChangeType, Classification};
use super::refs::{deref, ref_of};
use serde_json::Value;
use std::collections::{BTreeSet, HashSet};

use events::Event;
use keywords::{emit, enums, keyword_change, required};
pub(crate) use values::unchanged;
use values::{covers, type_set, type_value};

/// Who produces the data a schema describes, relative to the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchemaDirection {
    /// Data the service consumes (configuration, request bodies, received messages).
    Input,
    /// Data the service produces (responses, sent messages).
    Output,
    /// A policy schema the contract itself must satisfy.
    Policy,
    /// Direction not known: conservative rules.
    Unknown,
}

/// Diffs two standalone JSON Schema documents; `prefix` starts every change path
/// (e.g. `configurations[default].schema`). Local `$ref`s resolve within each document.
pub fn diff_json_schema(
    prefix: &str,
    old: &Value,
    new: &Value,
    direction: SchemaDirection,
) -> Vec<Change> {
    let mut out = Vec::new();
    let mut walker = SchemaWalker::new(old, new);
    walker.diff(prefix, old, new, direction, &mut out);
    out
}

/// Deepest nesting compared; deeper schemas are reported once as not comparable.
const MAX_DEPTH: usize = 64;
/// Schema nodes visited per walker before giving up (guards ref fan-out bombs).
const MAX_VISITS: usize = 500_000;
/// Changes collected (in the caller's list) before giving up.
const MAX_CHANGES: usize = 50_000;

/// Keywords that only document a schema.
const DOC_KEYWORDS: [&str; 6] = [
    "description",
    "title",
    "example",
    "examples",
    "$comment",
    "externalDocs",
];
/// Keywords holding one sub-schema.
const SCHEMA_KEYWORDS: [&str; 11] = [
    "items",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "additionalItems",
    "unevaluatedProperties",
    "unevaluatedItems",
];
/// Keywords holding an array of sub-schemas.
const SCHEMA_ARRAY_KEYWORDS: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keywords holding a map of sub-schemas.
const SCHEMA_MAP_KEYWORDS: [&str; 2] = ["patternProperties", "dependentSchemas"];
/// Lower bounds: raising them tightens.
const MIN_KEYWORDS: [&str; 5] = [
    "minimum",
    "exclusiveMinimum",
    "minLength",
    "minItems",
    "minProperties",
];
/// Upper bounds: lowering them tightens.
const MAX_KEYWORDS: [&str; 5] = [
    "maximum",
    "exclusiveMaximum",
    "maxLength",
    "maxItems",
    "maxProperties",
];
/// Handled explicitly (or deliberately not walked: definitions are reached via `$ref`).
const HANDLED: [&str; 8] = [
    "type",
    "nullable",
    "enum",
    "required",
    "properties",
    "$ref",
    "$defs",
    "definitions",
];

/// Compares schema nodes within two documents, resolving local refs against each root.
/// One walker may serve many comparisons so its visit budget covers a whole spec.
pub(crate) struct SchemaWalker<'a> {
    old_root: &'a Value,
    new_root: &'a Value,
    visits: usize,
    exhausted: bool,
    /// Resolved (old, new, direction) targets already compared without any change:
    /// shared components are then skipped instead of re-walked at every use.
    clean: HashSet<(usize, usize, SchemaDirection)>,
}

struct Walk<'a, 'o> {
    dir: SchemaDirection,
    out: &'o mut Vec<Change>,
    /// `$ref` pairs on the current descent, to stop on recursive schemas.
    stack: Vec<(Option<&'a str>, Option<&'a str>)>,
}

impl<'a> SchemaWalker<'a> {
    pub(crate) fn new(old_root: &'a Value, new_root: &'a Value) -> Self {
        Self {
            old_root,
            new_root,
            visits: 0,
            exhausted: false,
            clean: HashSet::new(),
        }
    }

    /// Appends the changes between schema nodes `old` and `new` (within the roots).
    pub(crate) fn diff(
        &mut self,
        path: &str,
        old: &'a Value,
        new: &'a Value,
        dir: SchemaDirection,
        out: &mut Vec<Change>,
    ) {
        let mut w = Walk {
            dir,
            out,
            stack: Vec::new(),
        };
        self.node(&mut w, path, old, new, 0);
    }

    fn node(
        &mut self,
        w: &mut Walk<'a, '_>,
        path: &str,
        old: &'a Value,
        new: &'a Value,
        depth: usize,
    ) {
        if self.exhausted || unchanged(old, new) {
            return;
        }
        self.visits += 1;
        if self.visits > MAX_VISITS || w.out.len() > MAX_CHANGES || depth > MAX_DEPTH {
            self.exhausted = depth <= MAX_DEPTH;
            w.out.push(Change::new(
                path,
                ChangeType::Modified,
                Classification::PotentialBreaking,
                format!("{path}: schema too large or deep to compare fully"),
            ));
            return;
        }
        let (o, o_ref) = deref(self.old_root, old);
        let (n, n_ref) = deref(self.new_root, new);
        if o_ref.is_none() && n_ref.is_none() {
            return self.compare(w, path, o, n, depth);
        }
        let key = (o_ref, n_ref);
        let target = (
            std::ptr::from_ref(o) as usize,
            std::ptr::from_ref(n) as usize,
            w.dir,
        );
        if w.stack.contains(&key) || self.clean.contains(&target) {
            // Recursive schema (this pair is being compared above) or known unchanged.
            return;
        }
        w.stack.push(key);
        let before = w.out.len();
        self.compare(w, path, o, n, depth);
        w.stack.pop();
        if w.out.len() == before && !self.exhausted {
            self.clean.insert(target);
        }
    }

    fn compare(
        &mut self,
        w: &mut Walk<'a, '_>,
        path: &str,
        o: &'a Value,
        n: &'a Value,
        depth: usize,
    ) {
        let (Value::Object(om), Value::Object(nm)) = (o, n) else {
            if o != n {
                emit(
                    w,
                    path,
                    ChangeType::Modified,
                    Event::Other,
                    Some(o),
                    Some(n),
                    "schema changed",
                );
            }
            return;
        };
        // An unresolvable (remote) ref on either side: compare the ref strings only.
        if let (Some(a), Some(b)) = (ref_of(o), ref_of(n)) {
            if a != b {
                emit(
                    w,
                    &format!("{path}.$ref"),
                    ChangeType::Modified,
                    Event::Other,
                    om.get("$ref"),
                    nm.get("$ref"),
                    "reference changed",
                );
            }
            return;
        }
        self.types(w, path, o, n);
        enums(w, path, o.get("enum"), n.get("enum"));
        required(w, path, o.get("required"), n.get("required"));
        self.properties(w, path, o.get("properties"), n.get("properties"), depth);

        let keys: BTreeSet<&String> = om.keys().chain(nm.keys()).collect();
        for k in keys {
            let kw = k.as_str();
            if HANDLED.contains(&kw) || DOC_KEYWORDS.contains(&kw) || kw.starts_with("x-") {
                continue;
            }
            let (a, b) = (om.get(kw), nm.get(kw));
            if let (Some(x), Some(y)) = (a, b)
                && unchanged(x, y)
            {
                continue;
            }
            let p = format!("{path}.{kw}");
            if SCHEMA_KEYWORDS.contains(&kw)
                && let (Some(a @ Value::Object(_)), Some(b @ Value::Object(_))) = (a, b)
            {
                self.node(w, &p, a, b, depth + 1);
            } else if SCHEMA_ARRAY_KEYWORDS.contains(&kw)
                && let (Some(Value::Array(a)), Some(Value::Array(b))) = (a, b)
            {
                for i in 0..a.len().max(b.len()) {
                    let ip = format!("{p}[{i}]");
                    match (a.get(i), b.get(i)) {
                        (Some(x), Some(y)) => self.node(w, &ip, x, y, depth + 1),
                        (x, y) => keyword_change(w, &ip, kw, x, y),
                    }
                }
            } else if SCHEMA_MAP_KEYWORDS.contains(&kw)
                && let (Some(Value::Object(a)), Some(Value::Object(b))) = (a, b)
            {
                let names: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
                for name in names {
                    let ip = format!("{p}.{name}");
                    match (a.get(name.as_str()), b.get(name.as_str())) {
                        (Some(x), Some(y)) => self.node(w, &ip, x, y, depth + 1),
                        (x, y) => keyword_change(w, &ip, kw, x, y),
                    }
                }
            } else if a != b {
                keyword_change(w, &p, kw, a, b);
            }
        }
    }

    fn types(&mut self, w: &mut Walk<'a, '_>, path: &str, o: &'a Value, n: &'a Value) {
        let (a, b) = (type_set(o), type_set(n));
        if a == b {
            return;
        }
        let p = format!("{path}.type");
        let (ov, nv) = (type_value(o), type_value(n));
        let (ct, ev) = match (&a, &b) {
            (None, Some(_)) => (ChangeType::Added, Event::Tightened),
            (Some(_), None) => (ChangeType::Removed, Event::TypeWidened),
            // The new set accepts every old type: widened; the reverse: narrowed.
            (Some(a), Some(b)) if covers(b, a) => (ChangeType::Modified, Event::TypeWidened),
            (Some(a), Some(b)) if covers(a, b) => (ChangeType::Modified, Event::Tightened),
            _ => (ChangeType::Modified, Event::TypeChanged),
        };
        emit(w, &p, ct, ev, ov.as_ref(), nv.as_ref(), "type changed");
    }

    fn properties(
        &mut self,
        w: &mut Walk<'a, '_>,
        path: &str,
        a: Option<&'a Value>,
        b: Option<&'a Value>,
        depth: usize,
    ) {
        let a = a.and_then(Value::as_object);
        let b = b.and_then(Value::as_object);
        let names: BTreeSet<&String> = a.iter().chain(b.iter()).flat_map(|m| m.keys()).collect();
        for name in names {
            let (x, y) = (
                a.and_then(|m| m.get(name.as_str())),
                b.and_then(|m| m.get(name.as_str())),
            );
            if let (Some(x), Some(y)) = (x, y)
                && unchanged(x, y)
            {
                continue;
            }
            let p = format!("{path}.properties.{name}");
            let key = Value::String(name.clone());
            match (x, y) {
                (Some(x), Some(y)) => self.node(w, &p, x, y, depth + 1),
                (None, Some(_)) => emit(
                    w,
                    &p,
                    ChangeType::Added,
                    Event::PropertyAdded,
                    None,
                    Some(&key),
                    &format!("property '{name}' added"),
                ),
                (Some(_), None) => emit(
                    w,
                    &p,
                    ChangeType::Removed,
                    Event::PropertyRemoved,
                    Some(&key),
                    None,
                    &format!("property '{name}' removed"),
                ),
                (None, None) => {}
            }
        }
    }
}
