//! Write fencing for leader election: a leader may write (statuses, events, revisions) only
//! until the end of the term its last successful Lease renewal bought. The deadline is taken
//! on the monotonic clock from the moment that renewal *started*, minus a margin, so it always
//! ends before the term other replicas see in the Lease. A leader that was paused (SIGSTOP, a
//! stalled node) or whose Lease calls hang therefore writes nothing once its term may have
//! passed, even before its election loop notices and steps down.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub struct Fence {
    /// `None`: no leader election, writes always allowed.
    until: Option<Arc<Mutex<Option<Instant>>>>,
}

impl Fence {
    /// Without leader election: never fenced.
    pub fn open() -> Self {
        Self { until: None }
    }

    /// With leader election: fenced until the first successful renewal.
    pub fn elected() -> Self {
        Self {
            until: Some(Arc::new(Mutex::new(None))),
        }
    }

    /// A renewal that started at `started` succeeded for a term of `term`: writes are allowed
    /// until `started + term - margin`.
    pub fn renewed(&self, started: Instant, term: Duration, margin: Duration) {
        if let Some(u) = &self.until
            && let Ok(mut g) = u.lock()
        {
            *g = Some(started + term.saturating_sub(margin));
        }
    }

    /// The lease is lost (another holder, or stepping down): no more writes.
    pub fn revoke(&self) {
        if let Some(u) = &self.until
            && let Ok(mut g) = u.lock()
        {
            *g = None;
        }
    }

    /// Whether a write may be sent now.
    pub fn may_write(&self) -> bool {
        self.may_write_at(Instant::now())
    }

    fn may_write_at(&self, now: Instant) -> bool {
        match &self.until {
            None => true,
            Some(u) => u
                .lock()
                .map(|g| g.is_some_and(|until| now < until))
                .unwrap_or(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_fence_always_writes() {
        assert!(Fence::open().may_write());
    }

    #[test]
    fn elected_fence_writes_only_inside_the_term() {
        let f = Fence::elected();
        assert!(!f.may_write(), "no renewal yet");
        let t0 = Instant::now();
        f.renewed(t0, Duration::from_secs(4), Duration::from_secs(1));
        assert!(f.may_write_at(t0 + Duration::from_millis(2900)));
        assert!(
            !f.may_write_at(t0 + Duration::from_secs(3)),
            "term minus margin"
        );
        // A paused process resumes long after: fenced without any election step.
        assert!(!f.may_write_at(t0 + Duration::from_secs(60)));
        f.renewed(
            t0 + Duration::from_secs(60),
            Duration::from_secs(4),
            Duration::from_secs(1),
        );
        assert!(f.may_write_at(t0 + Duration::from_secs(61)));
        f.revoke();
        assert!(!f.may_write_at(t0 + Duration::from_secs(61)));
    }

    #[test]
    fn clones_share_the_deadline() {
        let f = Fence::elected();
        let g = f.clone();
        f.renewed(Instant::now(), Duration::from_secs(10), Duration::ZERO);
        assert!(g.may_write());
        g.revoke();
        assert!(!f.may_write());
    }
}
