//! Readiness score (a separate dimension: shown in status and a `ReadinessSatisfied` condition,
//! never part of `contractStatus`).
//!
//! Rules (reference §9.1): past the assessment-level `expires` (or an unparsable one, fail
//! closed) every check earns 0. Otherwise `deferred` checks are excluded, `done` earns its
//! weight, `partial` round(weight × partialCredit, default 0.5), `not-done` 0; score =
//! round(earned / total × 100). A 1.1 check (no `status`) is done unless its own `expires` has
//! passed. Zero total weight scores 0 (nothing was assessed). Passing ⇔ not expired and
//! score >= minScore (default 100).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::civil::Date;
use k8s_openapi::jiff::tz::TimeZone;
use pacto_core::model::Readiness;
use pacto_crds::reasons;
use pacto_crds::status::{ReadinessCheck, ReadinessCheckState, ReadinessRevision, ReadinessStatus};

const DEFAULT_MIN_SCORE: u32 = 100;
const DEFAULT_PARTIAL_CREDIT: f64 = 0.5;

fn today(now: &Time) -> Date {
    now.0.to_zoned(TimeZone::UTC).date()
}

fn clamp(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(if n < 0 { i32::MIN } else { i32::MAX })
}

/// Scores `r` as of `now`.
pub fn score(r: &Readiness, now: &Time) -> ReadinessStatus {
    let today = today(now);
    let expires = r.expires.as_deref().map(|e| e.parse::<Date>().ok());
    let expired = match expires {
        Some(Some(d)) => today > d,
        Some(None) => true,
        None => false,
    };
    let days_remaining = expires
        .flatten()
        .and_then(|d| today.until(d).ok())
        .map(|s| s.get_days());
    let credit = r
        .partial_credit
        .filter(|c| (0.0..=1.0).contains(c))
        .unwrap_or(DEFAULT_PARTIAL_CREDIT);
    let mut out = ReadinessStatus {
        min_score: clamp(i64::from(r.min_score.unwrap_or(DEFAULT_MIN_SCORE))),
        expires: r.expires.clone(),
        expired,
        days_remaining,
        ..ReadinessStatus::default()
    };
    let (mut total, mut earned) = (0i64, 0i64);
    // 1.x `checks` or 2.0 `claims`: the same items.
    for c in r.items() {
        let state = match c.status.as_deref() {
            Some("done") => ReadinessCheckState::Done,
            Some("partial") => ReadinessCheckState::Partial,
            Some("deferred") => ReadinessCheckState::Deferred,
            Some(_) => ReadinessCheckState::NotDone,
            None => {
                let lapsed = c
                    .expires
                    .as_deref()
                    .is_some_and(|e| e.parse::<Date>().map_or(true, |d| today > d));
                if lapsed {
                    ReadinessCheckState::NotDone
                } else {
                    ReadinessCheckState::Done
                }
            }
        };
        let weight = i64::from(c.weight);
        let excluded = state == ReadinessCheckState::Deferred;
        let got = match state {
            _ if expired || excluded => 0,
            ReadinessCheckState::Done => weight,
            // Weights are 0..=100, so the float round-trip is exact enough and cannot overflow.
            ReadinessCheckState::Partial => (weight as f64 * credit).round() as i64,
            _ => 0,
        };
        match state {
            ReadinessCheckState::Done => out.done_count += 1,
            ReadinessCheckState::Partial => out.partial_count += 1,
            ReadinessCheckState::NotDone => out.not_done_count += 1,
            ReadinessCheckState::Deferred => out.deferred_count += 1,
        }
        if !excluded {
            total += weight;
            earned += got;
        }
        out.checks.push(ReadinessCheck {
            id: c.id.clone(),
            type_: Some(c.kind.clone()),
            category: c.category.clone(),
            status: state,
            evidence: Some(c.evidence.clone()),
            description: c.description.clone(),
            weight: clamp(weight),
            earned_weight: clamp(got),
            excluded,
        });
    }
    let score = if total > 0 {
        ((earned as f64 / total as f64) * 100.0).round() as i64
    } else {
        0
    };
    out.score = clamp(score);
    out.total_weight = clamp(total);
    out.earned_weight = clamp(earned);
    out.passing = !expired && out.score >= out.min_score;
    out.revisions = r
        .history
        .iter()
        .map(|h| ReadinessRevision {
            date: h.date.clone(),
            version: Some(h.version.clone()),
            author: Some(h.author.clone()),
            description: Some(h.description.clone()),
        })
        .collect();
    out
}

