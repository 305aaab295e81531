//! What a reconcile decides about PactoRevisions, without I/O: the revision of the current
//! content, whether it is new, and which old ones the retention limit prunes. The status names
//! the decided revision at once; the writes trail (see `crate::trailing`).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use pacto_crds::PactoRevisionSpec;
use pacto_crds::status::RevisionSummary;

use crate::pacto_key::PactoKey;

/// The revision of the content a reconcile checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub key: PactoKey,
    pub uid: Option<String>,
    pub name: String,
    pub spec: PactoRevisionSpec,
    /// `status.contractHash`: sha256 hex of `pacto.yaml`.
    pub contract_hash: String,
    /// `status.createdAt`, whole seconds (what the API stores, so a read-back compares equal).
    pub created_at: Time,
}

/// A revision to write: created, its status set, and older ones past the limit deleted.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRevision {
    pub revision: Candidate,
    /// Names of the revisions the retention limit drops.
    pub prune: Vec<String>,
}

/// The outcome of [`plan`].
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub current: String,
    /// What the status lists after this pass, newest first (the new one included).
    pub known: Vec<RevisionSummary>,
    pub new: Option<NewRevision>,
}

impl Candidate {
    fn summary(&self) -> RevisionSummary {
        RevisionSummary {
            name: self.name.clone(),
            version: self.spec.version.clone(),
            digest: self.spec.source.digest.clone(),
            created_at: Some(self.created_at.clone()),
        }
    }
}

/// Decides whether `c` is new among the `known` revisions (newest first) and what retention
/// keeps of them.
pub fn plan(known: Vec<RevisionSummary>, c: Candidate, limit: usize) -> Planned {
    if known.iter().any(|r| r.name == c.name) {
        return Planned {
            current: c.name,
            known,
            new: None,
        };
    }
    let mut all = known;
    all.insert(0, c.summary());
    newest_first(&mut all);
    let (keep, drop) = split_retained(all, &c.name, limit.max(1));
    Planned {
        current: c.name.clone(),
        known: keep,
        new: Some(NewRevision {
            revision: c,
            prune: drop.into_iter().map(|r| r.name).collect(),
        }),
    }
}

pub(super) fn newest_first(v: &mut [RevisionSummary]) {
    v.sort_by(|a, b| {
        let ka = a.created_at.as_ref().map(|t| t.0);
        let kb = b.created_at.as_ref().map(|t| t.0);
        kb.cmp(&ka).then_with(|| b.name.cmp(&a.name))
    });
}

/// Keeps the newest `limit` revisions (always including `current`); returns (kept, pruned).
pub fn split_retained(
    newest: Vec<RevisionSummary>,
    current: &str,
    limit: usize,
) -> (Vec<RevisionSummary>, Vec<RevisionSummary>) {
    let mut keep = Vec::new();
    let mut drop = Vec::new();
    for r in newest {
        if r.name == current
            || keep.len()
                < limit.saturating_sub(usize::from(
                    !keep.iter().any(|k: &RevisionSummary| k.name == current),
                ))
        {
            keep.push(r);
        } else {
            drop.push(r);
        }
    }
    while keep.len() > limit {
        if let Some(pos) = keep.iter().rposition(|r| r.name != current) {
            drop.push(keep.remove(pos));
        } else {
            break;
        }
    }
    (keep, drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::jiff::Timestamp;

    fn rs(names: &[&str]) -> Vec<RevisionSummary> {
        names
            .iter()
            .map(|n| RevisionSummary {
                name: n.to_string(),
                ..RevisionSummary::default()
            })
            .collect()
    }

    fn at(secs: i64) -> Time {
        Time(Timestamp::from_second(secs).expect("time"))
    }

    fn candidate(name: &str, secs: i64) -> Candidate {
        Candidate {
            key: PactoKey::new("ns", "p"),
            uid: Some("u".into()),
            name: name.into(),
            spec: PactoRevisionSpec {
                version: "1.0.0".into(),
                source: pacto_crds::RevisionSource::default(),
                pacto_ref: "p".into(),
                service_name: None,
            },
            contract_hash: "h".into(),
            created_at: at(secs),
        }
    }

    fn dated(name: &str, secs: i64) -> RevisionSummary {
        RevisionSummary {
            name: name.into(),
            created_at: Some(at(secs)),
            ..RevisionSummary::default()
        }
    }

    #[test]
    fn retention_keeps_newest_and_always_the_current() {
        let (keep, drop) = split_retained(rs(&["e", "d", "c", "b", "a"]), "e", 3);
        assert_eq!(
            keep.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
            ["e", "d", "c"]
        );
        assert_eq!(drop.len(), 2);
        let (keep, drop) = split_retained(rs(&["e", "d", "c", "b", "a"]), "a", 2);
        assert!(keep.iter().any(|r| r.name == "a"), "{keep:?}");
        assert_eq!(keep.len(), 2);
        assert_eq!(drop.len(), 3);
        let (keep, drop) = split_retained(rs(&["a"]), "a", 10);
        assert_eq!((keep.len(), drop.len()), (1, 0));
    }

    #[test]
    fn a_known_revision_is_not_written_again() {
        let p = plan(vec![dated("r1", 10)], candidate("r1", 20), 10);
        assert_eq!(p.current, "r1");
        assert_eq!(p.new, None);
        assert_eq!(p.known, vec![dated("r1", 10)]);
    }

    #[test]
    fn a_new_revision_is_listed_first_and_prunes_past_the_limit() {
        let p = plan(
            vec![dated("r2", 20), dated("r1", 10)],
            candidate("r3", 30),
            2,
        );
        assert_eq!(
            p.known.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
            ["r3", "r2"]
        );
        let new = p.new.expect("new");
        assert_eq!(new.revision.name, "r3");
        assert_eq!(new.prune, ["r1"]);
        assert_eq!(p.known[0].created_at, Some(at(30)));
    }
}
