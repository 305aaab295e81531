//! The pause the controller puts on *all* its trigger watches after any one of them errors.
//!
//! kube-runtime merges the Pacto watch and every auxiliary watch (Services, EndpointSlices,
//! HPAs, five workload kinds) into one stream behind one backoff. With its default
//! (0.8 s doubling to 30 s, reset only after 120 s without errors), a restarted API server —
//! whose empty watch cache answers each watch's resume with 410 Gone — stacked one pause per
//! watch and left new Pactos without a status for about five minutes (measured by the
//! `e2e_faults` suite). Each watcher relists on its own after an error; the shared pause only
//! has to keep an error loop from spinning, so it stays short.

use std::time::Duration;

use kube::runtime::utils::Backoff;

const FIRST: Duration = Duration::from_millis(100);
const MAX: Duration = Duration::from_secs(2);

/// 100 ms doubling up to 2 s; reset by the controller when events flow again.
#[derive(Debug, Clone)]
pub struct TriggerBackoff {
    next: Duration,
}

impl Default for TriggerBackoff {
    fn default() -> Self {
        Self { next: FIRST }
    }
}

impl Iterator for TriggerBackoff {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        let now = self.next;
        self.next = (self.next * 2).min(MAX);
        Some(now)
    }
}

impl Backoff for TriggerBackoff {
    fn reset(&mut self) {
        self.next = FIRST;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_stay_short_and_reset() {
        let mut b = TriggerBackoff::default();
        let pauses: Vec<Duration> = b.by_ref().take(8).collect();
        assert_eq!(pauses[0], FIRST);
        assert!(pauses.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(*pauses.last().unwrap_or(&Duration::ZERO), MAX);
        // Nine watches failing at once pause the triggers for well under a minute in total.
        let total: Duration = TriggerBackoff::default().take(9).sum();
        assert!(total < Duration::from_secs(15), "{total:?}");
        b.reset();
        assert_eq!(b.next(), Some(FIRST));
    }
}
