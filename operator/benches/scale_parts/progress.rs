//! Waits for every bench Pacto to have a status by watching them: one watch stream, not a
//! list of all N Pactos every half second (at 10,000 that polling was a load on the API
//! server of its own, slowing the very start-up it measured).

use std::collections::HashSet;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use kube::runtime::watcher::{self, Event};
use kube::{Api, ResourceExt};
use pacto_crds::Pacto;

/// Time from `t0` until `n` Pactos of namespaces starting with `prefix` have a status.
pub async fn all_have_status(
    all: &Api<Pacto>,
    prefix: &str,
    n: usize,
    t0: Instant,
    limit: Duration,
) -> Option<Duration> {
    let mut with_status = HashSet::new();
    let key = |p: &Pacto| format!("{}/{}", p.namespace().unwrap_or_default(), p.name_any());
    let note = |p: &Pacto, with_status: &mut HashSet<String>| {
        if !p.namespace().is_some_and(|ns| ns.starts_with(prefix)) {
            return;
        }
        if p.status
            .as_ref()
            .is_some_and(|s| s.contract_status.is_some())
        {
            with_status.insert(key(p));
        } else {
            with_status.remove(&key(p));
        }
    };
    let mut stream = watcher::watcher(all.clone(), watcher::Config::default()).boxed();
    let wait = async {
        while let Some(ev) = stream.next().await {
            match ev {
                Ok(Event::Apply(p) | Event::InitApply(p)) => note(&p, &mut with_status),
                Ok(Event::Delete(p)) => {
                    with_status.remove(&key(&p));
                }
                Ok(_) => {}
                Err(e) => eprintln!("watch: {e}"),
            }
            if with_status.len() >= n {
                return Some(t0.elapsed());
            }
        }
        None
    };
    tokio::time::timeout(limit.saturating_sub(t0.elapsed()), wait)
        .await
        .ok()
        .flatten()
}
