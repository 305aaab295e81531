//! The dashboard's k8s source against the real local control plane (`e2e/controlplane/cluster.sh`)
//! and a real registry: Pactos applied, statuses written through the status subresource with
//! server-side apply, `pacto dashboard` watching them; a status change arrives as an
//! `/api/events` event and in the API. `PACTO_E2E_KUBECONFIG` selects a running control plane.

#[path = "dash/http.rs"]
mod http;
use pacto_e2e_support::pacto_cli as support;

mod cluster;
use cluster::{client, install_crds};
use http::*;
use k8s_openapi::api::core::v1::Namespace;
use kube::Api;
use kube::api::{Patch, PatchParams};
use pacto_crds::Pacto;
use pacto_e2e_support::repo_root as repo;
use std::process::Stdio;
use std::time::Instant;
use support::*;

const MANAGER: &str = "pacto-dashboard-tests";

fn condition(kind: &str, status: &str) -> serde_json::Value {
    serde_json::json!({"type": kind, "status": status, "reason": "Checked", "message": "",
        "lastTransitionTime": "2026-01-01T00:00:00Z"})
}

async fn apply(api: &Api<Pacto>, ns: &str, name: &str, spec: serde_json::Value) {
    let obj = serde_json::json!({
        "apiVersion": "pacto.trianalab.io/v1alpha1", "kind": "Pacto",
        "metadata": {"name": name, "namespace": ns}, "spec": spec
    });
    api.patch(
        name,
        &PatchParams::apply(MANAGER).force(),
        &Patch::Apply(&obj),
    )
    .await
    .unwrap();
}

/// Server-side apply through the status subresource.
async fn set_status(api: &Api<Pacto>, ns: &str, name: &str, status: serde_json::Value) {
    let st = serde_json::json!({
        "apiVersion": "pacto.trianalab.io/v1alpha1", "kind": "Pacto",
        "metadata": {"name": name, "namespace": ns}, "status": status
    });
    api.patch_status(
        name,
        &PatchParams::apply(MANAGER).force(),
        &Patch::Apply(&st),
    )
    .await
    .unwrap();
}

fn orders_status(state: &str, passed: i32) -> serde_json::Value {
    serde_json::json!({
        "contractStatus": state, "contractVersion": "1.4.0",
        "summary": {"total": 5, "passed": passed, "failed": 5 - passed},
        "contract": {"serviceName": "orders", "version": "1.4.0"},
        "conditions": [condition("ServiceExists", "True"),
            condition("PortsMatch", if passed == 5 { "True" } else { "False" })]
    })
}

/// An inline `orders` contract depending on `payments`.
fn orders_contract(version: &str) -> String {
    format!(
        "pactoVersion: \"1.0\"\nservice:\n  name: orders\n  version: {version}\n  owner:\n    team: shop\n\
         interfaces:\n  - name: api\n    type: http\n    port: 8080\n\
         dependencies:\n  - ref: oci://r.example/acme/payments:2.0.0\n    required: true\n    compatibility: ^2.0.0\n"
    )
}

fn entry<'a>(list: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("{name} not listed: {list}"))
}

