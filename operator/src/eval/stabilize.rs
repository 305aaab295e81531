//! The stabilization window (`--stabilization-window`, the reference operator's flag): a
//! negative observation of an interface, capability, dependency or configuration opens an
//! `observationWindows` entry, and a check that passed before becomes a failure only once every
//! one of its negative observations has lasted the window. Recoveries are immediate (the entry
//! goes, the check passes). Until then the check keeps its previous, passing condition and an
//! `info` finding says what is being watched and until when, so a rollout or a short outage
//! does not flip the status. The probe threshold still applies first for flapping endpoints.
//!
//! A check with no passing verdict to keep (first evaluation, or already failing or unknown)
//! reports at once: there is nothing to flap from. An observation that could not be made
//! (Unknown) is held the same way. Pure: the window starts come from the
//! previous status and `now`, never a clock.

use std::time::Duration;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use pacto_crds::PactoStatus;
use pacto_crds::status::{FindingSeverity, ObservationKind, ObservationWindow};
use pacto_crds::vocabulary::findings as codes;

use super::check::{Check, CheckResult, Outcome};
use super::conditions::find;
use super::draft::FindingDraft;

/// Most `observationWindows` entries written (one per negative subject; a Pacto with more is
/// already failing in many ways, and the status stays small).
pub(crate) const MAX_OBSERVATION_WINDOWS: usize = 64;

/// The checks results after the window, the open windows, and when to look again.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Stabilized {
    pub windows: Vec<ObservationWindow>,
    /// The earliest moment a held check would become a failure (requeue then).
    pub recheck_after: Option<Duration>,
}

/// What kind of assertion a check observes, and the subject when its findings name none.
fn kind_of(check: Check) -> Option<(ObservationKind, &'static str)> {
    match check {
        Check::PortsValid => Some((ObservationKind::Interface, "ports")),
        Check::HealthEndpointValid => Some((ObservationKind::Capability, "health")),
        Check::MetricsEndpointValid => Some((ObservationKind::Capability, "metrics")),
        Check::DependenciesSatisfied => Some((ObservationKind::Dependency, "dependencies")),
        Check::ConfigurationValid => Some((ObservationKind::Configuration, "configuration")),
        _ => None,
    }
}

/// The subjects a failing result is negative about: its findings' subjects, else the check's.
fn subjects(r: &CheckResult, fallback: &str) -> Vec<String> {
    let mut out: Vec<String> = r
        .findings
        .iter()
        .filter(|f| f.severity != FindingSeverity::Info)
        .filter_map(|f| f.subject.clone())
        .collect();
    if out.is_empty() {
        out.push(fallback.to_string());
    }
    out.sort();
    out.dedup();
    out
}

fn seconds(d: Duration) -> String {
    let s = d.as_secs();
    match (s / 60, s % 60) {
        (0, s) => format!("{s}s"),
        (m, 0) => format!("{m}m"),
        (m, s) => format!("{m}m{s}s"),
    }
}

