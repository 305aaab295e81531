//! The immutable snapshot every request reads: contract versions merged by source
//! priority, the k8s overlay, dependents, blast radius and the list answer, built by a
//! pure function of what the sources returned.

use crate::model::{
    ContractStatus, DependencyRef, Inputs, RevisionRecord, RuntimeRecord, ServiceListEntry,
    SourceInfo, SourceKind, VersionRecord,
};
use crate::version_order::newest_first;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

/// One version after merging: the record of the winning source and every source having it.
#[derive(Debug, Clone)]
pub struct MergedVersion {
    pub record: VersionRecord,
    pub sources: Vec<SourceKind>,
}

#[derive(Debug, Clone)]
pub struct ServiceEntry {
    pub name: String,
    /// Newest first.
    pub versions: Vec<MergedVersion>,
    /// Index into `versions` of the version whose content is shown.
    pub current: Option<usize>,
    pub runtime: Vec<RuntimeRecord>,
    pub revisions: Vec<RevisionRecord>,
    pub status: ContractStatus,
    /// Services whose current contract depends on this one, with the edge.
    pub dependents: Vec<(String, DependencyRef)>,
    pub blast_radius: u32,
    pub entry: ServiceListEntry,
}

impl ServiceEntry {
    pub fn current(&self) -> Option<&MergedVersion> {
        self.current.and_then(|i| self.versions.get(i))
    }

    pub fn version(&self, v: &str) -> Option<&MergedVersion> {
        self.versions.iter().find(|m| m.record.version == v)
    }

    /// What the KPI cards count for this service: the status of each of its Pacto objects
    /// (two Compliant and one Warning count 2 + 1), or its own status once when none
    /// targets it (Reference, or Invalid for a failing contract).
    pub fn instance_statuses(&self) -> Vec<ContractStatus> {
        if self.runtime.is_empty() {
            return vec![self.status];
        }
        self.runtime.iter().map(crate::runtime::status).collect()
    }

    /// The KPI cards this service is counted under, each once (a row's filter keys).
    pub fn kpis(&self) -> Vec<&'static str> {
        let set: BTreeSet<&'static str> = self
            .instance_statuses()
            .into_iter()
            .map(crate::model::kpi)
            .collect();
        set.into_iter().collect()
    }
}

#[derive(Debug)]
pub struct Snapshot {
    pub id: u64,
    pub services: BTreeMap<String, ServiceEntry>,
    pub sources: Vec<SourceInfo>,
    /// Pre-serialised `/api/services` answer.
    pub list_json: Arc<[u8]>,
    /// Changes iff anything a page shows changed (drives `/api/events`).
    pub fingerprint: String,
}

impl Snapshot {
    pub fn empty() -> Self {
        Snapshot {
            id: 0,
            services: BTreeMap::new(),
            sources: Vec::new(),
            list_json: Arc::from(&b"[]"[..]),
            fingerprint: String::new(),
        }
    }

