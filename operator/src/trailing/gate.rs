//! When a trailing write may start: status writes go first. A trailing job waits while any
//! status write is in flight (at an operator's first start the API server is the bound, and
//! every call given to revisions or events delays the statuses), but never longer than
//! [`MAX_WAIT`], so a busy operator still drains its queue.

use std::time::Duration;

/// The longest a trailing job defers to status writes.
pub const MAX_WAIT: Duration = Duration::from_secs(2);

/// Whether a job that has waited `waited` may start now.
pub fn may_start(status_writes_in_flight: usize, waited: Duration) -> bool {
    status_writes_in_flight == 0 || waited >= MAX_WAIT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_writes_go_first_but_never_starve_the_queue() {
        assert!(may_start(0, Duration::ZERO));
        assert!(!may_start(3, Duration::ZERO));
        assert!(!may_start(1, MAX_WAIT - Duration::from_millis(1)));
        assert!(may_start(16, MAX_WAIT));
    }
}
