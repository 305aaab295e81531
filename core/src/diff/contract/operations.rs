//! Operational sections: the 1.x runtime, scaling, dependencies and readiness.

use serde_json::Value;

use super::{Differ, json, keyed};
use crate::diff::change::ChangeType;
use crate::model::{Contract, Health, Lifecycle, Metrics, Readiness, Runtime, Scaling};

impl Differ<'_> {
    pub(super) fn runtime(&mut self, a: Option<&Runtime>, b: Option<&Runtime>) {
        let (x, y) = match (a, b) {
            (Some(x), Some(y)) => (x, y),
            (x, y) => return self.field("runtime", x, y),
        };
        self.field("runtime.workload", Some(&x.workload), Some(&y.workload));
        let (sx, sy) = (&x.state, &y.state);
        self.field("runtime.state.type", Some(&sx.kind), Some(&sy.kind));
        self.field(
            "runtime.state.persistence.scope",
            Some(&sx.persistence.scope),
            Some(&sy.persistence.scope),
        );
        self.field(
            "runtime.state.persistence.durability",
            Some(&sx.persistence.durability),
            Some(&sy.persistence.durability),
        );
        self.field(
            "runtime.state.dataCriticality",
            Some(&sx.data_criticality),
            Some(&sy.data_criticality),
        );

        let (lx, ly) = (x.lifecycle.as_ref(), y.lifecycle.as_ref());
        let us = |l: Option<&Lifecycle>| l.and_then(|l| l.upgrade_strategy);
        let gs = |l: Option<&Lifecycle>| l.and_then(|l| l.graceful_shutdown_seconds);
        self.field(
            "runtime.lifecycle.upgradeStrategy",
            us(lx).as_ref(),
            us(ly).as_ref(),
        );
        self.field(
            "runtime.lifecycle.gracefulShutdownSeconds",
            gs(lx).as_ref(),
            gs(ly).as_ref(),
        );

        let (hx, hy) = (x.health.as_ref(), y.health.as_ref());
        let hi = |h: Option<&Health>| h.map(|h| h.interface.clone());
        let hp = |h: Option<&Health>| h.and_then(|h| h.path.clone());
        let hd = |h: Option<&Health>| h.and_then(|h| h.initial_delay_seconds);
        self.field("runtime.health.interface", hi(hx).as_ref(), hi(hy).as_ref());
        self.field("runtime.health.path", hp(hx).as_ref(), hp(hy).as_ref());
        self.field(
            "runtime.health.initialDelaySeconds",
            hd(hx).as_ref(),
            hd(hy).as_ref(),
        );

        let (mx, my) = (x.metrics.as_ref(), y.metrics.as_ref());
        let mi = |m: Option<&Metrics>| m.map(|m| m.interface.clone());
        let mp = |m: Option<&Metrics>| m.and_then(|m| m.path.clone());
        self.field(
            "runtime.metrics.interface",
            mi(mx).as_ref(),
            mi(my).as_ref(),
        );
        self.field("runtime.metrics.path", mp(mx).as_ref(), mp(my).as_ref());
    }

    pub(super) fn scaling(&mut self, a: Option<&Scaling>, b: Option<&Scaling>) {
        let (x, y) = match (a, b) {
            (Some(x), Some(y)) => (x, y),
            (x, y) => return self.field("scaling", x, y),
        };
        if x.replicas.is_some() != y.replicas.is_some() {
            // Fixed count ↔ range: one change for the form switch.
            return self.field("scaling", Some(x), Some(y));
        }
        self.field("scaling.replicas", x.replicas.as_ref(), y.replicas.as_ref());
        self.field("scaling.min", x.min.as_ref(), y.min.as_ref());
        self.field("scaling.max", x.max.as_ref(), y.max.as_ref());
    }

    pub(super) fn dependencies(&mut self, old: &Contract, new: &Contract) {
        let a = keyed(old.dependencies.iter().map(|d| (d.key(), d)));
        let b = keyed(new.dependencies.iter().map(|d| (d.key(), d)));
        self.keyed_items(
            "dependencies",
            &a,
            &b,
            |d| Value::String(d.reference.clone()),
            |d, p, x, y| {
                d.field(&format!("{p}.ref"), Some(&x.reference), Some(&y.reference));
                d.field(
                    &format!("{p}.compatibility"),
                    Some(&x.compatibility),
                    Some(&y.compatibility),
                );
                d.field(
                    &format!("{p}.required"),
                    Some(&x.required),
                    Some(&y.required),
                );
            },
        );
    }

    /// Readiness never affects compatibility: every change is NON_BREAKING.
    pub(super) fn readiness(&mut self, a: Option<&Readiness>, b: Option<&Readiness>) {
        let (x, y) = match (a, b) {
            (Some(x), Some(y)) => (x, y),
            (x, y) => return self.field("readiness", x, y),
        };
        self.field(
            "readiness.minScore",
            x.min_score.as_ref(),
            y.min_score.as_ref(),
        );
        self.field("readiness.expires", x.expires.as_ref(), y.expires.as_ref());
        self.field(
            "readiness.partialCredit",
            x.partial_credit.as_ref(),
            y.partial_credit.as_ref(),
        );
        // 1.x `checks` and 2.0 `claims` are one list, named as the new side names it.
        let items = |r: &Readiness| keyed(r.items().iter().map(|c| (c.id.clone(), c.clone())));
        let list = if self.new_v2 {
            "readiness.claims"
        } else {
            "readiness.checks"
        };
        self.keyed_items(list, &items(x), &items(y), json, |d, p, x, y| {
            if x != y {
                d.emit(p.into(), ChangeType::Modified, Some(json(x)), Some(json(y)));
            }
        });
    }
}
