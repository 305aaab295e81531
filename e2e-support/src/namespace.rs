use std::sync::atomic::{AtomicU32, Ordering};

use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{DeleteParams, PostParams};
use kube::{Api, Client};

static SEQ: AtomicU32 = AtomicU32::new(0);

/// A number unique within this test process (names of namespaces and other per-test objects).
pub fn next_seq() -> u32 {
    SEQ.fetch_add(1, Ordering::SeqCst)
}

/// `<prefix>-<pid>-<seq>`: unique across tests of this binary and across concurrently running
/// binaries that share one control plane.
pub fn unique_namespace(prefix: &str) -> String {
    format!("{prefix}-{}-{}", std::process::id(), next_seq())
}

pub async fn create_namespace(client: &Client, name: &str) -> Result<(), kube::Error> {
    let ns = Namespace {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            ..ObjectMeta::default()
        },
        ..Namespace::default()
    };
    Api::<Namespace>::all(client.clone())
        .create(&PostParams::default(), &ns)
        .await
        .map(|_| ())
}

/// Starts the deletion (the namespace controller finishes it); errors are ignored since the
/// test is over either way.
pub async fn delete_namespace(client: &Client, name: &str) {
    let _ = Api::<Namespace>::all(client.clone())
        .delete(name, &DeleteParams::default())
        .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_carry_prefix_and_pid() {
        let a = unique_namespace("t");
        let b = unique_namespace("t");
        assert_ne!(a, b);
        assert!(a.starts_with(&format!("t-{}-", std::process::id())), "{a}");
    }
}
