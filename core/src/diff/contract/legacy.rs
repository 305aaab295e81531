//! The 1.x fields 2.0 cannot express (ports, image, chart, scaling, lifecycle, the health
//! probe delay), read from a 1.x contract's own fields or from the legacy extension a
//! migrated 2.0 contract keeps them in, and what the diff says when they are lost.

use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

use super::{Differ, json};
use crate::diff::change::{Change, ChangeType, Classification};
use crate::diff::rules;
use crate::model::{Chart, Contract, Image, Lifecycle, Scaling};

/// The `extensions` key under which `pacto migrate` keeps the 1.x fields 2.0 lacks
/// (`model::preserved`). The diff reads it as those fields, not as an extension.
pub use crate::model::PRESERVED_EXTENSION as LEGACY_EXTENSION;

/// The 1.x-only values of one contract.
#[derive(Debug, Default)]
pub(super) struct Legacy {
    pub ports: BTreeMap<String, u32>,
    pub image: Option<Image>,
    pub chart: Option<Chart>,
    pub scaling: Option<Scaling>,
    pub lifecycle: Option<Lifecycle>,
    pub health_delay: Option<u64>,
}

impl Legacy {
    pub fn of(c: &Contract) -> Self {
        if !c.pacto_version.is_v2() {
            let runtime = c.runtime.as_ref();
            return Self {
                ports: c
                    .interfaces
                    .iter()
                    .filter_map(|i| Some((i.name.clone(), i.port?)))
                    .collect(),
                image: c.service.image.clone(),
                chart: c.service.chart.clone(),
                scaling: c.scaling.clone(),
                lifecycle: runtime.and_then(|r| r.lifecycle.clone()),
                health_delay: c.health().and_then(|h| h.initial_delay_seconds),
            };
        }
        let Some(p) = c.preserved() else {
            return Self::default();
        };
        Self {
            ports: p.ports,
            image: p.image,
            chart: p.chart,
            scaling: p.scaling,
            lifecycle: p.lifecycle,
            health_delay: p.health_initial_delay_seconds,
        }
    }
}

impl Differ<'_> {
    /// A 1.x value present on the old 1.x side and absent from the new 2.0 side (not
    /// kept in the legacy extension): 2.0 cannot say it, so the contract no longer does.
    fn lost<T>(&self, a: Option<&T>, b: Option<&T>) -> bool {
        !self.old_v2 && self.new_v2 && a.is_some() && b.is_none()
    }

    /// One change per lost field, never worse than POTENTIAL_BREAKING: the value did
    /// not change, the contract stopped stating it.
    fn emit_lost(&mut self, path: &str, old: Value) {
        let rule = rules::classify(path, ChangeType::Removed);
        let cls = rule.min(Classification::PotentialBreaking);
        let hint = if path.ends_with(".port") {
            " (2.0 leaves ports to the Pacto resource's interfaceBindings)"
        } else {
            ""
        };
        let reason = format!(
            "{path} is not expressible in pactoVersion 2.0 and was not kept under \
             extensions[{LEGACY_EXTENSION}]{hint}"
        );
        self.out
            .push(Change::new(path, ChangeType::Removed, cls, reason).with_old(old));
    }

    /// A leaf 1.x field: lost, or compared like any field.
    pub(super) fn carried<T: Serialize>(&mut self, path: &str, a: Option<&T>, b: Option<&T>) {
        match a {
            Some(x) if self.lost(a, b) => self.emit_lost(path, json(x)),
            _ => self.field(path, a, b),
        }
    }

    /// A structured 1.x field: lost as a whole, compared field by field when both
    /// sides have it, else added or removed as a whole.
    fn carried_struct<T: Serialize>(
        &mut self,
        path: &str,
        a: Option<&T>,
        b: Option<&T>,
        each: impl FnOnce(&mut Self, &T, &T),
    ) {
        match (a, b) {
            (Some(x), Some(y)) => each(self, x, y),
            (Some(x), None) if self.lost(a, b) => self.emit_lost(path, json(x)),
            _ => self.field(path, a, b),
        }
    }

    pub(super) fn image_and_chart(&mut self, lx: &Legacy, ly: &Legacy) {
        self.carried_struct(
            "service.image",
            lx.image.as_ref(),
            ly.image.as_ref(),
            |d, x, y| {
                d.field("service.image.ref", Some(&x.reference), Some(&y.reference));
                d.field("service.image.private", Some(&x.private), Some(&y.private));
            },
        );
        self.carried_struct(
            "service.chart",
            lx.chart.as_ref(),
            ly.chart.as_ref(),
            |d, x, y| {
                d.field("service.chart.ref", Some(&x.reference), Some(&y.reference));
                d.field("service.chart.version", Some(&x.version), Some(&y.version));
            },
        );
    }

    pub(super) fn scaling_legacy(&mut self, lx: &Legacy, ly: &Legacy) {
        self.carried_struct(
            "scaling",
            lx.scaling.as_ref(),
            ly.scaling.as_ref(),
            |d, x, y| d.scaling(Some(x), Some(y)),
        );
    }

    /// `runtime.lifecycle.*` and `runtime.health.initialDelaySeconds` when either side
    /// is 2.0 (both 1.x: [`Differ::runtime`] compares them with the rest of `runtime`).
    pub(super) fn lifecycle_and_probes(&mut self, lx: &Legacy, ly: &Legacy) {
        let (a, b) = (lx.lifecycle.as_ref(), ly.lifecycle.as_ref());
        let us = |l: Option<&Lifecycle>| l.and_then(|l| l.upgrade_strategy);
        let gs = |l: Option<&Lifecycle>| l.and_then(|l| l.graceful_shutdown_seconds);
        self.carried(
            "runtime.lifecycle.upgradeStrategy",
            us(a).as_ref(),
            us(b).as_ref(),
        );
        self.carried(
            "runtime.lifecycle.gracefulShutdownSeconds",
            gs(a).as_ref(),
            gs(b).as_ref(),
        );
        self.carried(
            "runtime.health.initialDelaySeconds",
            lx.health_delay.as_ref(),
            ly.health_delay.as_ref(),
        );
    }
}
