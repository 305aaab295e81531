//! The per-Pacto series (`pacto_contract_status`, `pacto_check_result` and, for contracts that
//! declare readiness, the upstream operator's `pacto_readiness_{score,gate,status,checks}`) kept
//! compact and rendered straight to the text exposition. Held in the `prometheus` crate's vectors they
//! cost ~1 KiB per series (a protobuf label pair per label, per series): 14 series per Pacto
//! made them the largest single part of the operator's memory at 10,000 Pactos. Here a Pacto
//! costs its two names and one byte per check.

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::exposition::{
    CHECK_NAME, Key, Readiness, STATUS_NAME, Series, check_lines, header, readiness_checks_lines,
    readiness_gate_lines, readiness_score_lines, readiness_status_lines, status_lines,
};
use pacto_crds::ContractStatus;
use pacto_crds::status::ReadinessStatus;

/// One family: name, help, and the lines one Pacto contributes.
struct Family {
    name: &'static str,
    help: &'static str,
    lines: fn(&mut String, &Key, &Series),
}

/// In name order, as the `prometheus` crate's encoder sorts families.
const FAMILIES: [Family; 6] = [
    Family {
        name: CHECK_NAME,
        help: "1 when the check passed, 0 when it failed",
        lines: check_lines,
    },
    Family {
        name: STATUS_NAME,
        help: "1 for the Pacto's current contractStatus, 0 for the others",
        lines: status_lines,
    },
    Family {
        name: "pacto_readiness_checks",
        help: "Readiness checks (claims) by status: done, partial, not-done, deferred",
        lines: readiness_checks_lines,
    },
    Family {
        name: "pacto_readiness_gate",
        help: "1 when readiness passes (not expired, score >= minScore), else 0",
        lines: readiness_gate_lines,
    },
    Family {
        name: "pacto_readiness_score",
        help: "Readiness score, 0-100",
        lines: readiness_score_lines,
    },
    Family {
        name: "pacto_readiness_status",
        help: "1 for the current readiness status (Satisfied, BelowMinScore, Expired), 0 for the others",
        lines: readiness_status_lines,
    },
];

/// Keyed by (namespace, name), sorted so the exposition is stable.
#[derive(Default)]
pub struct PactoSeries {
    by_pacto: Mutex<BTreeMap<Key, Series>>,
}

impl PactoSeries {
    /// Sets a Pacto's status, checks and readiness; what it no longer reports disappears.
    pub fn set(
        &self,
        ns: &str,
        name: &str,
        status: &str,
        checks: &[(&'static str, bool)],
        readiness: Option<&ReadinessStatus>,
    ) {
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
            let readiness = readiness.map(Readiness::of);
            m.insert(
                (ns.into(), name.into()),
                Series {
                    status,
                    checks,
                    readiness,
                },
            );
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
    #[cfg(test)]
    pub fn render(&self, out: &mut String) {
        let mut cursor = Cursor::default();
        while self.page(&mut cursor, usize::MAX, out) {}
    }

    /// Renders the next `max` Pactos' lines after `cursor` into `out`; false once every
    /// family is done. Pages let `/metrics` stream: at 10,000 Pactos the whole text is
    /// ~13 MiB, which a single String would add to the peak on every scrape.
    pub fn page(&self, cursor: &mut Cursor, max: usize, out: &mut String) -> bool {
        let Ok(m) = self.by_pacto.lock() else {
            return false;
        };
        let Some(family) = FAMILIES.get(cursor.family) else {
            return false;
        };
        let after = |k: &Key| {
            m.range::<Key, _>((
                std::ops::Bound::Excluded(k.clone()),
                std::ops::Bound::Unbounded,
            ))
        };
        let range = match &cursor.after {
            Some(k) => after(k),
            None => m.range::<Key, _>(..),
        };
        let mut last = None;
        let mut lines = String::new();
        for (n, (key, s)) in range.enumerate() {
            if n == max {
                break;
            }
            lines.clear();
            (family.lines)(&mut lines, key, s);
            if !lines.is_empty() && !cursor.header_written {
                header(out, family.name, family.help);
                cursor.header_written = true;
            }
            out.push_str(&lines);
            last = Some(key);
        }
        match last {
            Some(k) if after(k).next().is_some() => cursor.after = Some(k.clone()),
            _ => {
                *cursor = Cursor {
                    family: cursor.family + 1,
                    ..Cursor::default()
                }
            }
        }
        cursor.family < FAMILIES.len()
    }
}

/// Where a paged rendering is: which family (an index of `FAMILIES`), after which Pacto, and
/// whether that family's header is out.
#[derive(Default)]
pub struct Cursor {
    family: usize,
    after: Option<Key>,
    header_written: bool,
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
            None,
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
                None,
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
        // 3 pages per family with lines (7 Pactos), 3 per readiness family (no lines).
        assert_eq!(pages + 1, 6 * 3);
        assert_eq!(whole.matches("# TYPE").count(), 2);
    }

    #[test]
    fn readiness_gauges_only_for_pactos_that_declare_readiness() {
        let s = PactoSeries::default();
        let r = ReadinessStatus {
            score: 80,
            min_score: 90,
            passing: false,
            done_count: 3,
            partial_count: 1,
            not_done_count: 1,
            deferred_count: 2,
            ..Default::default()
        };
        s.set("ns", "a", "Compliant", &[], Some(&r));
        s.set("ns", "b", "Compliant", &[], None);
        let mut out = String::new();
        s.render(&mut out);
        for line in [
            r#"pacto_readiness_score{name="a",namespace="ns"} 80"#,
            r#"pacto_readiness_gate{name="a",namespace="ns"} 0"#,
            r#"pacto_readiness_status{name="a",namespace="ns",status="BelowMinScore"} 1"#,
            r#"pacto_readiness_status{name="a",namespace="ns",status="Satisfied"} 0"#,
            r#"pacto_readiness_checks{name="a",namespace="ns",status="not-done"} 1"#,
            r#"pacto_readiness_checks{name="a",namespace="ns",status="deferred"} 2"#,
        ] {
            assert!(out.lines().any(|l| l == line), "missing {line}:\n{out}");
        }
        assert!(!out.contains(r#"pacto_readiness_score{name="b""#), "{out}");
        assert_eq!(out.matches("# TYPE pacto_readiness_gate gauge").count(), 1);
        // Without any readiness, no readiness family at all.
        let s = PactoSeries::default();
        s.set("ns", "b", "Compliant", &[], None);
        let mut out = String::new();
        s.render(&mut out);
        assert!(!out.contains("pacto_readiness"), "{out}");
    }

    #[test]
    fn escapes_label_values_and_renders_nothing_when_empty() {
        let s = PactoSeries::default();
        let mut out = String::new();
        s.render(&mut out);
        assert!(out.is_empty());
        s.set("ns", "a\"b\\c", "Compliant", &[], None);
        s.render(&mut out);
        assert!(out.contains(r#"name="a\"b\\c""#), "{out}");
    }
}
