//! ScalingMatch: the workload's replicas, or its HPA's min/max, lie inside the contract's
//! `scaling` (a fixed `replicas: n` is the range n..=n).

use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use pacto_core::model::Scaling;
use pacto_crds::reasons;

use super::super::check::{Check, CheckResult};
use super::super::target_snapshot::{Observed, Workload};

pub(super) fn scaling_match(
    scaling: &Scaling,
    w: &Workload,
    hpa: &Observed<Option<HorizontalPodAutoscaler>>,
) -> Option<CheckResult> {
    let (min, max) = scaling.bounds()?;
    let (min, max) = (i64::from(min), i64::from(max));
    let range = if min == max {
        format!("{min}")
    } else {
        format!("{min}..{max}")
    };
    match hpa {
        Observed::Unobservable(why) => Some(CheckResult::unknown(
            Check::ScalingMatch,
            reasons::OBSERVATION_FAILED,
            format!("HorizontalPodAutoscalers could not be read: {why}"),
        )),
        Observed::Found(Some(h)) => {
            let hmin = i64::from(h.spec.min_replicas.unwrap_or(1));
            let hmax = i64::from(h.spec.max_replicas);
            let name = h.metadata.name.as_deref().unwrap_or_default();
            Some(if hmin >= min && hmax <= max && hmin <= hmax {
                CheckResult::pass(
                    Check::ScalingMatch,
                    reasons::MATCH,
                    format!("HPA {name} scales {hmin}..{hmax} within {range}"),
                )
            } else {
                CheckResult::fail(
                    Check::ScalingMatch,
                    reasons::HPA_OUT_OF_RANGE,
                    format!("HPA {name} scales {hmin}..{hmax}, outside the contract's {range}"),
                )
            })
        }
        Observed::Found(None) | Observed::Missing => {
            let replicas = i64::from(w.replicas()?);
            Some(if replicas >= min && replicas <= max {
                CheckResult::pass(
                    Check::ScalingMatch,
                    reasons::MATCH,
                    format!("{replicas} replicas within {range}"),
                )
            } else {
                CheckResult::fail(
                    Check::ScalingMatch,
                    reasons::REPLICAS_OUT_OF_RANGE,
                    format!("{replicas} replicas, outside the contract's {range}"),
                )
            })
        }
    }
}
