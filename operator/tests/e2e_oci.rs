//! End to end with OCI contracts in real `docker-registry` instances: resolution, revisions,
//! registry outages, pull secrets, deletion.

mod cluster;

use std::time::Duration;

use cluster::*;
use k8s_openapi::api::core::v1::Secret;
use kube::Api;
use kube::api::{DeleteParams, ListParams, PostParams};
use pacto_crds::{ContractStatus, Pacto, PactoRevision, ResolutionPolicy};

const IMAGE: &str = "ghcr.io/acme/cart:1.0.0";

fn target() -> Option<serde_json::Value> {
    Some(serde_json::json!({"serviceName": "cart"}))
}

#[tokio::test(flavor = "multi_thread")]
async fn latest_tag_new_revision_outage_and_deletion() {
    let Some(w) = World::new("op-oci").await else {
        return;
    };
    let mut reg = Registry::new(false);
    reg.push(
        "acme/cart",
        "1.0.0",
        &contract("cart", "1.0.0", 8080, IMAGE),
    )
    .await;
    let r1 = Replica::start(&[8080, 9090]);
    workload(&w, "cart", 8080, IMAGE, &[&r1]).await;
    let op = Operator::start(&w, &[]);
    w.apply(pacto(
        "cart",
        serde_json::json!({"oci": format!("{}/acme/cart", reg.host())}),
        target(),
    ))
    .await;

    let p = w.wait_status("cart", ContractStatus::Compliant, 60).await;
    let st = p.status.clone().expect("status");
    assert_eq!(st.resolution_policy, Some(ResolutionPolicy::Latest));
    assert_eq!(st.contract_version.as_deref(), Some("1.0.0"));
    assert!(
        st.resolved_ref
            .as_deref()
            .is_some_and(|r| r.ends_with(":1.0.0")),
        "{st:?}"
    );
    let first_rev = st.current_revision.clone().expect("revision");

    // A new tag is discovered from the (cached) tag list: new revision, status follows.
    reg.push(
        "acme/cart",
        "1.1.0",
        &contract("cart", "1.1.0", 8080, IMAGE),
    )
    .await;
    let p = w
        .wait_pacto("cart", 60, "on 1.1.0", |p| {
            p.status
                .as_ref()
                .and_then(|s| s.contract_version.as_deref())
                == Some("1.1.0")
        })
        .await;
    let second_rev = p.status.and_then(|s| s.current_revision).expect("revision");
    assert_ne!(first_rev, second_rev);
    let revs: Api<PactoRevision> = Api::namespaced(w.client.clone(), &w.ns);
    // Revisions are written after the status that names them (operator `trailing`).
    let mut names = Vec::new();
    for _ in 0..30 {
        names = revs
            .list(&ListParams::default())
            .await
            .expect("list")
            .items
            .into_iter()
            .filter_map(|r| r.metadata.name)
            .collect();
        if names.contains(&first_rev) && names.contains(&second_rev) {
            break;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    assert!(
        names.contains(&first_rev) && names.contains(&second_rev),
        "{names:?}"
    );

    // The same tag force-pushed with other content: TagOverwritten event, a third revision.
    let moved = contract("cart", "1.1.0", 8080, IMAGE).replace("team: e2e", "team: e2e-moved");
    reg.push("acme/cart", "1.1.0", &moved).await;
    let evs: Api<k8s_openapi::api::events::v1::Event> = Api::namespaced(w.client.clone(), &w.ns);
    let mut overwritten = false;
    for _ in 0..60 {
        let list = evs.list(&ListParams::default()).await.expect("events");
        if list
            .items
            .iter()
            .any(|e| e.reason.as_deref() == Some("TagOverwritten"))
        {
            overwritten = true;
            break;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    assert!(overwritten, "no TagOverwritten event");
    let count = revs
        .list(&ListParams::default())
        .await
        .expect("list")
        .items
        .len();
    assert_eq!(count, 3, "one revision per distinct content");

    // Registry down: Unknown (never NonCompliant), then back to Compliant by itself.
    reg.stop();
    let p = w.wait_status("cart", ContractStatus::Unknown, 60).await;
    let reasons: Vec<String> = p
        .status
        .clone()
        .map(|s| s.conditions.into_iter().map(|c| c.reason).collect())
        .unwrap_or_default();
    assert!(
        reasons.iter().any(|r| r == "RegistryUnavailable"),
        "{reasons:?}"
    );
    reg.start();
    w.wait_status("cart", ContractStatus::Compliant, 60).await;

    // Deleting the Pacto removes its metric series and (through GC) its revisions.
    let ns = w.ns.clone();
    assert!(
        op.metrics()
            .await
            .contains(&format!(r#"name="cart",namespace="{ns}""#))
    );
    w.pactos()
        .delete("cart", &DeleteParams::default())
        .await
        .expect("delete");
    let mut gone = false;
    for _ in 0..60 {
        let m = op.metrics().await;
        let left = revs
            .list(&ListParams::default())
            .await
            .expect("list")
            .items
            .len();
        if !m.contains(&format!(r#"namespace="{ns}""#)) && left == 0 {
            gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    assert!(
        gone,
        "metrics or revisions of the deleted Pacto remain:\n{}",
        op.metrics().await
    );
    w.cleanup().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pull_secret_with_htpasswd_registry() {
    let Some(w) = World::new("op-auth").await else {
        return;
    };
    let reg = Registry::new(true);
    reg.push(
        "acme/cart",
        "2.0.0",
        &contract("cart", "2.0.0", 8080, IMAGE),
    )
    .await;
    let _op = Operator::start(&w, &[]);
    let oci = format!("{}/acme/cart:2.0.0", reg.host());
    // No secret yet: Unknown with the reason, never Invalid.
    w.apply(pacto(
        "cart",
        serde_json::json!({"oci": oci, "pullSecretRef": "regcred"}),
        None,
    ))
    .await;
    let p = w.wait_status("cart", ContractStatus::Unknown, 60).await;
    let reasons: Vec<String> = p
        .status
        .map(|s| s.conditions.into_iter().map(|c| c.reason).collect())
        .unwrap_or_default();
    assert!(
        reasons.iter().any(|r| r == "PullSecretNotFound"),
        "{reasons:?}"
    );

    let cfg = serde_json::json!({"auths": {reg.host(): {"username": "pacto", "password": "pacto-secret"}}}).to_string();
    let secret: Secret = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "regcred"},
        "type": "kubernetes.io/dockerconfigjson",
        "stringData": {".dockerconfigjson": cfg}
    }))
    .expect("secret");
    Api::<Secret>::namespaced(w.client.clone(), &w.ns)
        .create(&PostParams::default(), &secret)
        .await
        .expect("create secret");
    let p = w.wait_status("cart", ContractStatus::Reference, 60).await;
    let st = p.status.expect("status");
    assert_eq!(st.resolution_policy, Some(ResolutionPolicy::PinnedTag));
    assert_eq!(st.contract_version.as_deref(), Some("2.0.0"));

    // A wrong password is an auth failure: Unknown, not NonCompliant.
    w.apply(pacto("wrong", serde_json::json!({"oci": format!("{}/acme/cart:2.0.0", reg.host()), "pullSecretRef": "badcred"}), None)).await;
    let bad: Secret = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "badcred"}, "type": "Opaque",
        "stringData": {"username": "pacto", "password": "nope"}
    }))
    .expect("secret");
    Api::<Secret>::namespaced(w.client.clone(), &w.ns)
        .create(&PostParams::default(), &bad)
        .await
        .expect("create secret");
    w.wait_pacto("wrong", 60, "auth failure", |p| {
        status_of(p) == Some(ContractStatus::Unknown)
            && p.status.as_ref().is_some_and(|s| {
                s.conditions
                    .iter()
                    .any(|c| c.reason == "RegistryAuthFailed")
            })
    })
    .await;

    // Without --require-bound-pull-secrets an unbound Secret is used for the ref's registry,
    // with a warning condition that says how to bind it.
    create_secret(
        &w,
        "unboundcred",
        "Opaque",
        serde_json::json!({"username": "pacto", "password": "pacto-secret"}),
    )
    .await;
    w.apply(pacto(
        "unbound",
        serde_json::json!({"oci": oci, "pullSecretRef": "unboundcred"}),
        None,
    ))
    .await;
    let (p, msg) = wait_resolved(&w, "unbound", "False", "PullSecretUnboundUsed").await;
    assert_eq!(status_of(&p), Some(ContractStatus::Reference));
    assert_eq!(
        p.status.and_then(|s| s.contract_version).as_deref(),
        Some("2.0.0")
    );
    assert!(
        msg.contains(&format!("add `registry: {}`", reg.host())),
        "{msg}"
    );
    w.cleanup().await;
}

/// A fake registry that records every connection it gets and answers 401 with a Basic
/// challenge, so a client holding credentials would send them on its second request.
struct Spy {
    host: String,
    seen: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Spy {
    fn start() -> Spy {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind spy");
        let host = format!("127.0.0.1:{}", listener.local_addr().expect("addr").port());
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for mut conn in listener.incoming().flatten() {
                let _ = conn.set_read_timeout(Some(Duration::from_secs(2)));
                let mut buf = vec![0; 8192];
                let n = conn.read(&mut buf).unwrap_or(0);
                if let Ok(mut l) = log.lock() {
                    l.push(String::from_utf8_lossy(&buf[..n]).into_owned());
                }
                let _ = conn.write_all(
                    b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"spy\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
            }
        });
        Spy { host, seen }
    }

    fn requests(&self) -> Vec<String> {
        self.seen.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

async fn create_secret(w: &World, name: &str, type_: &str, data: serde_json::Value) {
    let secret: Secret = serde_json::from_value(serde_json::json!({
        "metadata": {"name": name}, "type": type_, "stringData": data
    }))
    .expect("secret");
    Api::<Secret>::namespaced(w.client.clone(), &w.ns)
        .create(&PostParams::default(), &secret)
        .await
        .expect("create secret");
}

/// Waits until ContractResolved has `status`/`reason`; returns its message.
async fn wait_resolved(w: &World, name: &str, status: &str, reason: &str) -> (Pacto, String) {
    let want = (status.to_string(), reason.to_string());
    let p = w
        .wait_pacto(
            name,
            60,
            &format!("ContractResolved {status}/{reason}"),
            |p| condition(p, "ContractResolved").as_ref() == Some(&want),
        )
        .await;
    let message = p
        .status
        .as_ref()
        .and_then(|s| s.conditions.iter().find(|c| c.type_ == "ContractResolved"))
        .map(|c| c.message.clone())
        .unwrap_or_default();
    (p, message)
}

#[tokio::test(flavor = "multi_thread")]
async fn pull_secrets_go_only_to_the_registry_they_are_bound_to() {
    let Some(w) = World::new("op-bound").await else {
        return;
    };
    // Two real registries that accept the same credentials, and a spy that records requests.
    let reg = Registry::new(true);
    let other = Registry::new(true);
    let spy = Spy::start();
    for r in [&reg, &other] {
        r.push(
            "acme/cart",
            "2.0.0",
            &contract("cart", "2.0.0", 8080, IMAGE),
        )
        .await;
    }
    let _op = Operator::start(&w, &["--require-bound-pull-secrets"]);
    let (user, pass) = reg.auth.clone().expect("htpasswd");
    create_secret(
        &w,
        "boundcred",
        "Opaque",
        serde_json::json!({"username": user, "password": pass, "registry": reg.host()}),
    )
    .await;
    create_secret(
        &w,
        "unboundcred",
        "Opaque",
        serde_json::json!({"username": user, "password": pass}),
    )
    .await;
    let cfg = serde_json::json!({"auths": {reg.host(): {"username": user, "password": pass}}});
    create_secret(
        &w,
        "regcred",
        "kubernetes.io/dockerconfigjson",
        serde_json::json!({".dockerconfigjson": cfg.to_string()}),
    )
    .await;
    let at = |host: &str, secret: &str| serde_json::json!({"oci": format!("{host}/acme/cart:2.0.0"), "pullSecretRef": secret});
    for (name, host, secret) in [
        ("bound", reg.host(), "boundcred"),
        ("elsewhere", other.host(), "boundcred"),
        ("spied", spy.host.clone(), "boundcred"),
        ("unbound", reg.host(), "unboundcred"),
        ("unbound-spied", spy.host.clone(), "unboundcred"),
        ("docker", reg.host(), "regcred"),
    ] {
        w.apply(pacto(name, at(&host, secret), None)).await;
    }

    // Bound to the ref's registry: pulled.
    let p = w.wait_status("bound", ContractStatus::Reference, 60).await;
    assert_eq!(
        condition(&p, "ContractResolved"),
        Some(("True".into(), "Resolved".into()))
    );
    w.wait_status("docker", ContractStatus::Reference, 60).await;

    // Bound to another registry: refused with its own reason, naming both registries.
    for (name, host) in [("elsewhere", other.host()), ("spied", spy.host.clone())] {
        let (p, msg) = wait_resolved(&w, name, "False", "PullSecretRegistryMismatch").await;
        assert_eq!(status_of(&p), Some(ContractStatus::Invalid), "{name}");
        assert!(
            msg.contains("boundcred") && msg.contains(&reg.host()) && msg.contains(&host),
            "{name}: {msg}"
        );
    }
    // Unbound under --require-bound-pull-secrets: refused, saying how to bind it.
    for name in ["unbound", "unbound-spied"] {
        let (p, msg) = wait_resolved(&w, name, "False", "PullSecretUnbound").await;
        assert_eq!(status_of(&p), Some(ContractStatus::Invalid), "{name}");
        assert!(msg.contains("add `registry: "), "{name}: {msg}");
    }
    // The credentials never reached the spy: nothing was sent to it at all.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let seen = spy.requests();
    assert!(
        seen.iter()
            .all(|r| !r.to_ascii_lowercase().contains("authorization")),
        "{seen:?}"
    );
    assert!(
        seen.is_empty(),
        "a refused secret's ref was contacted: {seen:?}"
    );
    w.cleanup().await;
}

/// A digest names content, it does not grant it: namespace B naming A's private bundle by
/// digest, without a pull secret, gets the registry's refusal, never A's cached contract.
#[tokio::test(flavor = "multi_thread")]
async fn a_cached_private_bundle_is_not_served_to_another_tenant_by_digest() {
    let Some(wa) = World::new("op-tenant-a").await else {
        return;
    };
    let Some(wb) = World::new("op-tenant-b").await else {
        return;
    };
    let reg = Registry::new(true);
    let digest = reg
        .push(
            "acme/ledger",
            "3.1.4",
            &contract("ledger-private", "3.1.4", 8080, IMAGE),
        )
        .await;
    let _op = Operator::start_scoped(&wa, &["--namespaces", &format!("{},{}", wa.ns, wb.ns)], &[]);
    let by_digest = format!("{}/acme/ledger@{digest}", reg.host());

    let cfg = serde_json::json!({"auths": {reg.host(): {"username": "pacto", "password": "pacto-secret"}}}).to_string();
    let secret: Secret = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "regcred"},
        "type": "kubernetes.io/dockerconfigjson",
        "stringData": {".dockerconfigjson": cfg}
    }))
    .expect("secret");
    Api::<Secret>::namespaced(wa.client.clone(), &wa.ns)
        .create(&PostParams::default(), &secret)
        .await
        .expect("create secret");
    wa.apply(pacto(
        "ledger",
        serde_json::json!({"oci": by_digest, "pullSecretRef": "regcred"}),
        None,
    ))
    .await;
    let a = wa
        .wait_status("ledger", ContractStatus::Reference, 60)
        .await;
    assert_eq!(
        a.status.and_then(|s| s.contract_version).as_deref(),
        Some("3.1.4"),
        "tenant A reads its private bundle"
    );

    // Same ref by digest, no secret: the content is in the operator's cache, but B's
    // (anonymous) credential was never granted it.
    wb.apply(pacto("ledger", serde_json::json!({"oci": by_digest}), None))
        .await;
    let b = wb
        .wait_pacto("ledger", 60, "refused by the registry", |p| {
            p.status.as_ref().is_some_and(|s| {
                s.conditions
                    .iter()
                    .any(|c| c.reason == "RegistryAuthFailed")
            })
        })
        .await;
    assert_ne!(status_of(&b), Some(ContractStatus::Compliant));
    assert_ne!(status_of(&b), Some(ContractStatus::Reference));
    // Give a wrong implementation time to flip to the cached content, then look again.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let b = wb.pactos().get("ledger").await.expect("pacto b");
    let st = serde_json::to_string(&b.status).expect("status json");
    assert!(
        !st.contains("ledger-private") && !st.contains("3.1.4"),
        "tenant B's status shows A's contract: {st}"
    );
    assert_ne!(status_of(&b), Some(ContractStatus::Compliant), "{st}");
    wb.cleanup().await;
    wa.cleanup().await;
}
