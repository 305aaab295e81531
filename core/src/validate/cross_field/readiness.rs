//! `readiness`: unique check ids, non-blank evidence and descriptions, real dates.

use super::{dates::is_strict_date, first_seen};
use crate::finding::Finding;
use crate::model::Contract;
use crate::validate::codes;

pub fn check(contract: &Contract, out: &mut Vec<Finding>) {
    let Some(r) = &contract.readiness else { return };
    if let Some(exp) = &r.expires {
        date(
            exp,
            "readiness.expires",
            "the assessment",
            codes::INVALID_READINESS_EXPIRES,
            out,
        );
    }
    let mut seen = Vec::new();
    let list = r.items_field();
    for (i, c) in r.items().iter().enumerate() {
        let at = format!("readiness.{list}[{i}]");
        if let Some(first) = first_seen(&mut seen, &c.id) {
            out.push(Finding::error(
                codes::DUPLICATE_READINESS_ID,
                format!("{at}.id"),
                format!("readiness id '{}' is already used by readiness.{list}[{first}]: give each one a unique id", c.id),
            ));
        }
        if c.evidence.trim().is_empty() {
            out.push(Finding::error(
                codes::EMPTY_READINESS_EVIDENCE,
                format!("{at}.evidence"),
                format!("readiness check '{}' has blank evidence: say where the proof is (a URL, document or ticket id)", c.id),
            ));
        }
        if c.description
            .as_deref()
            .is_some_and(|d| d.trim().is_empty())
        {
            out.push(Finding::error(
                codes::EMPTY_READINESS_DESCRIPTION,
                format!("{at}.description"),
                format!(
                    "readiness check '{}' has a blank description: write one or remove the key",
                    c.id
                ),
            ));
        }
        if let Some(exp) = &c.expires {
            let what = format!("check '{}'", c.id);
            date(
                exp,
                &format!("{at}.expires"),
                &what,
                codes::INVALID_READINESS_EXPIRES,
                out,
            );
        }
    }
    for (i, h) in r.history.iter().enumerate() {
        let at = format!("readiness.history[{i}]");
        date(
            &h.date,
            &format!("{at}.date"),
            "the revision",
            codes::INVALID_READINESS_REVISION,
            out,
        );
        for (field, value) in [
            ("version", &h.version),
            ("author", &h.author),
            ("description", &h.description),
        ] {
            if value.trim().is_empty() {
                out.push(Finding::error(
                    codes::INVALID_READINESS_REVISION,
                    format!("{at}.{field}"),
                    format!("readiness revision {i} has a blank `{field}`: fill it in"),
                ));
            }
        }
    }
}

fn date(value: &str, path: &str, what: &str, code: &str, out: &mut Vec<Finding>) {
    if !is_strict_date(value) {
        out.push(Finding::error(
            code,
            path,
            format!("date \"{value}\" of {what} is not a real calendar date in YYYY-MM-DD form: write e.g. `2026-06-30`"),
        ));
    }
}
