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

/// Keyed by (namespace, name), sorted so the exposition is stable.
#[derive(Default)]
pub struct PactoSeries {
    by_pacto: Mutex<BTreeMap<(Box<str>, Box<str>), Series>>,
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
            .map(|m| m.keys().map(|(n, p)| (n.to_string(), p.to_string())).collect())
            .unwrap_or_default()
    }

    /// Both families in the text exposition format (labels in the order the `prometheus`
    /// crate's encoder writes them: sorted by name).
    pub fn render(&self, out: &mut String) {
        let Ok(m) = self.by_pacto.lock() else {
            return;
        };
        if m.is_empty() {
            return;
        }
        header(out, CHECK_NAME, CHECK_HELP);
        for ((ns, name), s) in m.iter() {
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
        header(out, STATUS_NAME, STATUS_HELP);
        for ((ns, name), s) in m.iter() {
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
        s.set("ns", "a", "Warning", &[("PortsValid", false), ("ImageMatch", true)]);
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
        assert!(out.contains(r#"pacto_contract_status{name="a",namespace="ns",status="Warning"} 1"#));
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