/// Applies the window to `results` in place and returns the open windows.
pub(crate) fn apply(
    results: &mut [CheckResult],
    previous: Option<&PactoStatus>,
    now: &Time,
    window: Duration,
) -> Stabilized {
    let mut out = Stabilized::default();
    let started = |kind: ObservationKind, subject: &str| {
        previous
            .into_iter()
            .flat_map(|p| p.observation_windows.iter())
            .find(|w| w.kind == kind && w.subject == subject)
            .map(|w| w.first_observed_negative_at.clone())
    };
    let window_secs = i64::try_from(window.as_secs()).unwrap_or(i64::MAX);
    for r in results.iter_mut() {
        let Some((kind, fallback)) = kind_of(r.check) else {
            continue;
        };
        // Unknown counts too: an endpoint left unprobeable by the same change, or a read that
        // failed once, should not flip a passing Pacto to Unknown within the window either.
        if r.outcome == Outcome::Pass {
            continue;
        }
        let mut youngest_age = i64::MAX;
        let mut opened = Vec::new();
        for subject in subjects(r, fallback) {
            let since = started(kind, &subject).unwrap_or_else(|| now.clone());
            let age = now.0.as_second().saturating_sub(since.0.as_second()).max(0);
            youngest_age = youngest_age.min(age);
            opened.push(ObservationWindow {
                kind,
                subject,
                first_observed_negative_at: since,
            });
        }
        let passed_before = previous
            .and_then(|p| find(p, r.check.as_str()))
            .filter(|c| c.status == "True");
        if let Some(prev) = passed_before
            && youngest_age < window_secs
        {
            let left = Duration::from_secs(u64::try_from(window_secs - youngest_age).unwrap_or(1));
            out.recheck_after = Some(out.recheck_after.map_or(left, |d| d.min(left)));
            let notes = opened
                .iter()
                .map(|w| {
                    FindingDraft::new(
                        codes::OBSERVATION_STABILIZING,
                        FindingSeverity::Info,
                        codes::CATEGORY_OBSERVATION,
                        format!(
                            "{} negative since {}: {}; a failure if it lasts {}",
                            r.check.as_str(),
                            w.first_observed_negative_at.0,
                            r.message,
                            seconds(window)
                        ),
                    )
                    .subject(w.subject.clone())
                })
                .collect();
            let mut held = CheckResult::pass(r.check, &prev.reason, prev.message.clone());
            held.findings = notes;
            *r = held;
        }
        out.windows.extend(opened);
    }
    out.windows
        .sort_by(|a, b| (a.kind as u8, &a.subject).cmp(&(b.kind as u8, &b.subject)));
    out.windows.truncate(MAX_OBSERVATION_WINDOWS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition;
    use k8s_openapi::jiff::Timestamp;
    use pacto_crds::reasons;

    fn at(s: i64) -> Time {
        Time(Timestamp::from_second(s).expect("time"))
    }

    fn passing(check: Check) -> PactoStatus {
        PactoStatus {
            conditions: vec![Condition {
                type_: check.as_str().to_string(),
                status: "True".into(),
                reason: "AllPortsMatch".into(),
                message: "fine".into(),
                last_transition_time: at(0),
                observed_generation: None,
            }],
            ..PactoStatus::default()
        }
    }

    fn failing() -> Vec<CheckResult> {
        vec![CheckResult::fail(
            Check::PortsValid,
            reasons::MISSING_PORTS,
            "port 80 is gone",
        )]
    }

    #[test]
    fn a_new_negative_is_held_then_fails_once_it_lasted_the_window() {
        let window = Duration::from_secs(120);
        let mut prev = passing(Check::PortsValid);
        let mut r = failing();
        let s = apply(&mut r, Some(&prev), &at(1000), window);
        assert_eq!(r[0].outcome, Outcome::Pass);
        assert_eq!(r[0].message, "fine");
        assert_eq!(r[0].findings[0].code, codes::OBSERVATION_STABILIZING);
        assert_eq!(s.recheck_after, Some(window));
        assert_eq!(s.windows.len(), 1);
        assert_eq!(s.windows[0].first_observed_negative_at, at(1000));
        // Still negative 100 s later: the start is kept, 20 s left.
        prev.observation_windows = s.windows.clone();
        let mut r = failing();
        let s = apply(&mut r, Some(&prev), &at(1100), window);
        assert_eq!(r[0].outcome, Outcome::Pass);
        assert_eq!(s.recheck_after, Some(Duration::from_secs(20)));
        assert_eq!(s.windows[0].first_observed_negative_at, at(1000));
        // Lasted the window: a failure, the window stays to say since when.
        let mut r = failing();
        let s = apply(&mut r, Some(&prev), &at(1120), window);
        assert_eq!(r[0].outcome, Outcome::Fail);
        assert_eq!(s.recheck_after, None);
        assert_eq!(s.windows[0].first_observed_negative_at, at(1000));
    }

    #[test]
    fn recovery_is_immediate_and_nothing_is_held_without_a_passing_verdict() {
        let window = Duration::from_secs(120);
        let mut prev = passing(Check::PortsValid);
        prev.observation_windows = vec![ObservationWindow {
            kind: ObservationKind::Interface,
            subject: "ports".into(),
            first_observed_negative_at: at(1000),
        }];
        let mut ok = vec![CheckResult::pass(
            Check::PortsValid,
            "AllPortsMatch",
            "fine",
        )];
        let s = apply(&mut ok, Some(&prev), &at(1010), window);
        assert!(s.windows.is_empty());
        // First evaluation: reported at once.
        let mut r = failing();
        let s = apply(&mut r, None, &at(1000), window);
        assert_eq!(r[0].outcome, Outcome::Fail);
        assert_eq!(s.windows.len(), 1);
        // A zero window holds nothing.
        let mut r = failing();
        apply(&mut r, Some(&prev), &at(1000), Duration::ZERO);
        assert_eq!(r[0].outcome, Outcome::Fail);
    }

    #[test]
    fn an_unknown_observation_is_held_too() {
        let prev = passing(Check::HealthEndpointValid);
        let mut r = vec![CheckResult::unknown(
            Check::HealthEndpointValid,
            reasons::PROBE_NOT_RUN,
            "the Service does not expose port 9999",
        )];
        let s = apply(&mut r, Some(&prev), &at(1000), Duration::from_secs(60));
        assert_eq!(r[0].outcome, Outcome::Pass);
        assert_eq!(s.windows[0].subject, "health");
    }

    #[test]
    fn checks_that_observe_no_subject_kind_are_untouched() {
        let mut r = vec![CheckResult::fail(
            Check::ImageMatch,
            "Mismatch",
            "other image",
        )];
        let prev = passing(Check::ImageMatch);
        let s = apply(&mut r, Some(&prev), &at(1000), Duration::from_secs(120));
        assert_eq!(r[0].outcome, Outcome::Fail);
        assert!(s.windows.is_empty());
    }

    #[test]
    fn durations_read_as_the_flag_writes_them() {
        assert_eq!(seconds(Duration::from_secs(120)), "2m");
        assert_eq!(seconds(Duration::from_secs(90)), "1m30s");
        assert_eq!(seconds(Duration::from_secs(45)), "45s");
    }
}