    pub fn build(id: u64, inputs: Inputs) -> Snapshot {
        let mut by_name: BTreeMap<String, BTreeMap<String, MergedVersion>> = BTreeMap::new();
        let mut versions = inputs.versions;
        // Priority order: the first record seen for a version wins.
        versions.sort_by_key(|r| r.source);
        for r in versions {
            let slot = by_name.entry(r.name.clone()).or_default();
            match slot.get_mut(&r.version) {
                Some(m) => {
                    if !m.sources.contains(&r.source) {
                        m.sources.push(r.source);
                    }
                    // A lower-priority source may have read a bundle the winner has not.
                    if m.record.summary.is_none() && r.summary.is_some() {
                        m.record.summary = r.summary.clone();
                    }
                }
                None => {
                    slot.insert(
                        r.version.clone(),
                        MergedVersion {
                            sources: vec![r.source],
                            record: r,
                        },
                    );
                }
            }
        }
        let mut runtime: BTreeMap<String, Vec<RuntimeRecord>> = BTreeMap::new();
        for r in inputs.runtime {
            runtime.entry(r.service.clone()).or_default().push(r);
        }
        // One stable order for the instance table and the fingerprint.
        for rs in runtime.values_mut() {
            rs.sort_by(|a, b| (&a.namespace, &a.object).cmp(&(&b.namespace, &b.object)));
        }
        let mut revisions: BTreeMap<String, Vec<RevisionRecord>> = BTreeMap::new();
        for r in inputs.revisions {
            revisions.entry(r.service.clone()).or_default().push(r);
        }
        let names: BTreeSet<String> = by_name.keys().chain(runtime.keys()).cloned().collect();
        let mut services = BTreeMap::new();
        for name in names {
            let mut vs: Vec<MergedVersion> = by_name
                .remove(&name)
                .map(|m| m.into_values().collect())
                .unwrap_or_default();
            vs.sort_by(|a, b| newest_first(&a.record.version, &b.record.version));
            let current = pick_current(&vs);
            let rt = runtime.remove(&name).unwrap_or_default();
            let status = status_of(current.and_then(|i| vs.get(i)), &rt);
            services.insert(
                name.clone(),
                ServiceEntry {
                    entry: placeholder_entry(&name),
                    name,
                    current,
                    versions: vs,
                    runtime: rt,
                    revisions: Vec::new(),
                    status,
                    dependents: Vec::new(),
                    blast_radius: 0,
                },
            );
        }
        // Revisions are keyed by service name; attach after the loop (borrowck-friendly).
        for (name, revs) in revisions {
            if let Some(s) = services.get_mut(&name) {
                s.revisions = revs;
            }
        }
        link_dependents(&mut services);
        for s in services.values_mut() {
            s.entry = list_entry(s);
        }
        let list: Vec<&ServiceListEntry> = services.values().map(|s| &s.entry).collect();
        let list_json: Arc<[u8]> = serde_json::to_vec(&list).unwrap_or_default().into();
        let fingerprint = fingerprint(&list_json, &services);
        Snapshot {
            id,
            services,
            sources: inputs.sources,
            list_json,
            fingerprint,
        }
    }

    /// Instances per KPI card (see [`ServiceEntry::instance_statuses`]).
    pub fn kpi_counts(&self) -> BTreeMap<&'static str, usize> {
        let mut out = BTreeMap::new();
        for st in self.services.values().flat_map(|s| s.instance_statuses()) {
            *out.entry(crate::model::kpi(st)).or_insert(0) += 1;
        }
        out
    }

    /// Resolves a dependency name to a known service (a `-pacto` repo suffix is tolerated).
    pub fn resolve(&self, name: &str) -> Option<&ServiceEntry> {
        resolve_in(&self.services, name)
    }
}

pub fn resolve_in<'a>(
    services: &'a BTreeMap<String, ServiceEntry>,
    name: &str,
) -> Option<&'a ServiceEntry> {
    services
        .get(name)
        .or_else(|| name.strip_suffix("-pacto").and_then(|n| services.get(n)))
}

/// Contract content comes from the highest-priority source that has the service; within
/// it, the newest version.
fn pick_current(vs: &[MergedVersion]) -> Option<usize> {
    let best = vs.iter().map(|m| m.record.source).min()?;
    vs.iter().position(|m| m.record.source == best)
}

fn status_of(current: Option<&MergedVersion>, rt: &[RuntimeRecord]) -> ContractStatus {
    if let Some(s) = current.and_then(|m| m.record.summary.as_ref())
        && !s.valid
    {
        return ContractStatus::Invalid;
    }
    ContractStatus::worst_of(rt.iter().map(crate::runtime::status))
        .unwrap_or(ContractStatus::Reference)
}

