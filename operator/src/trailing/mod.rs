//! Trailing writes: what a reconcile writes besides the Pacto's status — a new PactoRevision
//! (create, status, pruning) and the transition events — queued and written after the status,
//! in the order of each reconcile, at a lower priority (`gate.rs`). At an operator's first
//! start this lets every Pacto get its status first (one API call each instead of four); the
//! revisions and events follow once the statuses are written. A status may therefore name a
//! `currentRevision` a moment before that PactoRevision exists.

pub mod gate;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use k8s_openapi::api::core::v1::ObjectReference;
use k8s_openapi::jiff::Timestamp;
use tokio::sync::mpsc;

use crate::eval::TransitionEvent;
use crate::metrics::Metrics;
use crate::revisions::NewRevision;

/// Jobs written at once (API calls in flight for the queue).
const CONCURRENCY: usize = 4;
/// How often a deferred job looks at the status writes again.
const POLL: Duration = Duration::from_millis(20);

/// The writes that trail one reconcile.
pub struct Job {
    pub revision: Option<NewRevision>,
    pub events: Vec<TransitionEvent>,
    /// The Pacto the events are about.
    pub regarding: ObjectReference,
    /// When the reconcile decided them (the events' time).
    pub at: Timestamp,
}

/// The sending side, held by the reconcile context.
pub struct Trailing {
    tx: mpsc::UnboundedSender<Job>,
    pending: Arc<AtomicUsize>,
    metrics: Arc<Metrics>,
}

/// The receiving side, consumed by [`run`].
pub struct Queue {
    rx: mpsc::UnboundedReceiver<Job>,
    pending: Arc<AtomicUsize>,
    metrics: Arc<Metrics>,
}

impl Trailing {
    pub fn new(metrics: Arc<Metrics>) -> (Self, Queue) {
        let (tx, rx) = mpsc::unbounded_channel();
        let pending = Arc::new(AtomicUsize::new(0));
        (
            Self {
                tx,
                pending: pending.clone(),
                metrics: metrics.clone(),
            },
            Queue {
                rx,
                pending,
                metrics,
            },
        )
    }

    /// Queues `job` (nothing to do is not queued).
    pub fn push(&self, job: Job) {
        if job.revision.is_none() && job.events.is_empty() {
            return;
        }
        let n = self.pending.fetch_add(1, Ordering::Relaxed) + 1;
        if self.tx.send(job).is_err() {
            self.pending.fetch_sub(1, Ordering::Relaxed);
            return;
        }
        self.metrics.set_trailing_pending(n);
    }

    /// Jobs queued or being written.
    pub fn pending(&self) -> usize {
        self.pending.load(Ordering::Relaxed)
    }
}

impl Queue {
    /// Writes queued jobs with `write` until every sender is gone; `status_writes` tells when
    /// a job may start (`gate.rs`).
    pub async fn run<F, W>(self, status_writes: impl Fn() -> gate::Load, write: W)
    where
        W: Fn(Job) -> F,
        F: Future<Output = ()>,
    {
        let Queue {
            rx,
            pending,
            metrics,
        } = self;
        let jobs =
            futures_util::stream::unfold(
                rx,
                |mut rx| async move { rx.recv().await.map(|j| (j, rx)) },
            );
        // Held by the one job that started while status writes were busy.
        let trickle = tokio::sync::Semaphore::new(1);
        jobs.for_each_concurrent(CONCURRENCY, |job| {
            let queued = Instant::now();
            let (pending, metrics, in_flight, write, trickle) =
                (&pending, &metrics, &status_writes, &write, &trickle);
            async move {
                let _trickling = loop {
                    match gate::may_start(in_flight(), queued.elapsed()) {
                        gate::Start::Now => break None,
                        gate::Start::Trickle => {
                            if let Ok(p) = trickle.try_acquire() {
                                break Some(p);
                            }
                        }
                        gate::Start::Wait => {}
                    }
                    tokio::time::sleep(POLL).await;
                };
                write(job).await;
                let left = pending.fetch_sub(1, Ordering::Relaxed).saturating_sub(1);
                metrics.set_trailing_pending(left);
            }
        })
        .await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::EventType;

    fn job(events: usize) -> Job {
        Job {
            revision: None,
            events: (0..events)
                .map(|_| TransitionEvent {
                    type_: EventType::Normal,
                    reason: "StatusChanged",
                    note: String::new(),
                })
                .collect(),
            regarding: ObjectReference::default(),
            at: Timestamp::now(),
        }
    }

    #[tokio::test]
    async fn every_queued_job_is_written_once_and_empty_ones_are_not_queued() {
        let metrics = Arc::new(Metrics::new().expect("metrics"));
        let (trailing, queue) = Trailing::new(metrics);
        trailing.push(job(1));
        trailing.push(job(0));
        trailing.push(job(2));
        assert_eq!(trailing.pending(), 2);
        let written = std::sync::Mutex::new(Vec::new());
        let pending = trailing.pending.clone();
        drop(trailing);
        queue
            .run(gate::Load::default, |j| {
                written.lock().expect("lock").push(j.events.len());
                async {}
            })
            .await;
        let mut w = written.into_inner().expect("lock");
        w.sort();
        assert_eq!(w, [1, 2]);
        assert_eq!(pending.load(Ordering::Relaxed), 0);
    }

    /// Most jobs written at once while the status writes report `load`.
    async fn widest(load: gate::Load) -> usize {
        let metrics = Arc::new(Metrics::new().expect("metrics"));
        let (trailing, queue) = Trailing::new(metrics);
        for _ in 0..8 {
            trailing.push(job(1));
        }
        drop(trailing);
        let (now, widest) = (AtomicUsize::new(0), AtomicUsize::new(0));
        queue
            .run(
                || load,
                |_| async {
                    let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                    widest.fetch_max(n, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    now.fetch_sub(1, Ordering::SeqCst);
                },
            )
            .await;
        widest.into_inner()
    }

    #[tokio::test(start_paused = true)]
    async fn busy_status_writes_leave_one_trailing_write_at_a_time() {
        let busy = gate::Load {
            in_flight: 3,
            idle_for: None,
        };
        assert_eq!(widest(busy).await, 1);
        assert_eq!(widest(gate::Load::default()).await, CONCURRENCY);
    }
}
