//! Message fields: matched by number then name; type, label, name and number changes.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::Differ;
use crate::diff::proto::ast::{Field, Label, Message};
use crate::diff::{Change, ChangeType, Classification};

use Classification::{Breaking, NonBreaking, PotentialBreaking};

impl Differ<'_, '_> {
    pub(super) fn fields(
        &mut self,
        path: &str,
        (os, o): (usize, &Message),
        (ns, n): (usize, &Message),
    ) {
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
                let show = |v: Option<&crate::diff::proto::ast::OptionValue>| {
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
}

fn field_value(f: &Field) -> String {
    match f.label {
        Label::None => format!("{} = {}", f.ty, f.number),
        l => format!("{} {} = {}", l.as_str(), f.ty, f.number),
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