fn link_dependents(services: &mut BTreeMap<String, ServiceEntry>) {
    let mut dependents: BTreeMap<String, Vec<(String, DependencyRef)>> = BTreeMap::new();
    for s in services.values() {
        let Some(sum) = s.current().and_then(|m| m.record.summary.as_ref()) else {
            continue;
        };
        for d in &sum.dependencies {
            if let Some(target) = resolve_in(services, &d.name) {
                dependents
                    .entry(target.name.clone())
                    .or_default()
                    .push((s.name.clone(), d.clone()));
            }
        }
    }
    // Blast radius: everything reachable backwards over required edges.
    let mut radius = BTreeMap::new();
    for name in services.keys() {
        let mut seen = BTreeSet::new();
        let mut queue = VecDeque::from([name.clone()]);
        while let Some(n) = queue.pop_front() {
            for (from, d) in dependents.get(&n).into_iter().flatten() {
                if d.required && from != name && seen.insert(from.clone()) {
                    queue.push_back(from.clone());
                }
            }
        }
        radius.insert(name.clone(), seen.len() as u32);
    }
    for (name, s) in services.iter_mut() {
        s.dependents = dependents.remove(name).unwrap_or_default();
        s.blast_radius = radius.get(name).copied().unwrap_or(0);
    }
}

fn placeholder_entry(name: &str) -> ServiceListEntry {
    ServiceListEntry {
        name: name.to_string(),
        version: None,
        owner: None,
        namespaces: Vec::new(),
        contract_status: ContractStatus::Unknown,
        instance_statuses: BTreeMap::new(),
        checks_passed: 0,
        checks_total: 0,
        blast_radius: 0,
        sources: Vec::new(),
        version_count: 0,
    }
}

fn list_entry(s: &ServiceEntry) -> ServiceListEntry {
    let cur = s.current();
    let mut sources: BTreeSet<SourceKind> = s
        .versions
        .iter()
        .flat_map(|m| m.sources.iter().copied())
        .collect();
    if !s.runtime.is_empty() {
        sources.insert(SourceKind::K8s);
    }
    let deployed = s
        .runtime
        .iter()
        .find_map(|r| r.status.contract_version.clone());
    let owner = cur
        .and_then(|m| m.record.summary.as_ref())
        .and_then(|x| x.owner.clone())
        .or_else(|| s.runtime.iter().find_map(crate::runtime::owner));
    let (passed, total) = s.runtime.iter().fold((0, 0), |(p, t), r| {
        let sum = r.status.summary.as_ref();
        (
            p + sum.map(|x| x.passed.max(0) as u32).unwrap_or(0),
            t + sum.map(|x| x.total.max(0) as u32).unwrap_or(0),
        )
    });
    let namespaces: BTreeSet<String> = s.runtime.iter().map(|r| r.namespace.clone()).collect();
    let mut instance_statuses = BTreeMap::new();
    for r in &s.runtime {
        *instance_statuses
            .entry(crate::runtime::status(r).as_str().to_string())
            .or_insert(0) += 1;
    }
    ServiceListEntry {
        name: s.name.clone(),
        version: cur.map(|m| m.record.version.clone()).or(deployed),
        owner,
        namespaces: namespaces.into_iter().collect(),
        contract_status: s.status,
        instance_statuses,
        checks_passed: passed,
        checks_total: total,
        blast_radius: s.blast_radius,
        sources: sources.into_iter().collect(),
        version_count: s.versions.len() as u32,
    }
}

fn fingerprint(list: &[u8], services: &BTreeMap<String, ServiceEntry>) -> String {
    let mut h = Sha256::new();
    h.update(list);
    for s in services.values() {
        for v in &s.versions {
            h.update(v.record.version.as_bytes());
            h.update(v.record.source.as_str());
            if let Some(sum) = &v.record.summary {
                h.update(sum.contract_hash.as_bytes());
            }
        }
        for r in &s.runtime {
            h.update(serde_json::to_vec(&*r.status).unwrap_or_default());
        }
        for r in &s.revisions {
            h.update(r.version.as_bytes());
        }
    }
    hex::encode(h.finalize())
}
