//! The evaluator writes only the condition types and statuses of the shared vocabulary in
//! `pacto-crds`: a condition or status spelled only in the operator fails here.

mod fixtures;

use fixtures::*;
use pacto_crds::{CheckCondition, ContractStatus, READY, SUMMARY_CONDITIONS};
use pacto_operator::eval::{Check, Observed, ResolutionIssue, Severity, Unavailable};

fn worlds() -> Vec<World> {
    let base = World::base();
    let mut invalid = World::base();
    invalid.contract_loads = false;
    let mut unknown = World::base();
    unknown.unavailable = Some(Unavailable {
        reason: "RegistryUnavailable".into(),
        message: "registry down".into(),
    });
    let mut broken = World::base();
    broken.service = Observed::Missing;
    let mut reference = World::base();
    reference.target = None;
    let mut refused = World::base();
    refused.contract_loads = false;
    refused.resolution_issue = Some(ResolutionIssue {
        reason: pacto_crds::reasons::PULL_SECRET_REGISTRY_MISMATCH.into(),
        message: "bound to another registry".into(),
        severity: Severity::Error,
    });
    let mut unbound = World::base();
    unbound.resolution_issue = Some(ResolutionIssue {
        reason: pacto_crds::reasons::PULL_SECRET_UNBOUND_USED.into(),
        message: "add `registry: r.io`".into(),
        severity: Severity::Warning,
    });
    vec![base, invalid, unknown, broken, reference, refused, unbound]
}

#[test]
fn every_condition_type_written_is_in_the_vocabulary() {
    for w in worlds() {
        let e = w.eval();
        for c in &e.status.conditions {
            assert!(
                CheckCondition::is_check(&c.type_)
                    || SUMMARY_CONDITIONS.contains(&c.type_.as_str()),
                "{} is not in pacto_crds' condition vocabulary",
                c.type_
            );
        }
        // The Ready reason is the headline status, spelled as the CRD spells it.
        let status = e.status.contract_status.expect("status");
        assert_eq!(cond(&e, READY).reason, status.as_str());
        assert_eq!(cond(&e, READY).reason.parse::<ContractStatus>(), Ok(status));
    }
}

#[test]
fn checks_write_conditions_named_after_their_check() {
    let e = World::base().eval();
    for r in &e.checks {
        let check: Check = r.check;
        assert_eq!(cond(&e, check.as_str()).type_, check.to_string());
    }
}
