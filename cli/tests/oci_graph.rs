//! `pacto graph` over a 100-service dependency tree spread over a real registry: range
//! resolution against real tags, shared nodes, a failing edge, compatibility warnings.

use pacto_e2e_support::pacto_cli as support;

use support::*;

fn nodes<'a>(n: &'a serde_json::Value, out: &mut Vec<&'a serde_json::Value>) {
    out.push(n);
    for e in n["dependencies"].as_array().into_iter().flatten() {
        if !e["node"].is_null() {
            nodes(&e["node"], out);
        }
    }
}

fn edges<'a>(n: &'a serde_json::Value, out: &mut Vec<&'a serde_json::Value>) {
    for e in n["dependencies"].as_array().into_iter().flatten() {
        out.push(e);
        if !e["node"].is_null() {
            edges(&e["node"], out);
        }
    }
}

#[test]
fn graph_over_a_100_service_tree_in_the_registry() {
    let Some(reg) = Registries::start("graph100") else {
        return;
    };
    let lib = library_client();
    push_tree(&lib, &reg.anon);

    let home = Home::new();
    let root = format!("oci://{}/tree/{}", reg.anon, tree_name(0));
    let o = home.run(&["graph", &root, "--output-format", "json"]);
    assert!(o.status.success(), "{}", text(&o));
    let g: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o)));
    let mut all = Vec::new();
    nodes(&g["root"], &mut all);
    let mut names: Vec<&str> = all.iter().filter_map(|n| n["name"].as_str()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), TREE_SIZE, "every service resolved");
    let mut es = Vec::new();
    edges(&g["root"], &mut es);
    assert!(es.iter().all(|e| e["error"].is_null()), "no failing edge");
    assert!(es.iter().any(|e| e["shared"] == true), "svc-099 is shared");
    // Untagged refs resolved with ^1.0.0 against 1.0.0, 1.1.0 and 2.0.0: 1.1.0.
    for n in &all {
        let name = n["name"].as_str().unwrap_or_default();
        let i: usize = name.trim_start_matches("svc-").parse().unwrap_or(0);
        if i != 0 && i != TREE_SIZE - 1 && i % 2 == 1 {
            assert_eq!(n["version"], "1.1.0", "{name}");
            assert!(
                n["ref"].as_str().unwrap_or_default().ends_with(":1.1.0"),
                "{n}"
            );
        }
    }
    assert!(g["cycles"].as_array().is_none_or(|c| c.is_empty()));

    // Warm: the same answer from the cache.
    let o2 = home.run(&["graph", &root, "--output-format", "json"]);
    assert_eq!(o2.stdout, o.stdout);

    // A local root with OCI dependencies: a missing one, a pinned version outside the
    // declared range, a range nothing satisfies. Failing edges are recorded; the rest
    // of the graph resolves.
    let dir = home.path().join("app");
    let deps = vec![
        (
            format!("oci://{}/tree/svc-001", reg.anon),
            "^1.0.0".to_string(),
        ),
        (
            format!("oci://{}/tree/missing:1.0.0", reg.anon),
            "^1.0.0".to_string(),
        ),
        (
            format!("oci://{}/tree/svc-003:2.0.0", reg.anon),
            "^1.0.0".to_string(),
        ),
        (
            format!("oci://{}/tree/svc-005", reg.anon),
            ">=3".to_string(),
        ),
    ];
    for (p, data) in contract("app", "1.0.0", &deps, "").files() {
        let t = dir.join(p);
        std::fs::create_dir_all(t.parent().unwrap_or(&dir)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(t, data).unwrap_or_else(|e| panic!("{e}"));
    }
    let o = home.run(&[
        "graph",
        &dir.display().to_string(),
        "--output-format",
        "json",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let g: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    let d = &g["root"]["dependencies"];
    assert_eq!(d[0]["node"]["version"], "1.1.0");
    let msg = |e: &serde_json::Value, k: &str| e[k].as_str().unwrap_or_default().to_string();
    assert!(
        msg(&d[1], "error").contains("artifact not found"),
        "{}",
        d[1]
    );
    assert!(
        msg(&d[2], "warning").contains("does not satisfy"),
        "{}",
        d[2]
    );
    assert!(msg(&d[3], "error").contains(">=3"), "{}", d[3]);
    let text_out = home.run(&["graph", &dir.display().to_string()]);
    let t = String::from_utf8_lossy(&text_out.stdout);
    assert!(
        t.contains("svc-001@1.1.0") && t.contains("error: artifact not found"),
        "{t}"
    );
}
