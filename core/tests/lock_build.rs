//! Lock entries from resolved facts: the transitive reference closure through a fake
//! resolver (declarers named by content, cycles ending, duplicates refused) and the
//! dependency closure from an in-memory graph.

use pacto_core::Bundle;
use pacto_core::graph::{DepRequest, FetchError, Fetched, Fetcher, GraphOptions, Location, build};
use pacto_core::lock::Reference;
use pacto_core::lock::build::{RefResolver, ResolvedRef, dependencies, references};
use pacto_core::model::Contract;
use serde_json::{Value, json};
use std::collections::HashMap;

fn contract(name: &str, extra: Value) -> Contract {
    let mut v = json!({
        "pactoVersion": "1.2",
        "service": {"name": name, "version": "1.0.0"},
    });
    if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
        for (k, x) in e {
            o.insert(k.clone(), x.clone());
        }
    }
    serde_json::from_value(v).unwrap_or_else(|e| panic!("{e}"))
}

/// Refs are looked up in a table of (contract, digest).
struct Table(HashMap<&'static str, (Contract, &'static str)>);

impl RefResolver for Table {
    fn resolve(&self, reference: &str, _base: &Location) -> Result<ResolvedRef, String> {
        let (c, digest) = self.0.get(reference).ok_or("not found")?;
        Ok(ResolvedRef {
            entry: Reference {
                source: "oci".into(),
                reference: reference.into(),
                version: c.service.version.clone(),
                digest: (*digest).into(),
                ..Reference::default()
            },
            child: Some((c.clone(), Location::Oci(format!("{reference}@{digest}")))),
        })
    }
}

#[test]
fn reference_closure_is_transitive_with_content_declarers() {
    let root = contract(
        "root",
        json!({"configurations": [{"name": "settings", "ref": "oci://r/cfg:1"}],
               "policies": [{"name": "org", "ref": "oci://r/pol:1"}]}),
    );
    let cfg = contract(
        "cfg",
        json!({"policies": [{"name": "org", "ref": "oci://r/pol:1"}],
               "configurations": [{"name": "back", "ref": "oci://r/cfg:1"}]}),
    );
    let pol = contract("pol", json!({}));
    let table = Table(HashMap::from([
        ("oci://r/cfg:1", (cfg, "sha256:c")),
        ("oci://r/pol:1", (pol, "sha256:p")),
    ]));
    let refs = references(&root, &Location::Dir("/x".into()), &table).expect("closure");
    let ids: Vec<(String, String, String, String)> = refs
        .iter()
        .map(|r| {
            (
                r.from.clone(),
                r.kind.clone(),
                r.name.clone(),
                r.digest.clone(),
            )
        })
        .collect();
    let t = |a: &str, b: &str, c: &str, d: &str| (a.into(), b.into(), c.into(), d.into());
    assert_eq!(
        ids,
        vec![
            t("", "config", "settings", "sha256:c"),
            t("", "policy", "org", "sha256:p"),
            // Declared by the config bundle, named by its content; its ref back to
            // itself is pinned once and does not loop.
            t("oci:sha256:c", "config", "back", "sha256:c"),
            t("oci:sha256:c", "policy", "org", "sha256:p"),
        ]
    );
}

#[test]
fn duplicate_declarations_and_unresolved_refs_fail_closed() {
    let dup = contract(
        "root",
        json!({"policies": [{"name": "org", "ref": "oci://r/pol:1"},
                            {"name": "org", "ref": "oci://r/pol:1"}]}),
    );
    let table = Table(HashMap::from([(
        "oci://r/pol:1",
        (contract("pol", json!({})), "sha256:p"),
    )]));
    let e = references(&dup, &Location::Dir("/x".into()), &table).expect_err("dup");
    assert_eq!(e.code(), "LOCK_DUPLICATE_DECLARATION", "{e}");
    let missing = contract(
        "root",
        json!({"policies": [{"name": "p", "ref": "oci://r/none:1"}]}),
    );
    let e = references(&missing, &Location::Dir("/x".into()), &table).expect_err("unresolved");
    assert_eq!(e.code(), "LOCK_UNRESOLVED", "{e}");
    assert!(e.to_string().contains("oci://r/none:1"), "{e}");
}

/// Dependencies `oci://reg/<name>` served from a table; digests are `sha256:<name>`.
struct Deps(HashMap<String, Contract>);

impl Fetcher for Deps {
    fn key(&self, req: &DepRequest) -> Result<String, FetchError> {
        Ok(req.reference.clone())
    }
    fn fetch_all(
        &self,
        batch: Vec<(String, DepRequest)>,
    ) -> Vec<(String, Result<Fetched, FetchError>)> {
        batch
            .into_iter()
            .map(|(k, req)| {
                let got = self.0.get(&req.reference).cloned().map(|c| Fetched {
                    contract: c,
                    bundle: Bundle::new(),
                    location: Location::Oci(req.reference.trim_start_matches("oci://").into()),
                    resolved_ref: req.reference.clone(),
                });
                (k, got.ok_or_else(|| FetchError::Unavailable("gone".into())))
            })
            .collect()
    }
}

fn deps(refs: &[&str]) -> Value {
    json!({"dependencies": refs.iter().map(|r| json!({"name": r.rsplit('/').next(), "ref": r, "compatibility": "^1.0.0", "required": true})).collect::<Vec<_>>()})
}

fn root(c: Contract) -> Fetched {
    Fetched {
        contract: c,
        bundle: Bundle::new(),
        location: Location::Dir("/root".into()),
        resolved_ref: ".".into(),
    }
}

#[test]
fn dependency_closure_is_transitive_with_edges() {
    let table = Deps(HashMap::from([
        (
            "oci://reg/a".to_string(),
            contract("a", deps(&["oci://reg/c"])),
        ),
        (
            "oci://reg/b".to_string(),
            contract("b", deps(&["oci://reg/c"])),
        ),
        ("oci://reg/c".to_string(), contract("c", json!({}))),
    ]));
    let r = root(contract("app", deps(&["oci://reg/b", "oci://reg/a"])));
    let res = build(&r, &table, &GraphOptions::default());
    let entries = dependencies(&res, &mut |f: &Fetched| {
        Ok(format!("sha256:{}", f.contract.service.name))
    })
    .expect("closure");
    let got: Vec<(&str, &str, Vec<String>)> = entries
        .iter()
        .map(|e| (e.name.as_str(), e.digest.as_str(), e.depends_on.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("b", "sha256:b", vec!["c".to_string()]),
            ("c", "sha256:c", vec![]),
            ("a", "sha256:a", vec!["c".to_string()]),
        ]
    );
    assert!(
        entries
            .iter()
            .all(|e| e.source == "oci" && e.constraint == "^1.0.0")
    );

    let broken = root(contract("app", deps(&["oci://reg/missing"])));
    let res = build(&broken, &table, &GraphOptions::default());
    let e = dependencies(&res, &mut |_: &Fetched| Ok(String::new())).expect_err("unresolved");
    assert_eq!(e.code(), "LOCK_UNRESOLVED", "{e}");
}
