//! Endpoint probe results as the runtime's probe pool reports them, and the pure rules that
//! fold one probe round into the running counters.

/// Which endpoint a probe is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProbeKind {
    /// `runtime.health`: any 2xx answer passes.
    Health,
    /// `runtime.metrics`: 200 with a body that parses as Prometheus text.
    Metrics,
}

/// One replica's answer in one round.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReplicaResult {
    /// Endpoint address (IP) probed.
    pub address: String,
    /// Pod behind the address (EndpointSlice `targetRef`), when known.
    pub pod_name: Option<String>,
    /// The answer passed the endpoint's rule.
    pub ok: bool,
    /// HTTP status code, when a response arrived.
    pub status_code: Option<u16>,
    /// Short, stable description of the failure (no addresses or timings in it).
    pub error: Option<String>,
    /// Round-trip time in milliseconds (volatile: never makes a status write on its own).
    pub latency_ms: u64,
}

/// Latest round of one endpoint plus how many rounds in a row agreed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EndpointProbe {
    /// Path-level URL shown in status (`http://<service>:<port><path>`).
    pub url: String,
    /// Per-replica results of the latest round, sorted by address.
    pub replicas: Vec<ReplicaResult>,
    /// Rounds in a row (including the latest) that failed; 0 when the latest passed or could
    /// not run.
    pub consecutive_failures: u32,
    /// Rounds in a row (including the latest) that passed; 0 when the latest failed.
    pub consecutive_successes: u32,
    /// Set when the probe could not run at all (port not resolvable, no EndpointSlices
    /// readable); the condition becomes `Unknown` with this message.
    pub unobservable: Option<String>,
    /// EndpointSlices or addresses the plan left out and why (shown on the condition).
    pub skipped: Option<String>,
}

/// Probe state for a Pacto (`None`: never probed, or not declared).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProbeResults {
    /// Health endpoint.
    pub health: Option<EndpointProbe>,
    /// Metrics endpoint.
    pub metrics: Option<EndpointProbe>,
}

impl EndpointProbe {
    /// Whether the round passed: at least one replica probed and every replica passed.
    pub fn round_ok(&self) -> bool {
        self.unobservable.is_none()
            && !self.replicas.is_empty()
            && self.replicas.iter().all(|r| r.ok)
    }

    /// Replicas that passed in the latest round.
    pub fn passing(&self) -> usize {
        self.replicas.iter().filter(|r| r.ok).count()
    }

    /// Folds a new round into the counters of `previous` (same endpoint), so the evaluator can
    /// require `probe_threshold` agreeing rounds before a condition flips.
    pub fn record(
        previous: Option<&EndpointProbe>,
        url: String,
        mut replicas: Vec<ReplicaResult>,
        unobservable: Option<String>,
    ) -> EndpointProbe {
        replicas.sort_by(|a, b| a.address.cmp(&b.address));
        for r in &mut replicas {
            r.error = r.error.as_deref().map(cap_error);
        }
        let unobservable = unobservable.as_deref().map(cap_error);
        let mut next = EndpointProbe {
            url,
            replicas,
            consecutive_failures: 0,
            consecutive_successes: 0,
            unobservable,
            skipped: None,
        };
        let (prev_fail, prev_ok) = previous
            .map(|p| (p.consecutive_failures, p.consecutive_successes))
            .unwrap_or((0, 0));
        if next.unobservable.is_some() {
            // Not a verdict on the endpoint: neither streak continues.
        } else if next.round_ok() {
            next.consecutive_successes = prev_ok.saturating_add(1);
        } else {
            next.consecutive_failures = prev_fail.saturating_add(1);
        }
        next
    }
}

/// Longest error text kept for one probe (bytes); a hostile body cannot grow the status.
pub const MAX_ERROR_BYTES: usize = 256;

/// `text` cut to at most [`MAX_ERROR_BYTES`] bytes at a character boundary, control
/// characters replaced, with `…` marking a cut.
pub fn cap_error(text: &str) -> String {
    const MARK: &str = "…";
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if clean.len() <= MAX_ERROR_BYTES {
        return clean;
    }
    let mut end = MAX_ERROR_BYTES - MARK.len();
    while !clean.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{MARK}", &clean[..end])
}

/// Largest body read from a metrics endpoint (the runtime caps the read at this size).
pub const MAX_METRICS_BODY: usize = 1 << 20;

/// Health rule: any 2xx (redirects are not followed, so 3xx fails).
pub fn judge_health(status_code: u16) -> Result<(), String> {
    if (200..300).contains(&status_code) {
        Ok(())
    } else {
        Err(format!("HTTP {status_code}"))
    }
}

/// Metrics rule: HTTP 200 and a body that parses as Prometheus text.
pub fn judge_metrics(status_code: u16, body: &[u8]) -> Result<(), String> {
    if status_code != 200 {
        return Err(format!("HTTP {status_code}"));
    }
    super::prometheus_text::parse_bytes(body)
        .map(|_| ())
        .map_err(|e| cap_error(&format!("not Prometheus text: {e}")))
}

