//! `readiness`: 1.2 `checks` → `claims` (a rename); 1.1 checks carry their own
//! `expires` and no `status`, so the assessment `expires` becomes the earliest check
//! expiry and each claim's status is `done` if its check had not expired on
//! [`super::MigrateOptions::today`], else `not-done`.

use super::NoteKind;
use super::ctx::Ctx;
use crate::model::Readiness;

/// 2.0 requires an assessment expiry; a 1.1 assessment whose checks never expire gets this.
pub const NEVER_EXPIRES: &str = "9999-12-31";

pub(super) fn map(cx: &mut Ctx<'_>) -> Option<Readiness> {
    let r = cx.src.readiness.clone()?;
    let mut claims = r.checks.clone();
    let mut expires = r.expires.clone();
    cx.note(NoteKind::Mapped, "readiness.checks", "-> readiness.claims");
    let inferred = claims.iter().any(|c| c.status.is_none());
    if inferred {
        let mut dates: Vec<&str> = r
            .checks
            .iter()
            .filter_map(|c| c.expires.as_deref())
            .collect();
        dates.sort_unstable();
        dates.dedup();
        if expires.is_none() {
            match dates.first() {
                Some(first) => {
                    expires = Some((*first).to_string());
                    if dates.len() > 1 {
                        cx.note(
                            NoteKind::Lossy,
                            "readiness.expires",
                            format!("per-check expiries ({}) collapse into one assessment expiry, the earliest: {first}", dates.join(", ")),
                        );
                    } else {
                        cx.note(
                            NoteKind::Mapped,
                            "readiness.expires",
                            format!("the checks' expiry {first} -> readiness.expires"),
                        );
                    }
                }
                None => {
                    expires = Some(NEVER_EXPIRES.to_string());
                    cx.note(
                        NoteKind::Stubbed,
                        "readiness.expires",
                        format!("no check expires, but 2.0 requires an assessment expiry: set to {NEVER_EXPIRES} (never); put a review date there"),
                    );
                }
            }
        }
        let today = cx.opts.today.clone();
        if let Some(e) = expires.as_deref().filter(|e| *e < today.as_str()) {
            cx.note(
                NoteKind::Lossy,
                "readiness.expires",
                format!("the assessment expiry {e} is before {today}: the 2.0 assessment scores 0 until it is renewed"),
            );
        }
        for (i, c) in claims.iter_mut().enumerate() {
            if c.status.is_some() {
                continue;
            }
            let expired = c.expires.as_deref().is_some_and(|e| e < today.as_str());
            let status = if expired { "not-done" } else { "done" };
            c.status = Some(status.to_string());
            let why = match &c.expires {
                Some(e) if expired => format!("its expiry {e} is before {today}"),
                Some(e) => format!("its expiry {e} is not before {today}"),
                None => "it never expired".to_string(),
            };
            cx.note(
                NoteKind::Lossy,
                format!("readiness.checks[{i}]"),
                format!(
                    "check '{}' had no status: `status: {status}` ({why}); review it",
                    c.id
                ),
            );
        }
    }
    for c in &mut claims {
        c.expires = None;
    }
    Some(Readiness {
        min_score: r.min_score,
        expires,
        partial_credit: r.partial_credit,
        history: r.history,
        checks: Vec::new(),
        claims,
    })
}
