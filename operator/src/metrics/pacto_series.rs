//! The per-Pacto series (`pacto_contract_status`, `pacto_check_result`) kept compact and
//! rendered straight to the text exposition. Held in the `prometheus` crate's vectors they
//! cost ~1 KiB per series (a protobuf label pair per label, per series): 14 series per Pacto
//! made them the largest single part of the operator's memory at 10,000 Pactos. Here a Pacto
//! costs its two names and one byte per check.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

use pacto_crds::ContractStatus;

pub const STATUS_NAME: &str = "pacto_contract_status";
const STATUS_HELP: &str = "1 for the Pacto's current contractStatus, 0 for the others";
pub const CHECK_NAME: &str = "pacto_check_result";
const CHECK_HELP: &str = "1 when the check passed, 0 when it failed";

/// One Pacto's series: its status and its checks' outcomes (check names are static).
struct Series {
    status: &'static str,
    checks: Vec<(&'static str, bool)>,
}

/// (namespace, name) of a Pacto.
type Key = (Box<str>, Box<str>);

/// Keyed by (namespace, name), sorted so the exposition is stable.
#[derive(Default)]
pub struct PactoSeries {
    by_pacto: Mutex<BTreeMap<Key, Series>>,
}

impl PactoSeries {
    /// Sets a Pacto's status and checks; checks it no longer reports disappear.
    pub fn set(&self, ns: &str, name: &str, status: &str, checks: &[(&'static str, bool)]) {
        let status = ContractStatus::ALL
            .map(ContractStatus::as_str)
            .into_iter()
            .find(|s| *s == status)
            .unwrap_or(ContractStatus::Unknown.as_str());
        let mut checks = checks.to_vec();
        checks.sort_unstable_by_key(|(c, _)| *c);
        checks.dedup_by_key(|(c, _)| *c);
        checks.shrink_to_fit();
        if let Ok(mut m) = self.by_pacto.lock() {
            m.insert((ns.into(), name.into()), Series { status, checks });
        }
    }

    pub fn remove(&self, ns: &str, name: &str) {
        if let Ok(mut m) = self.by_pacto.lock() {
            m.remove(&(Box::from(ns), Box::from(name)));
        }
    }

    /// Pactos with series, as (namespace, name).
    pub fn pactos(&self) -> Vec<(String, String)> {
        self.by_pacto
            .lock()
            .map(|m| {
                m.keys()
                    .map(|(n, p)| (n.to_string(), p.to_string()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Both families in the text exposition format (labels in the order the `prometheus`
    /// crate's encoder writes them: sorted by name).
    pub fn render(&self, out: &mut String) {
        let mut cursor = Cursor::default();
        while self.page(&mut cursor, usize::MAX, out) {}
    }

    /// Renders the next `max` Pactos' lines after `cursor` into `out`; false once both
    /// families are done. Pages let `/metrics` stream: at 10,000 Pactos the whole text is
    /// ~13 MiB, which a single String would add to the peak on every scrape.
    pub fn page(&self, cursor: &mut Cursor, max: usize, out: &mut String) -> bool {
        let Ok(m) = self.by_pacto.lock() else {
            return false;
        };
        if m.is_empty() {
            return false;
        }
        let (name, help) = match cursor.family {
            0 => (CHECK_NAME, CHECK_HELP),
            1 => (STATUS_NAME, STATUS_HELP),
            _ => return false,
        };
        if cursor.after.is_none() {
            header(out, name, help);
        }
        let range = match &cursor.after {
            Some(k) => m.range::<Key, _>((
                std::ops::Bound::Excluded(k.clone()),
                std::ops::Bound::Unbounded,
            )),
            None => m.range::<Key, _>(..),
        };
        let mut last = None;
        for (n, (key, s)) in range.enumerate() {
            if n == max {
                break;
            }
            if cursor.family == 0 {
                check_lines(out, key, s);
            } else {
                status_lines(out, key, s);
            }
            last = Some(key);
        }
        match last {
            Some(k)
                if m.range::<Key, _>((
                    std::ops::Bound::Excluded(k.clone()),
                    std::ops::Bound::Unbounded,
                ))
                .next()
                .is_some() =>
            {
                cursor.after = Some(k.clone());
            }
            _ => {
                cursor.family += 1;
                cursor.after = None;
            }
        }
        cursor.family < 2
    }
}

/// Where a paged rendering is: family 0 (checks), 1 (statuses), 2 (done), after which Pacto.
#[derive(Default)]
pub struct Cursor {
    family: u8,
    after: Option<Key>,
}

fn check_lines(out: &mut String, (ns, name): &Key, s: &Series) {
    for (check, ok) in &s.checks {
        let _ = writeln!(
            out,
            "{CHECK_NAME}{{check=\"{}\",name=\"{}\",namespace=\"{}\"}} {}",
            escape(check),
            escape(name),
            escape(ns),
            u8::from(*ok)
        );
    }
}

fn status_lines(out: &mut String, (ns, name): &Key, s: &Series) {
    for status in ContractStatus::ALL.map(ContractStatus::as_str) {
        let _ = writeln!(
            out,
            "{STATUS_NAME}{{name=\"{}\",namespace=\"{}\",status=\"{status}\"}} {}",
            escape(name),
            escape(ns),
            u8::from(status == s.status)
        );
    }
}

fn header(out: &mut String, name: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
}

/// Label value escaping of the text format (backslash, double quote, newline).
fn escape(v: &str) -> std::borrow::Cow<'_, str> {
    if v.contains(['\\', '"', '\n']) {
        v.replace('\\', r"\\")
            .replace('"', r#"\""#)
            .replace('\n', r"\n")
            .into()
    } else {
        v.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_every_status_once_and_each_check_sorted() {
        let s = PactoSeries::default();
        s.set(
            "ns",
            "a",
            "Warning",
            &[("PortsValid", false), ("ImageMatch", true)],
        );
        let mut out = String::new();
        s.render(&mut out);
        assert_eq!(out.matches("# TYPE pacto_check_result gauge").count(), 1);
        let checks: Vec<&str> = out
            .lines()
            .filter(|l| l.starts_with("pacto_check_result{"))
            .collect();
        assert_eq!(
            checks,
            [
                r#"pacto_check_result{check="ImageMatch",name="a",namespace="ns"} 1"#,
                r#"pacto_check_result{check="PortsValid",name="a",namespace="ns"} 0"#,
            ]
        );
        assert!(
            out.contains(r#"pacto_contract_status{name="a",namespace="ns",status="Warning"} 1"#)
        );
    }

    #[test]
    fn pages_render_the_same_text_as_one_pass() {
        let s = PactoSeries::default();
        for i in 0..7 {
            s.set(
                "ns",
                &format!("p{i}"),
                "Compliant",
                &[("PortsValid", i % 2 == 0)],
            );
        }
        let mut whole = String::new();
        s.render(&mut whole);
        let mut paged = String::new();
        let mut cursor = Cursor::default();
        let mut pages = 0;
        while s.page(&mut cursor, 3, &mut paged) {
            pages += 1;
        }
        assert_eq!(paged, whole);
        assert_eq!(pages + 1, 6, "3 pages per family of 7 Pactos");
        assert_eq!(whole.matches("# TYPE").count(), 2);
    }

    #[test]
    fn escapes_label_values_and_renders_nothing_when_empty() {
        let s = PactoSeries::default();
        let mut out = String::new();
        s.render(&mut out);
        assert!(out.is_empty());
        s.set("ns", "a\"b\\c", "Compliant", &[]);
        s.render(&mut out);
        assert!(out.contains(r#"name="a\"b\\c""#), "{out}");
    }
}
