//! Flattened view of a parsed file: every message, enum and service by fully-qualified name,
//! and protobuf scope rules to resolve the type names fields and rpcs refer to.

use std::collections::{BTreeMap, HashSet};

use super::ast::{Enum, Field, FieldType, Message, ProtoFile, Service};

const SCALARS: &[&str] = &[
    "double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32",
    "fixed64", "sfixed32", "sfixed64", "bool", "string", "bytes",
];

pub struct Index<'a> {
    pub package: String,
    pub messages: BTreeMap<String, &'a Message>,
    pub enums: BTreeMap<String, &'a Enum>,
    pub services: BTreeMap<String, &'a Service>,
    /// Type names and package prefixes, for scope lookup.
    symbols: HashSet<String>,
}

pub fn join(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_string()
    } else {
        format!("{scope}.{name}")
    }
}

impl<'a> Index<'a> {
    pub fn build(file: &'a ProtoFile) -> Self {
        let package = file.package.clone().unwrap_or_default();
        let mut ix = Index {
            package: package.clone(),
            messages: BTreeMap::new(),
            enums: BTreeMap::new(),
            services: BTreeMap::new(),
            symbols: HashSet::new(),
        };
        let mut prefix = String::new();
        for part in package.split('.').filter(|p| !p.is_empty()) {
            prefix = join(&prefix, part);
            ix.symbols.insert(prefix.clone());
        }
        // Explicit stack instead of recursion: the parser bounds depth, this stays cheap anyway.
        let mut stack: Vec<(String, &'a Message)> = file
            .messages
            .iter()
            .map(|m| (join(&package, &m.name), m))
            .collect();
        for e in &file.enums {
            ix.add_enum(join(&package, &e.name), e);
        }
        while let Some((full, m)) = stack.pop() {
            for e in &m.enums {
                ix.add_enum(join(&full, &e.name), e);
            }
            for nested in &m.messages {
                stack.push((join(&full, &nested.name), nested));
            }
            ix.symbols.insert(full.clone());
            // First definition wins on duplicate names.
            ix.messages.entry(full).or_insert(m);
        }
        for s in &file.services {
            ix.services.entry(join(&package, &s.name)).or_insert(s);
        }
        ix
    }

    fn add_enum(&mut self, full: String, e: &'a Enum) {
        self.symbols.insert(full.clone());
        self.enums.entry(full).or_insert(e);
    }

    /// Resolves `name` as written inside `scope` (a message's or the package's full name):
    /// innermost scope first, like protoc. Names not defined in this file (imports) are kept
    /// as written, without a leading dot.
    pub fn resolve(&self, scope: &str, name: &str) -> String {
        if let Some(abs) = name.strip_prefix('.') {
            return abs.to_string();
        }
        if SCALARS.contains(&name) {
            return name.to_string();
        }
        let mut scope = scope;
        loop {
            let candidate = join(scope, name);
            if self.symbols.contains(&candidate) {
                return candidate;
            }
            if scope.is_empty() {
                return name.to_string();
            }
            scope = scope.rsplit_once('.').map_or("", |(parent, _)| parent);
        }
    }

    /// The field's type with message/enum names resolved, for comparison.
    pub fn resolved_type(&self, scope: &str, field: &Field) -> String {
        match &field.ty {
            FieldType::Named(n) => self.resolve(scope, n),
            FieldType::Map { key, value } => format!("map<{key}, {}>", self.resolve(scope, value)),
            FieldType::Group(n) => format!("group {}", self.resolve(scope, n)),
        }
    }

    /// Full names of messages/enums referenced from outside their own definition (by a
    /// field of another message, an extension, or an rpc).
    pub fn externally_referenced(&self, file: &ProtoFile) -> HashSet<String> {
        let mut out = HashSet::new();
        let mut note = |referrer: &str, target: String| {
            let inside = referrer == target
                || referrer
                    .strip_prefix(target.as_str())
                    .is_some_and(|rest| rest.starts_with('.'));
            if !inside {
                out.insert(target);
            }
        };
        for (full, m) in &self.messages {
            for f in &m.fields {
                note(full, self.target(full, f));
            }
            for ext in &m.extends {
                note(full, self.resolve(full, &ext.extendee));
                for f in &ext.fields {
                    note(full, self.target(full, f));
                }
            }
        }
        for ext in &file.extends {
            note("", self.resolve(&self.package, &ext.extendee));
            for f in &ext.fields {
                note("", self.target(&self.package, f));
            }
        }
        for (full, s) in &self.services {
            for r in &s.rpcs {
                note(full, self.resolve(&self.package, &r.request));
                note(full, self.resolve(&self.package, &r.response));
            }
        }
        out
    }

    fn target(&self, scope: &str, f: &Field) -> String {
        match &f.ty {
            FieldType::Named(n) | FieldType::Group(n) => self.resolve(scope, n),
            FieldType::Map { value, .. } => self.resolve(scope, value),
        }
    }
}
