//! The state of one mapping run, shared by the mapping rows (`mapping.rs`, `lossy.rs`,
//! `readiness.rs`).

use super::{MigrateOptions, MigrationNote, NoteKind};
use crate::bundle::Bundle;
use crate::model::{Capability, Contract, Preserved};
use serde_json::{Map, Value};

/// The state of one mapping run: the source, what is being built beside it, the notes.
pub(super) struct Ctx<'a> {
    pub src: &'a Contract,
    pub bundle: &'a Bundle,
    pub opts: &'a MigrateOptions,
    pub notes: Vec<MigrationNote>,
    pub kept: Preserved,
    pub capabilities: Vec<Capability>,
    pub metadata: Option<Map<String, Value>>,
    pub files: Vec<(String, Vec<u8>)>,
}

impl Ctx<'_> {
    pub fn note(&mut self, kind: NoteKind, path: impl Into<String>, message: impl Into<String>) {
        self.notes.push(MigrationNote {
            path: path.into(),
            kind,
            message: message.into(),
        });
    }
}
