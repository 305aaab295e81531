//! Keyword-level comparisons: bounds, `enum`, `required` and the change records they emit.

use serde_json::Value;
use std::collections::BTreeSet;

use super::Walk;
use super::events::{Event, classify};
use super::values::string_set;
use super::{MAX_KEYWORDS, MIN_KEYWORDS};
use crate::diff::change::{Change, ChangeType};

pub(super) fn emit(
    w: &mut Walk<'_, '_>,
    path: &str,
    ct: ChangeType,
    ev: Event,
    old: Option<&Value>,
    new: Option<&Value>,
    what: &str,
) {
    let mut c = Change::new(path, ct, classify(w.dir, ev), format!("{path}: {what}"));
    c.old_value = old.cloned();
    c.new_value = new.cloned();
    w.out.push(c);
}

/// A keyword other than the explicitly handled ones changed.
pub(super) fn keyword_change(
    w: &mut Walk<'_, '_>,
    path: &str,
    kw: &str,
    a: Option<&Value>,
    b: Option<&Value>,
) {
    let ct = match (a, b) {
        (None, _) => ChangeType::Added,
        (_, None) => ChangeType::Removed,
        _ => ChangeType::Modified,
    };
    if let (Some(Value::Array(x)), Some(Value::Array(y))) = (a, b)
        && let (Some(xs), Some(ys)) = (string_set(x), string_set(y))
    {
        // String arrays are sets: report members, not positions.
        for s in xs.difference(&ys) {
            let v = Value::String((*s).to_string());
            emit(
                w,
                &format!("{path}[{s}]"),
                ChangeType::Removed,
                Event::Other,
                Some(&v),
                None,
                &format!("'{s}' removed from {kw}"),
            );
        }
        for s in ys.difference(&xs) {
            let v = Value::String((*s).to_string());
            emit(
                w,
                &format!("{path}[{s}]"),
                ChangeType::Added,
                Event::Other,
                None,
                Some(&v),
                &format!("'{s}' added to {kw}"),
            );
        }
        return;
    }
    let ev = if kw == "deprecated" {
        Event::Deprecation
    } else {
        bound_event(kw, a, b)
    };
    emit(w, path, ct, ev, a, b, &format!("{kw} {ct}"));
}

/// Classifies numeric bounds and `additionalProperties: false` as tightening/loosening.
fn bound_event(kw: &str, a: Option<&Value>, b: Option<&Value>) -> Event {
    let num = |v: Option<&Value>| v.and_then(Value::as_f64);
    if MIN_KEYWORDS.contains(&kw) || MAX_KEYWORDS.contains(&kw) {
        let raise_tightens = MIN_KEYWORDS.contains(&kw);
        return match (num(a), num(b)) {
            (None, Some(_)) => Event::Tightened,
            (Some(_), None) => Event::Loosened,
            (Some(x), Some(y)) if (y > x) == raise_tightens => Event::Tightened,
            (Some(_), Some(_)) => Event::Loosened,
            (None, None) => Event::Other,
        };
    }
    if kw == "additionalProperties" {
        let closed = |v: Option<&Value>| v == Some(&Value::Bool(false));
        return match (closed(a), closed(b)) {
            (false, true) => Event::Tightened,
            (true, false) => Event::Loosened,
            _ => Event::Other,
        };
    }
    Event::Other
}

pub(super) fn enums(w: &mut Walk<'_, '_>, path: &str, a: Option<&Value>, b: Option<&Value>) {
    let p = format!("{path}.enum");
    match (a.and_then(Value::as_array), b.and_then(Value::as_array)) {
        (None, None) => {
            if a != b {
                emit(
                    w,
                    &p,
                    ChangeType::Modified,
                    Event::Other,
                    a,
                    b,
                    "enum changed",
                );
            }
        }
        (None, Some(_)) => emit(
            w,
            &p,
            ChangeType::Added,
            Event::Tightened,
            None,
            b,
            "enum constraint added",
        ),
        (Some(_), None) => emit(
            w,
            &p,
            ChangeType::Removed,
            Event::Loosened,
            a,
            None,
            "enum constraint removed",
        ),
        (Some(x), Some(y)) => {
            let key = |v: &Value| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let xs: BTreeSet<String> = x.iter().map(key).collect();
            let ys: BTreeSet<String> = y.iter().map(key).collect();
            for v in x.iter().filter(|v| !ys.contains(&key(v))) {
                let k = key(v);
                emit(
                    w,
                    &format!("{p}[{k}]"),
                    ChangeType::Removed,
                    Event::Tightened,
                    Some(v),
                    None,
                    &format!("enum value {k} removed"),
                );
            }
            for v in y.iter().filter(|v| !xs.contains(&key(v))) {
                let k = key(v);
                emit(
                    w,
                    &format!("{p}[{k}]"),
                    ChangeType::Added,
                    Event::Loosened,
                    None,
                    Some(v),
                    &format!("enum value {k} added"),
                );
            }
        }
    }
}

pub(super) fn required(w: &mut Walk<'_, '_>, path: &str, a: Option<&Value>, b: Option<&Value>) {
    let set = |v: Option<&Value>| -> BTreeSet<String> {
        v.and_then(Value::as_array)
            .map(|xs| {
                xs.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let (xs, ys) = (set(a), set(b));
    for s in xs.difference(&ys) {
        let v = Value::String(s.clone());
        emit(
            w,
            &format!("{path}.required[{s}]"),
            ChangeType::Removed,
            Event::RequiredRemoved,
            Some(&v),
            None,
            &format!("'{s}' is no longer required"),
        );
    }
    for s in ys.difference(&xs) {
        let v = Value::String(s.clone());
        emit(
            w,
            &format!("{path}.required[{s}]"),
            ChangeType::Added,
            Event::RequiredAdded,
            None,
            Some(&v),
            &format!("'{s}' is now required"),
        );
    }
}
