//! The rows 2.0 cannot express fully: `runtime.health`/`metrics` (bound only over http),
//! and the deployment facts with no 2.0 field (`scaling`, `service.image`/`chart`,
//! `runtime.lifecycle`, `initialDelaySeconds`, `interfaces[].port`), kept under
//! `extensions["pacto.trianalab.io/v1"]` (shape: `model::Preserved`) unless
//! `--drop-lossy`.

use super::ctx::Ctx;
use super::{NoteKind, preserved_at};
use crate::model::{Binding, Capability, CapabilityType, PRESERVED_EXTENSION, Protocol};
use serde_json::{Map, Value};

/// Notes a 1.x-only fact: preserved (at `key` under the extension) or dropped.
pub(super) fn note_lossy(cx: &mut Ctx<'_>, path: String, what: &str, key: &str) {
    if cx.opts.drop_lossy {
        cx.note(
            NoteKind::Lossy,
            path,
            format!("{what}: 2.0 has no field for it; dropped (--drop-lossy)"),
        );
    } else {
        cx.note(
            NoteKind::Preserved,
            path,
            format!(
                "{what}: 2.0 has no field for it; kept under {}",
                preserved_at(key)
            ),
        );
    }
}

/// `runtime.health` / `runtime.metrics` → `capabilities[]`.
pub(super) fn runtime_probes(cx: &mut Ctx<'_>) {
    let Some(runtime) = cx.src.runtime.clone() else {
        return;
    };
    if let Some(h) = &runtime.health {
        let path = endpoint(cx, CapabilityType::Health, &h.interface, h.path.as_deref());
        if let Some(p) = path {
            cx.kept.health_path = Some(p);
        }
        if let Some(delay) = h.initial_delay_seconds {
            cx.kept.health_initial_delay_seconds = Some(delay);
            note_lossy(
                cx,
                "runtime.health.initialDelaySeconds".into(),
                &format!("probe delay {delay}s"),
                "healthInitialDelaySeconds",
            );
        }
    }
    if let Some(m) = &runtime.metrics {
        let path = endpoint(cx, CapabilityType::Metrics, &m.interface, m.path.as_deref());
        if let Some(p) = path {
            cx.kept.metrics_path = Some(p);
        }
    }
}

/// Adds the capability; returns a 1.x http path 2.0 cannot bind (to preserve it).
fn endpoint(
    cx: &mut Ctx<'_>,
    kind: CapabilityType,
    interface: &str,
    path: Option<&str>,
) -> Option<String> {
    let section = kind.as_str();
    let at = format!("runtime.{section}");
    let n = cx.capabilities.len();
    let protocol = cx.src.interface(interface).map(|i| i.protocol());
    if protocol != Some(Protocol::Http) {
        cx.capabilities.push(Capability {
            kind,
            reference: None,
            binding: None,
        });
        let on = protocol.map_or("an undeclared".to_string(), |p| p.to_string());
        cx.note(
            NoteKind::Lossy,
            format!("{at}.interface"),
            format!("{section} is served by {on} interface '{interface}', but a 2.0 binding is http only: declared as an unbound capabilities[{n}] (the interface is not recorded)"),
        );
        if path.is_some() {
            cx.note(
                NoteKind::Lossy,
                format!("{at}.path"),
                format!("`path` on {on} interface '{interface}' was ignored in 1.x; dropped"),
            );
        }
        return None;
    }
    let bindable = path.filter(|p| bindable_path(p));
    cx.capabilities.push(Capability {
        kind,
        reference: None,
        binding: Some(Binding {
            kind: "http".into(),
            interface: interface.to_string(),
            path: bindable.map(str::to_string),
        }),
    });
    cx.note(
        NoteKind::Mapped,
        at.clone(),
        format!("-> capabilities[{n}] (type {section}) bound over http to interface '{interface}'"),
    );
    match path {
        Some(p) if bindable.is_none() => {
            let key = format!("{section}Path");
            note_lossy(
                cx,
                format!("{at}.path"),
                &format!(
                    "path {p:?} is not a 2.0 binding path (a single leading '/', no scheme, host or fragment), so the binding has none"
                ),
                &key,
            );
            Some(p.to_string())
        }
        _ => None,
    }
}

/// The 2.0 binding path rules: schema pattern `^/([^/].*)?$` (no line terminators) and
/// the cross-field safety check.
fn bindable_path(p: &str) -> bool {
    !p.contains(['\n', '\r', '\u{2028}', '\u{2029}']) && crate::validate::is_safe_binding_path(p)
}

/// `scaling`, `service.image`, `service.chart`, `runtime.lifecycle`.
pub(super) fn deployment_facts(cx: &mut Ctx<'_>) {
    let src = cx.src;
    if let Some(s) = &src.scaling {
        cx.kept.scaling = Some(s.clone());
        let what = match s.bounds() {
            Some((a, b)) if a == b => format!("{a} replica(s)"),
            Some((a, b)) => format!("{a}..{b} replicas"),
            None => "scaling".to_string(),
        };
        note_lossy(
            cx,
            "scaling".into(),
            &format!("scaling ({what})"),
            "scaling",
        );
    }
    if let Some(i) = &src.service.image {
        cx.kept.image = Some(i.clone());
        note_lossy(
            cx,
            "service.image".into(),
            &format!("image {}", i.reference),
            "image",
        );
    }
    if let Some(c) = &src.service.chart {
        cx.kept.chart = Some(c.clone());
        note_lossy(
            cx,
            "service.chart".into(),
            &format!("chart {}@{}", c.reference, c.version),
            "chart",
        );
    }
    if let Some(l) = src.runtime.as_ref().and_then(|r| r.lifecycle.as_ref()) {
        cx.kept.lifecycle = Some(l.clone());
        note_lossy(cx, "runtime.lifecycle".into(), "lifecycle", "lifecycle");
    }
}

/// The `extensions` of the 2.0 contract: the preserved facts, if any and not dropped.
pub(super) fn extensions(cx: &Ctx<'_>) -> Option<Map<String, Value>> {
    if cx.opts.drop_lossy || cx.kept.is_empty() {
        return None;
    }
    let value = serde_json::to_value(&cx.kept).ok()?;
    let mut m = Map::new();
    m.insert(PRESERVED_EXTENSION.to_string(), value);
    Some(m)
}
