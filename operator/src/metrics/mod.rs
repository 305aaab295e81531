//! Prometheus metrics (`prometheus` crate, own registry). Per-Pacto series are labelled by the
//! Pacto's namespace/name (not the contract's service name, which can collide) and removed when
//! the Pacto goes away; controller metrics carry only low-cardinality labels.

mod exposition;
mod pacto_series;

use std::time::Duration;

use futures_util::StreamExt;
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry, TextEncoder,
};

#[derive(Debug, thiserror::Error)]
#[error("metrics registry: {0}")]
pub struct MetricsError(#[from] prometheus::Error);

pub struct Metrics {
    registry: Registry,
    /// `pacto_contract_status` and `pacto_check_result`, outside the registry (see
    /// [`pacto_series`]).
    pactos: pacto_series::PactoSeries,
    reconcile_duration: HistogramVec,
    reconciliations: IntCounter,
    errors: IntCounterVec,
    oci: HistogramVec,
    probe: HistogramVec,
    status_writes: IntCounter,
    leader: IntGauge,
    api_requests: IntCounterVec,
    watched: IntGaugeVec,
    shard: IntGauge,
    trailing: IntGauge,
}

/// Pactos per chunk of `/metrics` (~14 lines of ~90 bytes each: ~128 KiB).
const PAGE_PACTOS: usize = 100;

fn buckets() -> Vec<f64> {
    vec![
        0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
    ]
}

impl Metrics {
    pub fn new() -> Result<Self, MetricsError> {
        let registry = Registry::new();
        let reconcile_duration = HistogramVec::new(
            HistogramOpts::new(
                "pacto_reconcile_duration_seconds",
                "Duration of one reconcile",
            )
            .buckets(buckets()),
            &["outcome"],
        )?;
        let reconciliations = IntCounter::new("pacto_reconciliations_total", "Reconciles run")?;
        let errors = IntCounterVec::new(
            Opts::new(
                "pacto_reconcile_errors_total",
                "Reconcile errors by category",
            ),
            &["category"],
        )?;
        let oci = HistogramVec::new(
            HistogramOpts::new(
                "pacto_oci_request_duration_seconds",
                "Registry requests (resolve, list_tags, pull)",
            )
            .buckets(buckets()),
            &["operation", "outcome"],
        )?;
        let probe = HistogramVec::new(
            HistogramOpts::new(
                "pacto_probe_duration_seconds",
                "Endpoint probe latency per replica",
            )
            .buckets(buckets()),
            &["kind", "outcome"],
        )?;
        let status_writes = IntCounter::new("pacto_status_writes_total", "Status patches sent")?;
        let leader = IntGauge::new(
            "pacto_leader",
            "1 while this replica holds the leader Lease",
        )?;
        let api_requests = IntCounterVec::new(
            Opts::new(
                "pacto_api_requests_total",
                "Kubernetes API requests issued, by verb",
            ),
            &["verb"],
        )?;
        registry.register(Box::new(api_requests.clone()))?;
        let watched = IntGaugeVec::new(
            Opts::new(
                "pacto_watched_objects",
                "Objects held in the watch-fed target stores, by kind",
            ),
            &["kind"],
        )?;
        registry.register(Box::new(watched.clone()))?;
        let shard = IntGauge::new(
            "pacto_shard",
            "The shard this replica reconciles (with --shards), -1 while standing by",
        )?;
        registry.register(Box::new(shard.clone()))?;
        let trailing = IntGauge::new(
            "pacto_trailing_writes_pending",
            "Reconciles whose revision and event writes are queued behind the status writes",
        )?;
        registry.register(Box::new(trailing.clone()))?;
        registry.register(Box::new(reconcile_duration.clone()))?;
        registry.register(Box::new(reconciliations.clone()))?;
        registry.register(Box::new(errors.clone()))?;
        registry.register(Box::new(oci.clone()))?;
        registry.register(Box::new(probe.clone()))?;
        registry.register(Box::new(status_writes.clone()))?;
        registry.register(Box::new(leader.clone()))?;
        Ok(Self {
            registry,
            pactos: pacto_series::PactoSeries::default(),
            reconcile_duration,
            reconciliations,
            errors,
            oci,
            probe,
            status_writes,
            leader,
            api_requests,
            watched,
            shard,
            trailing,
        })
    }

    /// Sets a Pacto's status and check series, deleting checks it no longer reports.
    pub fn set_pacto(
        &self,
        ns: &str,
        name: &str,
        status: &str,
        checks: &[(&'static str, bool)],
        readiness: Option<&pacto_crds::status::ReadinessStatus>,
    ) {
        self.pactos.set(ns, name, status, checks, readiness);
    }

    /// Pactos with series, as (namespace, name).
    pub fn pactos(&self) -> Vec<(String, String)> {
        self.pactos.pactos()
    }

    /// Removes every series of a deleted Pacto.
    pub fn remove_pacto(&self, ns: &str, name: &str) {
        self.pactos.remove(ns, name);
    }

    pub fn observe_reconcile(&self, d: Duration, ok: bool) {
        self.reconciliations.inc();
        self.reconcile_duration
            .with_label_values(&[if ok { "ok" } else { "error" }])
            .observe(d.as_secs_f64());
    }

    pub fn count_error(&self, category: &str) {
        self.errors.with_label_values(&[category]).inc();
    }

    pub fn observe_oci(&self, op: &str, d: Duration, ok: bool) {
        self.oci
            .with_label_values(&[op, if ok { "ok" } else { "error" }])
            .observe(d.as_secs_f64());
    }

    pub fn observe_probe(&self, kind: &str, d: Duration, ok: bool) {
        self.probe
            .with_label_values(&[kind, if ok { "ok" } else { "error" }])
            .observe(d.as_secs_f64());
    }

    pub fn count_status_write(&self) {
        self.status_writes.inc();
    }

    pub fn status_writes(&self) -> u64 {
        self.status_writes.get()
    }

    /// Counts one API request (`verb`: HTTP method, or WATCH).
    pub fn count_api_request(&self, verb: &str) {
        self.api_requests.with_label_values(&[verb]).inc();
    }

    /// Objects the watch-fed stores hold, by kind.
    pub fn set_watched(&self, kind: &str, objects: usize) {
        self.watched
            .with_label_values(&[kind])
            .set(i64::try_from(objects).unwrap_or(i64::MAX));
    }

    pub fn set_shard(&self, shard: Option<u32>) {
        self.shard.set(shard.map_or(-1, i64::from));
    }

    pub fn set_trailing_pending(&self, jobs: usize) {
        self.trailing.set(i64::try_from(jobs).unwrap_or(i64::MAX));
    }

    pub fn set_leader(&self, leading: bool) {
        self.leader.set(i64::from(leading));
    }

    /// The text exposition in chunks: the registry's families, then the per-Pacto series a
    /// few hundred Pactos at a time (never the whole text in memory at once).
    pub fn render_chunks(
        self: std::sync::Arc<Self>,
    ) -> impl futures_util::Stream<Item = Result<String, MetricsError>> + Send {
        let head = self.registry_text();
        let first = futures_util::stream::once(async move { head });
        let rest = futures_util::stream::unfold(
            (self, pacto_series::Cursor::default(), false),
            |(m, mut cursor, done)| async move {
                if done {
                    return None;
                }
                let mut page = String::with_capacity(64 * 1024);
                let more = m.pactos.page(&mut cursor, PAGE_PACTOS, &mut page);
                Some((Ok(page), (m, cursor, !more)))
            },
        );
        first.chain(rest)
    }

    /// The registry's families (the controller metrics) in the text format.
    fn registry_text(&self) -> Result<String, MetricsError> {
        let mut buf = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut buf)?;
        Ok(String::from_utf8_lossy(&buf).into_owned())
    }

    /// The whole exposition at once, for tests: the same pieces as [`Self::render_chunks`],
    /// the per-Pacto series in one page.
    #[cfg(test)]
    pub fn render(&self) -> Result<String, MetricsError> {
        let mut text = self.registry_text()?;
        self.pactos.render(&mut text);
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pacto_crds::ContractStatus;

    fn m() -> Metrics {
        Metrics::new().expect("metrics")
    }

    #[test]
    fn pacto_series_follow_status_and_checks_and_vanish_on_delete() {
        let m = m();
        m.set_pacto(
            "ns",
            "a",
            "Warning",
            &[("PortsValid", false), ("ImageMatch", true)],
            None,
        );
        let text = m.render().expect("render");
        assert!(
            text.contains(r#"pacto_contract_status{name="a",namespace="ns",status="Warning"} 1"#),
            "{text}"
        );
        assert!(
            text.contains(r#"pacto_contract_status{name="a",namespace="ns",status="Compliant"} 0"#)
        );
        assert!(
            text.contains(r#"pacto_check_result{check="PortsValid",name="a",namespace="ns"} 0"#)
        );

        m.set_pacto("ns", "a", "Compliant", &[("ImageMatch", true)], None);
        let text = m.render().expect("render");
        assert!(
            !text.contains("PortsValid"),
            "dropped check series removed: {text}"
        );

        m.set_pacto("ns", "b", "Compliant", &[], None);
        m.remove_pacto("ns", "a");
        let text = m.render().expect("render");
        assert!(!text.contains(r#"name="a""#), "{text}");
        assert!(text.contains(r#"name="b""#));
    }

    #[test]
    fn one_status_series_per_contract_status() {
        let m = m();
        m.set_pacto("ns", "a", ContractStatus::Reference.as_str(), &[], None);
        let text = m.render().expect("render");
        let series: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("pacto_contract_status{"))
            .collect();
        assert_eq!(series.len(), ContractStatus::ALL.len(), "{text}");
        for s in ContractStatus::ALL {
            let want = if s == ContractStatus::Reference { 1 } else { 0 };
            let line =
                format!(r#"pacto_contract_status{{name="a",namespace="ns",status="{s}"}} {want}"#);
            assert!(series.contains(&line.as_str()), "missing {line}:\n{text}");
        }
    }

    #[test]
    fn controller_metrics_render() {
        let m = m();
        m.observe_reconcile(Duration::from_millis(3), true);
        m.count_error("registry");
        m.observe_oci("pull", Duration::from_millis(20), true);
        m.observe_probe("health", Duration::from_millis(2), false);
        m.count_status_write();
        let text = m.render().expect("render");
        for needle in [
            "pacto_reconcile_duration_seconds_bucket",
            r#"pacto_reconcile_errors_total{category="registry"} 1"#,
            r#"pacto_oci_request_duration_seconds_count{operation="pull",outcome="ok"} 1"#,
            r#"pacto_probe_duration_seconds_count{kind="health",outcome="error"} 1"#,
            "pacto_status_writes_total 1",
        ] {
            assert!(text.contains(needle), "missing {needle}:\n{text}");
        }
        assert_eq!(m.status_writes(), 1);
    }
}
