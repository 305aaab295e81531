//! Layer 3: advisory consistency between runtime settings (warnings only).

use super::codes;
use crate::finding::Finding;
use crate::model::{Contract, StateType, UpgradeStrategy};

pub fn check(contract: &Contract) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(rt) = &contract.runtime else {
        return out;
    };
    let strategy = rt.lifecycle.as_ref().and_then(|l| l.upgrade_strategy);
    if strategy == Some(UpgradeStrategy::Ordered) && rt.state.kind == StateType::Stateless {
        out.push(Finding::warning(
            codes::UPGRADE_STRATEGY_STATE_MISMATCH,
            "runtime.lifecycle.upgradeStrategy",
            "`ordered` upgrades exist for stateful workloads, but this service is stateless: use `rolling`, or declare the state it keeps",
        ));
    }
    out
}
