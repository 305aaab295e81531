//! When a trailing write may start: status writes go first. A trailing job waits until no
//! status write has been in flight for [`IDLE`] (at an operator's first start the API server is
//! the bound, and every call given to revisions or events delays the statuses; the gaps
//! between two status writes of a burst are shorter than that). A job that has waited
//! [`MAX_WAIT`] may start anyway, one at a time ([`Start::Trickle`]), so a busy operator still
//! drains its queue without taking the API server from the statuses.

use std::time::Duration;

/// The longest a trailing job defers to status writes.
pub const MAX_WAIT: Duration = Duration::from_secs(2);
/// How long the status writes must have been idle.
pub const IDLE: Duration = Duration::from_millis(250);

/// The status writes as the gate sees them.
#[derive(Clone, Copy, Debug, Default)]
pub struct Load {
    pub in_flight: usize,
    /// Since the last status write ended (`None`: none yet).
    pub idle_for: Option<Duration>,
}

/// How a job may start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// Status writes are idle: start beside the other trailing jobs.
    Now,
    /// Status writes are busy but the job has waited long enough: start if no other job
    /// started this way is still running.
    Trickle,
    Wait,
}

/// How a job that has waited `waited` may start now.
pub fn may_start(load: Load, waited: Duration) -> Start {
    if load.in_flight == 0 && load.idle_for.is_none_or(|d| d >= IDLE) {
        Start::Now
    } else if waited >= MAX_WAIT {
        Start::Trickle
    } else {
        Start::Wait
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(in_flight: usize, idle_ms: Option<u64>) -> Load {
        Load {
            in_flight,
            idle_for: idle_ms.map(Duration::from_millis),
        }
    }

    #[test]
    fn status_writes_go_first_but_never_starve_the_queue() {
        assert_eq!(may_start(load(0, None), Duration::ZERO), Start::Now);
        assert_eq!(may_start(load(0, Some(250)), Duration::ZERO), Start::Now);
        // A gap between two writes of a burst is not idle.
        assert_eq!(may_start(load(0, Some(20)), Duration::ZERO), Start::Wait);
        assert_eq!(may_start(load(3, Some(900)), Duration::ZERO), Start::Wait);
        assert_eq!(
            may_start(load(1, None), MAX_WAIT - Duration::from_millis(1)),
            Start::Wait
        );
        assert_eq!(may_start(load(16, Some(0)), MAX_WAIT), Start::Trickle);
        assert_eq!(may_start(load(0, Some(300)), MAX_WAIT), Start::Now);
    }
}