/// Runs `pacto dashboard <args>` on a free port with the k8s source on `kubeconfig` (and no
/// namespace or cache setting inherited from the environment); killed on drop.
fn spawn_k8s_dashboard(
    dash: &Home,
    kubeconfig: &std::path::Path,
    args: &[&str],
) -> (KillOnDrop, u16) {
    let port = free_port();
    let child = dash
        .cmd()
        .arg("dashboard")
        .args(args)
        .env("PACTO_DASHBOARD_PORT", port.to_string())
        .env("KUBECONFIG", kubeconfig)
        .env_remove("PACTO_DASHBOARD_NO_K8S")
        .env_remove("PACTO_DASHBOARD_NAMESPACE")
        .env_remove("PACTO_CACHE_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut child = KillOnDrop(child);
    tokio::task::block_in_place(|| wait_ready(&mut child, port));
    (child, port)
}

/// The k8s entry of an `/api/sources` answer.
fn k8s_source(sources: &serde_json::Value) -> &serde_json::Value {
    sources["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["type"] == "k8s")
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn k8s_statuses_overlay_contracts_and_changes_arrive_as_events() {
    let Some(reg) = Registries::start("dashboard-k8s") else {
        return;
    };
    let pusher = Home::new();
    let repo_ref = format!("oci://{}/acme/product-catalog", reg.anon);
    let v2 = repo()
        .join("examples/product-catalog-v2")
        .display()
        .to_string();
    let o = pusher.run(&["push", &repo_ref, "-p", &v2]);
    assert!(o.status.success(), "{}", text(&o));

    let kubeconfig = tokio::task::spawn_blocking(|| cluster::control_plane("pacto-cli-dashboard"))
        .await
        .unwrap();
    let client = client(&kubeconfig).await;
    install_crds(&client, MANAGER).await;
    let ns = format!("dash-{}", std::process::id());
    let nso: Namespace =
        serde_json::from_value(serde_json::json!({"metadata": {"name": ns}})).unwrap();
    Api::<Namespace>::all(client.clone())
        .patch(&ns, &PatchParams::apply(MANAGER), &Patch::Apply(&nso))
        .await
        .unwrap();
    let api: Api<Pacto> = Api::namespaced(client.clone(), &ns);
    // One Pacto with an OCI ref to the test registry (its repository is discovered from
    // status.resolvedRef), one inline.
    apply(
        &api,
        &ns,
        "catalog",
        serde_json::json!({"contractRef": {"oci": format!("{repo_ref}:2.0.0")}}),
    )
    .await;
    set_status(
        &api,
        &ns,
        "catalog",
        serde_json::json!({
            "contractStatus": "Warning", "contractVersion": "2.0.0",
            "resolvedRef": format!("{}/acme/product-catalog:2.0.0", reg.anon),
            "summary": {"total": 4, "passed": 3, "failed": 1},
            "contract": {"serviceName": "product-catalog", "version": "2.0.0"},
            "conditions": [condition("ServiceExists", "True"), condition("WorkloadExists", "False")]
        }),
    )
    .await;
    // A valid inline contract: it is a contract source too, so an invalid one would make
    // the service Invalid whatever its runtime status says.
    apply(
        &api,
        &ns,
        "orders",
        serde_json::json!({"contractRef": {"inline": orders_contract("1.4.0")}}),
    )
    .await;
    set_status(&api, &ns, "orders", orders_status("Compliant", 5)).await;

    let dash = Home::new();
    let (_child, port) = spawn_k8s_dashboard(&dash, &kubeconfig, &["--namespace", &ns]);

    tokio::task::block_in_place(|| {
        let sources = json(port, "/api/sources");
        let k8s = k8s_source(&sources);
        assert_eq!(k8s["enabled"], true, "{sources}");
        assert!(
            k8s["reason"]
                .as_str()
                .unwrap()
                .contains(&format!("namespace {ns}")),
            "{k8s}"
        );
        assert_eq!(k8s["serviceCount"], 2, "{k8s}");

        let list = json(port, "/api/services");
        let pc = entry(&list, "product-catalog");
        assert_eq!(pc["contractStatus"], "Warning", "{pc}");
        assert_eq!(
            (pc["checksPassed"].clone(), pc["checksTotal"].clone()),
            (3.into(), 4.into())
        );
        assert_eq!(pc["namespaces"], serde_json::json!([ns]), "{pc}");
        // Contract from the registry discovered through status.resolvedRef (and now cached).
        for src in ["oci", "k8s"] {
            assert!(
                pc["sources"].as_array().unwrap().contains(&src.into()),
                "{pc}"
            );
        }
        let orders = entry(&list, "orders");
        assert_eq!(orders["contractStatus"], "Compliant", "{orders}");
        assert_eq!(orders["checksPassed"], 5, "{orders}");

        let d = json(port, "/api/services/product-catalog");
        assert_eq!(d["runtime"][0]["object"], "catalog", "{d}");
        assert_eq!(d["runtime"][0]["contractStatus"], "Warning", "{d}");
        let conds = d["runtime"][0]["conditions"].to_string();
        assert!(conds.contains("WorkloadExists"), "{conds}");
        assert_eq!(d["sectionMeta"]["runtime"]["source"], "k8s", "{d}");
    });

    // A status change: an event arrives on the open stream and the API shows it.
    let mut events = tokio::task::block_in_place(|| Events::open(port));
    let hello = tokio::task::block_in_place(|| events.next_data()).unwrap();
    assert!(hello.starts_with("{\"snapshotId\":"), "{hello}");
    let changed_at = Instant::now();
    set_status(&api, &ns, "orders", orders_status("NonCompliant", 3)).await;
    tokio::task::block_in_place(|| {
        let ev = events
            .next_data()
            .expect("an /api/events event within 30 s");
        assert!(ev.contains("\"type\":\"snapshot\""), "{ev}");
        let list = json(port, "/api/services");
        let orders = entry(&list, "orders");
        assert_eq!(orders["contractStatus"], "NonCompliant", "{orders}");
        assert_eq!(orders["checksPassed"], 3, "{orders}");
        eprintln!("status change -> event: {:?}", changed_at.elapsed());
    });
    let _ = Api::<Namespace>::all(client.clone())
        .delete(&ns, &Default::default())
        .await;
}

async fn namespace(client: &kube::Client, name: &str) {
    let nso: Namespace =
        serde_json::from_value(serde_json::json!({"metadata": {"name": name}})).unwrap();
    Api::<Namespace>::all(client.clone())
        .patch(name, &PatchParams::apply(MANAGER), &Patch::Apply(&nso))
        .await
        .unwrap();
}

/// A Pacto whose status names `service` (inline contract, status written directly).
async fn pacto_for(client: &kube::Client, ns: &str, service: &str) {
    let api: Api<Pacto> = Api::namespaced(client.clone(), ns);
    apply(
        &api,
        ns,
        service,
        serde_json::json!({"contractRef": {"inline": "pactoVersion: \"1.0\"\n"}}),
    )
    .await;
    let mut st = orders_status("Compliant", 5);
    st["contract"]["serviceName"] = service.into();
    set_status(&api, ns, service, st).await;
}

fn names(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn namespace_list_scopes_the_watches() {
    let kubeconfig = tokio::task::spawn_blocking(|| cluster::control_plane("pacto-cli-dashboard"))
        .await
        .unwrap();
    let client = client(&kubeconfig).await;
    install_crds(&client, MANAGER).await;
    let id = std::process::id();
    let [a, b, c] = ["a", "b", "c"].map(|x| format!("scope-{x}-{id}"));
    for ns in [&a, &b, &c] {
        namespace(&client, ns).await;
        pacto_for(&client, ns, &format!("svc-{ns}")).await;
    }

    let dash = Home::new();
    // The chart's form: one flag, a comma list (blank and duplicate items tolerated).
    let (_child, port) =
        spawn_k8s_dashboard(&dash, &kubeconfig, &[&format!("--namespace={a}, {b},{a}")]);

    tokio::task::block_in_place(|| {
        let sources = json(port, "/api/sources");
        let k8s = k8s_source(&sources);
        assert_eq!(k8s["enabled"], true, "{sources}");
        assert_eq!(k8s["namespaces"], serde_json::json!([a, b]), "{k8s}");
        assert!(
            k8s["reason"]
                .as_str()
                .unwrap()
                .contains(&format!("namespaces {a}, {b}")),
            "{k8s}"
        );
        assert_eq!(k8s["serviceCount"], 2, "{k8s}");
        let listed = names(&json(port, "/api/services"));
        assert!(listed.contains(&format!("svc-{a}")), "{listed:?}");
        assert!(listed.contains(&format!("svc-{b}")), "{listed:?}");
        assert!(!listed.contains(&format!("svc-{c}")), "{listed:?}");
    });

    // Watches are live per namespace: a Pacto added in c stays out, one added in b comes in.
    let mut events = tokio::task::block_in_place(|| Events::open(port));
    let _hello = tokio::task::block_in_place(|| events.next_data()).unwrap();
    pacto_for(&client, &c, "late-c").await;
    pacto_for(&client, &b, "late-b").await;
    tokio::task::block_in_place(|| {
        let deadline = Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let listed = names(&json(port, "/api/services"));
            assert!(!listed.contains(&"late-c".to_string()), "{listed:?}");
            if listed.contains(&"late-b".to_string()) {
                break;
            }
            assert!(Instant::now() < deadline, "late-b never listed: {listed:?}");
            let _ = events.next_data();
        }
    });
    for ns in [&a, &b, &c] {
        let _ = Api::<Namespace>::all(client.clone())
            .delete(ns, &Default::default())
            .await;
    }
}

/// A Pacto whose contract only exists inline (no bundle, registry or cache has it, no
/// operator wrote a status): its contract content comes from the k8s source, and an edit of
/// the inline text shows live.
#[tokio::test(flavor = "multi_thread")]
async fn inline_contracts_are_the_lowest_priority_contract_source() {
    let kubeconfig = tokio::task::spawn_blocking(|| cluster::control_plane("pacto-cli-dashboard"))
        .await
        .unwrap();
    let client = client(&kubeconfig).await;
    install_crds(&client, MANAGER).await;
    let ns = format!("inline-{}", std::process::id());
    namespace(&client, &ns).await;
    let api: Api<Pacto> = Api::namespaced(client.clone(), &ns);
    apply(
        &api,
        &ns,
        "orders",
        serde_json::json!({"contractRef": {"inline": orders_contract("1.4.0")}}),
    )
    .await;
    let payments = "pactoVersion: \"1.0\"\nservice:\n  name: payments\n  version: 2.0.0\n  owner:\n    team: pay\n";
    apply(
        &api,
        &ns,
        "payments",
        serde_json::json!({"contractRef": {"inline": payments}}),
    )
    .await;
    // An invalid inline contract is listed Invalid, with its errors.
    apply(
        &api,
        &ns,
        "broken",
        serde_json::json!({"contractRef": {"inline": "pactoVersion: \"1.0\"\nservice:\n  name: broken\n  version: nope\n"}}),
    )
    .await;

    let dash = Home::new();
    let (_child, port) = spawn_k8s_dashboard(&dash, &kubeconfig, &["--namespace", &ns]);

    tokio::task::block_in_place(|| {
        let d = json(port, "/api/services/orders");
        assert_eq!(d["version"], "1.4.0", "{d}");
        assert_eq!(d["source"], "k8s", "{d}");
        assert_eq!(d["owner"], "shop", "{d}");
        assert_eq!(d["interfaces"][0]["name"], "api", "{d}");
        assert_eq!(d["dependencies"][0]["name"], "payments", "{d}");
        for section in ["overview", "interfaces", "dependencies"] {
            assert_eq!(
                d["sectionMeta"][section]["state"], "present",
                "{section}: {d}"
            );
            assert_eq!(d["sectionMeta"][section]["source"], "k8s", "{section}: {d}");
        }
        // The dependency resolves to the other inline service: a graph edge and a dependent.
        let g = json(port, "/api/graph");
        let edge = g["edges"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["from"] == "orders" && e["to"] == "payments" && e["required"] == true);
        assert!(edge, "{g}");
        let p = json(port, "/api/services/payments");
        assert_eq!(p["dependents"][0]["name"], "orders", "{p}");
        assert_eq!(p["blastRadius"], 1, "{p}");

        let b = json(port, "/api/services/broken");
        assert_eq!(b["contractStatus"], "Invalid", "{b}");
        assert_eq!(b["validation"]["valid"], false, "{b}");

        let sources = json(port, "/api/sources");
        let k8s = k8s_source(&sources);
        assert!(
            k8s["reason"]
                .as_str()
                .unwrap()
                .contains("3 inline contract(s)"),
            "{k8s}"
        );
    });

    // Editing the inline text shows the new version on the open stream, no restart.
    let mut events = tokio::task::block_in_place(|| Events::open(port));
    let _hello = tokio::task::block_in_place(|| events.next_data()).unwrap();
    let edited_at = Instant::now();
    apply(
        &api,
        &ns,
        "orders",
        serde_json::json!({"contractRef": {"inline": orders_contract("1.5.0")}}),
    )
    .await;
    tokio::task::block_in_place(|| {
        let deadline = Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let d = json(port, "/api/services/orders");
            if d["version"] == "1.5.0" {
                assert_eq!(d["source"], "k8s", "{d}");
                assert_eq!(d["dependencies"][0]["name"], "payments", "{d}");
                break;
            }
            assert!(Instant::now() < deadline, "1.5.0 never shown: {d}");
            let ev = events
                .next_data()
                .expect("an /api/events event within 30 s");
            assert!(ev.contains("\"type\":\"snapshot\""), "{ev}");
        }
        eprintln!(
            "inline edit -> new version shown: {:?}",
            edited_at.elapsed()
        );
    });
    let _ = Api::<Namespace>::all(client.clone())
        .delete(&ns, &Default::default())
        .await;
}

#[test]
fn invalid_namespace_list_is_a_usage_error() {
    let o = Home::new().run(&["dashboard", "--namespace", "good,Not_Valid"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("Not_Valid") && t.contains("position 2"), "{t}");
}

/// A line-delimited JSON-RPC session with `pacto mcp` (stdio).
struct McpSession {
    child: KillOnDrop,
    stdin: std::process::ChildStdin,
    out: std::io::BufReader<std::process::ChildStdout>,
    next_id: u64,
}

impl McpSession {
    fn start(home: &Home, kubeconfig: &std::path::Path, args: &[&str]) -> McpSession {
        let mut child = home
            .cmd()
            .arg("mcp")
            .args(args)
            .env("KUBECONFIG", kubeconfig)
            .env_remove("PACTO_CACHE_DIR")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let out = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut s = McpSession {
            child: KillOnDrop(child),
            stdin,
            out,
            next_id: 0,
        };
        s.request(
            "initialize",
            serde_json::json!({"protocolVersion": "2025-06-18", "capabilities": {},
                "clientInfo": {"name": "fleet-k8s-test", "version": "1"}}),
        );
        s.send(serde_json::json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        s
    }

    fn send(&mut self, msg: serde_json::Value) {
        use std::io::Write;
        writeln!(self.stdin, "{msg}").unwrap();
        self.stdin.flush().unwrap();
    }

    fn request(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        use std::io::BufRead;
        self.next_id += 1;
        let id = self.next_id;
        self.send(
            serde_json::json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}),
        );
        loop {
            let mut line = String::new();
            let n = self.out.read_line(&mut line).unwrap();
            assert!(
                n > 0,
                "pacto mcp closed its stdout (exit: {:?})",
                self.child.0.try_wait()
            );
            let v: serde_json::Value = serde_json::from_str(&line).unwrap();
            if v["id"] == id {
                return v["result"].clone();
            }
        }
    }

    fn tool(&mut self, name: &str, args: serde_json::Value) -> serde_json::Value {
        self.request(
            "tools/call",
            serde_json::json!({"name": name, "arguments": args}),
        )
    }
}

/// The status `pacto_fleet_status` reports for `service`, once the k8s source has it.
fn fleet_status(s: &mut McpSession, service: &str) -> Option<String> {
    let r = s.tool("pacto_fleet_status", serde_json::json!({}));
    assert_ne!(r["isError"], true, "{r}");
    let st = &r["structuredContent"];
    assert_eq!(st["clusterSource"], true, "{st}");
    st["statuses"]
        .as_array()?
        .iter()
        .find(|x| x["name"] == service)
        .and_then(|x| x["contractStatus"].as_str().map(str::to_string))
}

/// `pacto mcp --fleet` over the live cluster: `pacto_fleet_status` reports a Pacto's status
/// as the operator wrote it, and a change shows without restarting the server.
#[tokio::test(flavor = "multi_thread")]
async fn mcp_fleet_status_reports_live_pacto_statuses() {
    let kubeconfig = tokio::task::spawn_blocking(|| cluster::control_plane("pacto-cli-dashboard"))
        .await
        .unwrap();
    let client = client(&kubeconfig).await;
    install_crds(&client, MANAGER).await;
    let ns = format!("mcp-fleet-{}", std::process::id());
    namespace(&client, &ns).await;
    let api: Api<Pacto> = Api::namespaced(client.clone(), &ns);
    let inline = "pactoVersion: \"1.0\"\nservice:\n  name: orders\n  version: 1.4.0\n  owner:\n    team: shop\n\
         interfaces:\n  - name: api\n    type: http\n    port: 8080\n";
    apply(
        &api,
        &ns,
        "orders",
        serde_json::json!({"contractRef": {"inline": inline}}),
    )
    .await;
    set_status(&api, &ns, "orders", orders_status("Compliant", 5)).await;

    let home = Home::new();
    let empty = tempfile::tempdir().unwrap();
    let dir = empty.path().display().to_string();
    let mut s = tokio::task::block_in_place(|| {
        McpSession::start(&home, &kubeconfig, &["--fleet", &dir, "-n", &ns])
    });
    let until = |s: &mut McpSession, want: &str| {
        let start = Instant::now();
        loop {
            let got = fleet_status(s, "orders");
            if got.as_deref() == Some(want) {
                return start.elapsed();
            }
            assert!(
                start.elapsed() < std::time::Duration::from_secs(60),
                "pacto_fleet_status never reported orders {want} (last: {got:?})"
            );
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    };
    tokio::task::block_in_place(|| {
        let t = until(&mut s, "Compliant");
        eprintln!("fleet status after start: {t:?}");
        let one = s.tool("pacto_fleet_status", serde_json::json!({"name": "orders"}));
        let st = &one["structuredContent"]["statuses"][0];
        assert_eq!(st["namespaces"], serde_json::json!([ns]), "{one}");
        assert!(st["runtime"].to_string().contains("PortsMatch"), "{one}");
        let missing = s.tool("pacto_fleet_status", serde_json::json!({"name": "nope"}));
        assert_eq!(missing["isError"], true, "{missing}");
    });
    set_status(&api, &ns, "orders", orders_status("NonCompliant", 3)).await;
    tokio::task::block_in_place(|| {
        let t = until(&mut s, "NonCompliant");
        eprintln!("fleet status change seen after {t:?}");
    });
    let _ = Api::<Namespace>::all(client.clone())
        .delete(&ns, &Default::default())
        .await;
}
