//! The 1.x → 2.0 mapping table, row by row: identity and owner, interfaces (with OpenAPI
//! stubs), configurations, policies, dependencies, workload and state. Runtime probes
//! and the 1.x-only facts are in `lossy.rs`, readiness in `readiness.rs`.

use super::ctx::Ctx;
use super::{MigrateError, MigrateOptions, MigrationNote, NoteKind};
use crate::bundle::Bundle;
use crate::model::{
    Contract, Dependency, Interface, InterfaceType, Owner, OwnerInfo, PactoVersion, Preserved,
    Protocol, Service,
};
use serde_json::{Map, Value};

pub(super) type Mapped = (Contract, Vec<(String, Vec<u8>)>, Vec<MigrationNote>);

pub(super) fn map(
    src: &Contract,
    bundle: &Bundle,
    opts: &MigrateOptions,
) -> Result<Mapped, MigrateError> {
    let mut cx = Ctx {
        src,
        bundle,
        opts,
        notes: Vec::new(),
        kept: Preserved::default(),
        capabilities: Vec::new(),
        metadata: src.metadata.clone(),
        files: Vec::new(),
    };
    cx.note(
        NoteKind::Mapped,
        "pactoVersion",
        format!("\"{}\" -> \"2.0\"", src.pacto_version),
    );
    let owner = owner(&mut cx);
    let interfaces = interfaces(&mut cx)?;
    let configurations = configurations(&mut cx);
    let policies = policies(&mut cx);
    let dependencies = dependencies(&mut cx);
    let (workload, state) = match &src.runtime {
        Some(r) => {
            cx.note(NoteKind::Mapped, "runtime.workload", "-> workload");
            cx.note(NoteKind::Mapped, "runtime.state", "-> state");
            (Some(r.workload), Some(r.state.clone()))
        }
        None => (None, None),
    };
    super::lossy::runtime_probes(&mut cx);
    super::lossy::deployment_facts(&mut cx);
    let readiness = super::readiness::map(&mut cx);
    let extensions = super::lossy::extensions(&cx);
    let out = Contract {
        pacto_version: PactoVersion::V2_0,
        service: Service {
            name: src.service.name.clone(),
            version: src.service.version.clone(),
            owner,
            image: None,
            chart: None,
        },
        interfaces,
        configuration: None,
        configurations,
        policy: None,
        policies,
        dependencies,
        runtime: None,
        state,
        workload,
        capabilities: cx.capabilities,
        scaling: None,
        readiness,
        metadata: cx.metadata,
        extensions,
    };
    Ok((out, cx.files, cx.notes))
}

/// `^[a-zA-Z0-9._/-]+$`, the 2.0 `owner.team` pattern.
fn is_team_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'/' | b'-'))
}

fn owner(cx: &mut Ctx<'_>) -> Option<Owner> {
    match cx.src.service.owner.clone()? {
        Owner::Info(info) => Some(Owner::Info(info)),
        Owner::Name(name) if is_team_name(&name) => {
            cx.note(
                NoteKind::Mapped,
                "service.owner",
                format!("string owner \"{name}\" -> service.owner.team"),
            );
            Some(Owner::Info(OwnerInfo {
                team: Some(name),
                dri: None,
                contacts: Vec::new(),
            }))
        }
        Owner::Name(name) => {
            let meta = cx.metadata.get_or_insert_with(Map::new);
            let key = free_key(meta, "owner");
            meta.insert(key.clone(), Value::String(name.clone()));
            cx.note(
                NoteKind::Preserved,
                "service.owner",
                format!("\"{name}\" is not a team name (letters, digits, '.', '_', '/', '-'), so it is kept as metadata.{key}: set service.owner.team, dri or contacts"),
            );
            None
        }
    }
}

/// `base`, else `base-2`, `base-3`, ... : the first key `map` does not hold.
fn free_key(map: &Map<String, Value>, base: &str) -> String {
    let mut key = base.to_string();
    let mut n = 2;
    while map.contains_key(&key) {
        key = format!("{base}-{n}");
        n += 1;
    }
    key
}

