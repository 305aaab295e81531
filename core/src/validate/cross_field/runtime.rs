//! `scaling` against `runtime.workload`.

use crate::finding::Finding;
use crate::model::{Contract, Workload};
use crate::validate::codes;

pub fn check(contract: &Contract, out: &mut Vec<Finding>) {
    let Some(scaling) = &contract.scaling else {
        return;
    };
    if let (Some(min), Some(max)) = (scaling.min, scaling.max)
        && min > max
    {
        out.push(Finding::error(
            codes::SCALING_MIN_EXCEEDS_MAX,
            "scaling",
            format!("scaling.min ({min}) is greater than scaling.max ({max}): raise `max` to at least {min} or lower `min`"),
        ));
    }
    if contract
        .runtime
        .as_ref()
        .is_some_and(|r| r.workload == Workload::Job)
    {
        out.push(Finding::error(
            codes::JOB_SCALING_NOT_ALLOWED,
            "scaling",
            "a `job` runs to completion and is not scaled: remove `scaling`, or use `workload: service`",
        ));
    }
}
