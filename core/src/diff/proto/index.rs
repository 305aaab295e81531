//! Flattened view of a parsed file: every message, enum and service by fully-qualified name,
//! and protobuf scope rules to resolve the type names fields and rpcs refer to.
//!
//! Names live in a tree of scopes (package parts, messages, enums) so resolving one reference
//! costs a few short hash lookups and returns a borrowed full name: hostile files with deep,
//! long names and many fields stay linear.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use super::ast::{Enum, Field, FieldType, Message, ProtoFile, Service};

const SCALARS: &[&str] = &[
    "double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32",
    "fixed64", "sfixed32", "sfixed64", "bool", "string", "bytes",
];

/// Node 0 is the root (empty name).
struct Node<'a> {
    parent: Option<usize>,
    children: HashMap<&'a str, usize>,
    full: String,
}

pub struct Index<'a> {
    pub package: String,
    /// Scope node of the package (the root when there is none).
    pub package_node: usize,
    /// Messages by full name, with their scope node.
    pub messages: BTreeMap<String, (usize, &'a Message)>,
    pub enums: BTreeMap<String, &'a Enum>,
    pub services: BTreeMap<String, &'a Service>,
    nodes: Vec<Node<'a>>,
}

/// A field type with message/enum names resolved; compares and prints without allocating.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved<'s> {
    Named(&'s str),
    Map(&'s str, &'s str),
    Group(&'s str),
}

impl fmt::Display for Resolved<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Named(n) => f.write_str(n),
            Self::Map(k, v) => write!(f, "map<{k}, {v}>"),
            Self::Group(n) => write!(f, "group {n}"),
        }
    }
}

impl<'a> Index<'a> {
    pub fn build(file: &'a ProtoFile) -> Self {
        let mut ix = Index {
            package: file.package.clone().unwrap_or_default(),
            package_node: 0,
            messages: BTreeMap::new(),
            enums: BTreeMap::new(),
            services: BTreeMap::new(),
            nodes: vec![Node {
                parent: None,
                children: HashMap::new(),
                full: String::new(),
            }],
        };
        let mut pkg = 0;
        if let Some(p) = &file.package {
            for part in p.split('.') {
                pkg = ix.child(pkg, part);
            }
        }
        ix.package_node = pkg;
        for e in &file.enums {
            ix.add_enum(pkg, e);
        }
        // Explicit stack: depth is bounded by the parser, but no recursion is needed.
        let mut stack: Vec<(usize, &'a Message)> = file.messages.iter().map(|m| (pkg, m)).collect();
        while let Some((parent, m)) = stack.pop() {
            let node = ix.child(parent, &m.name);
            for e in &m.enums {
                ix.add_enum(node, e);
            }
            for nested in &m.messages {
                stack.push((node, nested));
            }
            // First definition wins on duplicate names.
            let full = ix.nodes[node].full.clone();
            ix.messages.entry(full).or_insert((node, m));
        }
        for s in &file.services {
            let full = join(&ix.package, &s.name);
            ix.services.entry(full).or_insert(s);
        }
        ix
    }

    /// The child scope `name` of `parent`, created if missing.
    fn child(&mut self, parent: usize, name: &'a str) -> usize {
        if let Some(&id) = self.nodes[parent].children.get(name) {
            return id;
        }
        let id = self.nodes.len();
        let full = join(&self.nodes[parent].full, name);
        self.nodes.push(Node {
            parent: Some(parent),
            children: HashMap::new(),
            full,
        });
        self.nodes[parent].children.insert(name, id);
        id
    }

    fn add_enum(&mut self, parent: usize, e: &'a Enum) {
        let node = self.child(parent, &e.name);
        let full = self.nodes[node].full.clone();
        self.enums.entry(full).or_insert(e);
    }

    fn descend(&self, from: usize, parts: std::str::Split<'_, char>) -> Option<usize> {
        let mut id = from;
        for p in parts {
            id = *self.nodes.get(id)?.children.get(p)?;
        }
        Some(id)
    }

    /// Resolves `name` as written inside `scope` like protoc: the innermost scope that
    /// defines the first component wins. Names not defined in this file (imports) are kept
    /// as written, without a leading dot.
    pub fn resolve<'s>(&'s self, scope: usize, name: &'s str) -> &'s str {
        if let Some(abs) = name.strip_prefix('.') {
            return self
                .descend(0, abs.split('.'))
                .map_or(abs, |id| self.nodes[id].full.as_str());
        }
        if SCALARS.contains(&name) {
            return name;
        }
        let first = name.split('.').next().unwrap_or(name);
        let mut at = Some(scope);
        while let Some(id) = at {
            let Some(node) = self.nodes.get(id) else {
                break;
            };
            if node.children.contains_key(first) {
                return self
                    .descend(id, name.split('.'))
                    .map_or(name, |found| self.nodes[found].full.as_str());
            }
            at = node.parent;
        }
        name
    }

    pub fn resolved_type<'s>(&'s self, scope: usize, field: &'s Field) -> Resolved<'s> {
        match &field.ty {
            FieldType::Named(n) => Resolved::Named(self.resolve(scope, n)),
            FieldType::Map { key, value } => Resolved::Map(key, self.resolve(scope, value)),
            FieldType::Group(n) => Resolved::Group(self.resolve(scope, n)),
        }
    }

    fn target<'s>(&'s self, scope: usize, f: &'s Field) -> &'s str {
        match &f.ty {
            FieldType::Named(n) | FieldType::Group(n) => self.resolve(scope, n),
            FieldType::Map { value, .. } => self.resolve(scope, value),
        }
    }

    /// Full names of messages/enums referenced from outside their own definition (by a
    /// field of another message, an extension, or an rpc).
    pub fn externally_referenced<'s>(&'s self, file: &'s ProtoFile) -> HashSet<&'s str> {
        let mut out = HashSet::new();
        let mut note = |referrer: &str, target: &'s str| {
            let inside = referrer == target
                || referrer
                    .strip_prefix(target)
                    .is_some_and(|rest| rest.starts_with('.'));
            if !inside {
                out.insert(target);
            }
        };
        for (full, (node, m)) in &self.messages {
            for f in &m.fields {
                note(full, self.target(*node, f));
            }
            for ext in &m.extends {
                note(full, self.resolve(*node, &ext.extendee));
                for f in &ext.fields {
                    note(full, self.target(*node, f));
                }
            }
        }
        let pkg = self.package_node;
        for ext in &file.extends {
            note("", self.resolve(pkg, &ext.extendee));
            for f in &ext.fields {
                note("", self.target(pkg, f));
            }
        }
        for (full, s) in &self.services {
            for r in &s.rpcs {
                note(full, self.resolve(pkg, &r.request));
                note(full, self.resolve(pkg, &r.response));
            }
        }
        out
    }
}

pub fn join(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_string()
    } else {
        format!("{scope}.{name}")
    }
}