/// `ReadinessSatisfied` condition status, reason and message for a score.
pub(crate) fn condition(s: &ReadinessStatus) -> (&'static str, &'static str, String) {
    if s.expired {
        (
            "False",
            reasons::READINESS_EXPIRED,
            format!(
                "readiness assessment expired on {}",
                s.expires.as_deref().unwrap_or("an unreadable date")
            ),
        )
    } else if !s.passing {
        (
            "False",
            reasons::READINESS_BELOW_MIN_SCORE,
            format!("readiness score {} is below {}", s.score, s.min_score),
        )
    } else {
        (
            "True",
            reasons::READINESS_SATISFIED,
            format!("readiness score {} >= {}", s.score, s.min_score),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_of_a_2_0_contract_are_scored_like_checks() {
        let r = readiness(
            "minScore: 75\nclaims:\n  - {id: a, type: document, evidence: x, weight: 50, status: done}\n  - {id: b, type: ticket, evidence: y, weight: 50, status: not-done}\n",
        );
        let s = score(&r, &at("2026-12-01"));
        assert_eq!(
            (s.score, s.passing, s.done_count, s.not_done_count),
            (50, false, 1, 1)
        );
        assert_eq!(s.checks.len(), 2);
    }

    fn readiness(yaml: &str) -> Readiness {
        serde_saphyr::from_str(yaml).expect("readiness")
    }

    fn at(date: &str) -> Time {
        let d: Date = date.parse().expect("date");
        Time(d.to_zoned(TimeZone::UTC).expect("zoned").timestamp())
    }

    const WORKED: &str = "minScore: 40\nexpires: 2027-01-01\nchecks:\n\
  - {id: a, type: url, evidence: x, weight: 20, status: done}\n\
  - {id: b, type: url, evidence: x, weight: 15, status: partial}\n\
  - {id: c, type: url, evidence: x, weight: 25, status: not-done}\n\
  - {id: d, type: url, evidence: x, weight: 10, status: deferred}\n";

    #[test]
    fn worked_example_scores_47() {
        let s = score(&readiness(WORKED), &at("2026-12-01"));
        assert_eq!((s.score, s.total_weight, s.earned_weight), (47, 60, 28));
        assert!(s.passing);
        assert_eq!(s.days_remaining, Some(31));
        assert_eq!(
            (
                s.done_count,
                s.partial_count,
                s.not_done_count,
                s.deferred_count
            ),
            (1, 1, 1, 1)
        );
        assert!(s.checks[3].excluded);
        assert_eq!(condition(&s).1, "Satisfied");
    }

    #[test]
    fn expired_earns_nothing() {
        let s = score(&readiness(WORKED), &at("2027-01-02"));
        assert!(s.expired && !s.passing);
        assert_eq!(s.score, 0);
        assert_eq!(condition(&s).1, "Expired");
        let bad = WORKED.replace("2027-01-01", "2027-13-45");
        assert!(score(&readiness(&bad), &at("2026-01-01")).expired);
    }

    #[test]
    fn v11_checks_lapse_individually_and_default_min_is_100() {
        let r = readiness(
            "checks:\n  - {id: a, type: url, evidence: x, weight: 50, expires: 2026-01-01}\n  - {id: b, type: url, evidence: x, weight: 50}\n",
        );
        let s = score(&r, &at("2026-06-01"));
        assert_eq!(s.score, 50);
        assert_eq!(condition(&s).1, "BelowMinScore");
        assert_eq!(score(&r, &at("2025-06-01")).score, 100);
    }

    #[test]
    fn zero_weight_scores_zero() {
        let s = score(&readiness("minScore: 0\nchecks: []\n"), &at("2026-01-01"));
        assert_eq!(s.score, 0);
        assert!(s.passing);
    }
}