/// One endpoint to probe: the same path and port on every ready address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbePlan {
    /// Health or metrics.
    pub kind: ProbeKind,
    /// URL shown in status (`http://<service>:<service port><path>`).
    pub url: String,
    /// Path (with leading `/`).
    pub path: String,
    /// Port on the endpoint addresses (the resolved target port).
    pub port: i32,
    /// Ready addresses with their pod names, sorted, deduplicated.
    pub addresses: Vec<(String, Option<String>)>,
    /// What was left out and why (see [`super::probe_targets`]); shown on the condition.
    pub skipped: Option<String>,
}

/// Why an endpoint cannot be probed (becomes `EndpointProbe::unobservable`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unprobeable {
    /// Health or metrics.
    pub kind: ProbeKind,
    /// URL shown in status, as far as known.
    pub url: String,
    /// Why.
    pub reason: String,
}

/// What to probe for a Pacto in `namespace`: for the health and metrics endpoints (1.x
/// `runtime.health` / `runtime.metrics`, or 2.0 capabilities bound to an interface), the
/// interface's Service port ([`super::interfaces`]: `target.interfaceBindings`, the declared
/// port, or a Service port named like the interface when `name_match`) → its EndpointSlice port
/// (matched by Service port name) or, without one, the numeric targetPort; on the ready
/// addresses of the EndpointSlices the operator may probe
/// ([`super::probe_targets::probe_targets`]: managed by a Kubernetes endpoint controller,
/// IPv4/IPv6, targets in `namespace`). When slices exist but none of their addresses may be
/// probed, the endpoint is unprobeable and says why.
pub fn plan_probes(
    contract: &pacto_core::Contract,
    target: Option<&pacto_crds::Target>,
    name_match: bool,
    namespace: &str,
    service_name: &str,
    service: &k8s_openapi::api::core::v1::Service,
    slices: &[k8s_openapi::api::discovery::v1::EndpointSlice],
) -> Vec<Result<ProbePlan, Unprobeable>> {
    use super::interfaces::{Interfaces, Resolution, unbound_reason};
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    let ifs = Interfaces::new(contract, target, Some(service), name_match);
    let targets = super::probe_targets::probe_targets(slices, namespace);
    let skipped = targets.skipped_summary();
    let wanted = [
        (ProbeKind::Health, contract.health()),
        (ProbeKind::Metrics, contract.metrics()),
    ];
    let mut out = Vec::new();
    for (kind, spec) in wanted {
        let Some(endpoint) = spec else { continue };
        let iface = &endpoint.interface;
        let path = match endpoint.path.as_deref() {
            Some(p) if p.starts_with('/') => p.to_string(),
            Some(p) => format!("/{p}"),
            None => "/".to_string(),
        };
        let unprobeable = |url: String, reason: String| Unprobeable { kind, url, reason };
        let sp = match ifs.resolve(iface) {
            Resolution::Served { port, .. } => port,
            Resolution::Absent { wanted, .. } | Resolution::Unchecked { wanted, .. } => {
                out.push(Err(unprobeable(
                    format!("http://{service_name}:{}{path}", wanted.show()),
                    format!("the Service does not expose port {}", wanted.show()),
                )));
                continue;
            }
            Resolution::Unbound => {
                let reason = if contract.interface(iface).is_none() {
                    format!("interface {iface} is not declared")
                } else {
                    unbound_reason(contract, iface)
                };
                out.push(Err(unprobeable(
                    format!("http://{service_name}{path}"),
                    reason,
                )));
                continue;
            }
        };
        let port = sp.port;
        let url = format!("http://{service_name}:{port}{path}");
        if targets.addresses.is_empty()
            && let Some(why) = &skipped
        {
            // Slices exist but none may be probed: no verdict on the endpoint itself.
            out.push(Err(Unprobeable {
                kind,
                url,
                reason: format!("nothing to probe; {why}"),
            }));
            continue;
        }
        let slice_port = targets
            .slices
            .iter()
            .flat_map(|s| s.ports.iter().flatten())
            .find(|p| {
                p.name.as_deref().unwrap_or_default() == sp.name.as_deref().unwrap_or_default()
            })
            .and_then(|p| p.port);
        let target_port = slice_port.or(match &sp.target_port {
            None => Some(sp.port),
            Some(IntOrString::Int(n)) => Some(*n),
            Some(IntOrString::String(_)) => None,
        });
        let Some(target_port) = target_port else {
            out.push(Err(Unprobeable {
                kind,
                url,
                reason: format!(
                    "named targetPort of Service port {port} has no EndpointSlice port"
                ),
            }));
            continue;
        };
        out.push(Ok(ProbePlan {
            kind,
            url,
            path,
            port: target_port,
            addresses: targets.addresses.clone(),
            skipped: skipped.clone(),
        }));
    }
    out
}