fn interfaces(cx: &mut Ctx<'_>) -> Result<Vec<Interface>, MigrateError> {
    let mut out = Vec::new();
    for (i, iface) in cx.src.interfaces.iter().enumerate() {
        let at = format!("interfaces[{i}]");
        let kind = InterfaceType::v2_for(iface.protocol());
        if kind != iface.kind {
            cx.note(
                NoteKind::Mapped,
                format!("{at}.type"),
                format!("{} -> {kind}", iface.kind),
            );
        }
        let reference = match iface.spec_file() {
            Some(file) => {
                cx.note(NoteKind::Mapped, format!("{at}.contract"), "-> ref");
                file.to_string()
            }
            None if iface.protocol() == Protocol::Http => stub(cx, &iface.name, &at)?,
            None => {
                return Err(MigrateError::SpecRequired {
                    interface: iface.name.clone(),
                    protocol: iface.protocol().to_string(),
                });
            }
        };
        if let Some(port) = iface.port {
            cx.kept.ports.insert(iface.name.clone(), port);
            super::lossy::note_lossy(
                cx,
                format!("{at}.port"),
                &format!(
                    "port {port} (bind it with the Pacto CR's target.interfaceBindings[].servicePort)"
                ),
                &format!("ports.{}", iface.name),
            );
        }
        out.push(Interface {
            name: iface.name.clone(),
            kind,
            port: None,
            visibility: iface.visibility,
            contract: None,
            reference: Some(reference),
        });
    }
    Ok(out)
}

/// Writes a minimal OpenAPI document for an http interface that had none.
fn stub(cx: &mut Ctx<'_>, name: &str, at: &str) -> Result<String, MigrateError> {
    let base: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let base = if base.starts_with('.') || base.is_empty() {
        format!("interface{base}")
    } else {
        base
    };
    let taken = |p: &str, files: &[(String, Vec<u8>)]| {
        cx.bundle.contains(p) || files.iter().any(|(f, _)| f == p)
    };
    let mut path = format!("interfaces/{base}.yaml");
    let mut n = 2;
    while taken(&path, &cx.files) {
        path = format!("interfaces/{base}-{n}.yaml");
        n += 1;
    }
    let doc = serde_json::json!({
        "openapi": "3.1.0",
        "info": {
            "title": format!("{} {name}", cx.src.service.name),
            "version": cx.src.service.version,
            "description": "Generated by `pacto migrate`: the 1.x http interface declared no contract. Describe its operations here.",
        },
        "paths": {},
    });
    let text = serde_saphyr::to_string(&doc).map_err(|e| MigrateError::Serialize(e.to_string()))?;
    cx.files.push((path.clone(), text.into_bytes()));
    cx.note(
        NoteKind::Stubbed,
        format!("{at}.contract"),
        format!("http interface '{name}' had no contract and 2.0 requires `ref`: wrote a minimal OpenAPI stub {path}; describe the API there"),
    );
    Ok(path)
}

fn configurations(cx: &mut Ctx<'_>) -> Vec<crate::model::Configuration> {
    let mut out = Vec::new();
    for (at, mut c) in cx.src.all_configurations() {
        let i = out.len();
        if at == "configuration" {
            cx.note(
                NoteKind::Mapped,
                "configuration",
                format!(
                    "1.0 singular form -> configurations[{i}] named '{}'",
                    c.display_name()
                ),
            );
        }
        c.required = Some(true);
        cx.note(
            NoteKind::Mapped,
            format!("{at}.required"),
            format!("configuration '{}' gets `required: true` (mandatory in 2.0; MIGRATION.md's choice): set false if the service runs without it", c.display_name()),
        );
        out.push(c);
    }
    out
}

fn policies(cx: &mut Ctx<'_>) -> Vec<crate::model::Policy> {
    let mut out = Vec::new();
    for (at, p) in cx.src.all_policies() {
        if at == "policy" {
            cx.note(
                NoteKind::Mapped,
                "policy",
                format!(
                    "1.0 singular form -> policies[{}] named '{}'",
                    out.len(),
                    p.display_name()
                ),
            );
        }
        out.push(p);
    }
    out
}

fn dependencies(cx: &mut Ctx<'_>) -> Vec<Dependency> {
    let mut names: Vec<String> = cx
        .src
        .dependencies
        .iter()
        .filter_map(|d| d.name.clone())
        .collect();
    let mut out = Vec::new();
    for (i, dep) in cx.src.dependencies.iter().enumerate() {
        let at = format!("dependencies[{i}]");
        let name = match &dep.name {
            Some(n) => n.clone(),
            None => {
                let base = dep.key();
                let mut name = base.clone();
                let mut n = 2;
                while names.contains(&name) {
                    name = format!("{base}-{n}");
                    n += 1;
                }
                names.push(name.clone());
                cx.note(
                    NoteKind::Mapped,
                    format!("{at}.name"),
                    format!(
                        "name '{name}' derived from the ref (mandatory in 2.0){}",
                        if name == base {
                            ""
                        } else {
                            "; suffixed, another dependency has that name"
                        }
                    ),
                );
                name
            }
        };
        if !dep.required {
            cx.note(
                NoteKind::Mapped,
                format!("{at}.required"),
                format!("dependency '{name}': `required: false` (the 1.x default) made explicit, as 2.0 requires"),
            );
        }
        out.push(Dependency {
            name: Some(name),
            reference: dep.reference.clone(),
            required: dep.required,
            compatibility: dep.compatibility.clone(),
        });
    }
    out
}
