//! Prometheus metrics (text exposition at `/metrics`).

use crate::snapshot::Snapshot;
use prometheus::{
    Encoder, Histogram, HistogramOpts, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
};
use std::time::Duration;

pub struct Metrics {
    registry: Registry,
    pub requests: Option<IntCounterVec>,
    services: Option<IntGauge>,
    by_status: Option<IntGaugeVec>,
    builds: Option<Histogram>,
    pub resident_bytes: Option<IntGauge>,
}

impl Metrics {
    pub fn new() -> Self {
        let registry = Registry::new();
        // Registration only fails on duplicate names, which these constants exclude;
        // a failure leaves the metric out rather than stopping the server.
        fn reg<T: prometheus::core::Collector + Clone + 'static>(
            r: &Registry,
            m: prometheus::Result<T>,
        ) -> Option<T> {
            let m = m.ok()?;
            r.register(Box::new(m.clone())).ok()?;
            Some(m)
        }
        Metrics {
            requests: reg(
                &registry,
                IntCounterVec::new(
                    Opts::new(
                        "pacto_dashboard_http_requests_total",
                        "HTTP requests by route and status class",
                    ),
                    &["route", "code"],
                ),
            ),
            services: reg(
                &registry,
                IntGauge::new(
                    "pacto_dashboard_services",
                    "Services in the current snapshot",
                ),
            ),
            by_status: reg(
                &registry,
                IntGaugeVec::new(
                    Opts::new(
                        "pacto_dashboard_services_by_status",
                        "Services by contract status",
                    ),
                    &["status"],
                ),
            ),
            builds: reg(
                &registry,
                Histogram::with_opts(HistogramOpts::new(
                    "pacto_dashboard_snapshot_build_seconds",
                    "Time to build a snapshot",
                )),
            ),
            resident_bytes: reg(
                &registry,
                IntGauge::new(
                    "pacto_dashboard_bundle_cache_bytes",
                    "Bundle bytes resident in the LRU",
                ),
            ),
            registry,
        }
    }

    pub fn observe_build(&self, took: Duration, snap: &Snapshot) {
        if let Some(h) = &self.builds {
            h.observe(took.as_secs_f64());
        }
        if let Some(g) = &self.services {
            g.set(snap.services.len() as i64);
        }
        if let Some(g) = &self.by_status {
            g.reset();
            for s in snap.services.values() {
                g.with_label_values(&[s.status.as_str()]).inc();
            }
        }
    }

    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut buf);
        String::from_utf8(buf).unwrap_or_default()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}
