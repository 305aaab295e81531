//! ServiceExists and WorkloadExists.
//!
//! The workload's kind is compared only with an asserted `workloadRef.kind`: without one the
//! workload is looked up as a Deployment and any kind found under that name is the workload.

use pacto_crds::Target;
use pacto_crds::reasons;
use pacto_crds::status::FindingSeverity;
use pacto_crds::vocabulary::findings as codes;

use super::super::EvalInput;
use super::super::check::{Check, CheckResult};
use super::super::draft::{Evidence, FindingDraft};
use super::super::target_snapshot::{Observed, asserted_kind, workload_of};

fn absent(code: &str, subject: &str, message: &str) -> Vec<FindingDraft> {
    vec![
        FindingDraft::new(
            code,
            FindingSeverity::Error,
            codes::CATEGORY_RUNTIME_DRIFT,
            message,
        )
        .subject(subject)
        .evidence(Evidence::Kubernetes),
    ]
}

fn unread(subject: &str, message: &str) -> Vec<FindingDraft> {
    vec![
        FindingDraft::new(
            codes::COLLECTION_FAILED,
            FindingSeverity::Unknown,
            codes::CATEGORY_OBSERVATION,
            message,
        )
        .subject(subject),
    ]
}

pub(super) fn check(input: &EvalInput<'_>, target: &Target) -> Vec<CheckResult> {
    let mut out = Vec::new();
    let snap = input.snapshot;
    if let Some(name) = &target.service_name {
        let subject = format!("Service/{name}");
        out.push(match &snap.service {
            Observed::Found(_) => CheckResult::pass(
                Check::ServiceExists,
                reasons::FOUND,
                format!("Service {name} exists"),
            ),
            Observed::Missing => {
                let msg = format!("Service {name} not found");
                CheckResult::fail(Check::ServiceExists, reasons::NOT_FOUND, msg.clone())
                    .with_findings(absent(codes::SERVICE_ABSENT, &subject, &msg))
            }
            Observed::Unobservable(why) => {
                let msg = format!("Service {name} could not be read: {why}");
                CheckResult::unknown(
                    Check::ServiceExists,
                    reasons::OBSERVATION_FAILED,
                    msg.clone(),
                )
                .with_findings(unread(&subject, &msg))
            }
        });
    }
    if let Some((kind, name)) = workload_of(target) {
        let kind = kind.as_str();
        let subject = format!("{kind}/{name}");
        let asserted = asserted_kind(target);
        out.push(match &snap.workload {
            Observed::Found(w) if asserted.is_some_and(|k| k != w.kind()) => {
                let msg = format!(
                    "{kind} {name} not found (a {} was observed)",
                    w.kind().as_str()
                );
                CheckResult::fail(Check::WorkloadExists, reasons::NOT_FOUND, msg.clone())
                    .with_findings(absent(codes::WORKLOAD_MISMATCH, &subject, &msg))
            }
            Observed::Found(w) => CheckResult::pass(
                Check::WorkloadExists,
                reasons::FOUND,
                format!("{} {name} exists", w.kind().as_str()),
            ),
            Observed::Missing => {
                let msg = format!("{kind} {name} not found");
                CheckResult::fail(Check::WorkloadExists, reasons::NOT_FOUND, msg.clone())
                    .with_findings(absent(codes::WORKLOAD_ABSENT, &subject, &msg))
            }
            Observed::Unobservable(why) => {
                let msg = format!("{kind} {name} could not be read: {why}");
                CheckResult::unknown(
                    Check::WorkloadExists,
                    reasons::OBSERVATION_FAILED,
                    msg.clone(),
                )
                .with_findings(unread(&subject, &msg))
            }
        });
    }
    out
}
