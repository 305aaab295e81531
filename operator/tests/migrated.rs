//! A contract migrated to 2.0 by `pacto migrate` keeps its image and scaling checks: the
//! operator reads them from `extensions["pacto.trianalab.io/v1"]` (`Contract::image`,
//! `Contract::scaling`), as it reads the 1.x fields.

mod fixtures;

use fixtures::*;
use pacto_core::bundle::Bundle;
use pacto_core::migrate::{MigrateOptions, migrate_bundle};
use pacto_core::parse::parse_yaml;
use pacto_operator::eval::{Check, Observed};
use serde_json::json;

/// The world's 1.x contract replaced by its 2.0 migration (stubs included).
fn migrated(mut w: World) -> World {
    let mut b = Bundle::new();
    b.insert(
        "pacto.yaml",
        serde_json::to_string(&w.contract)
            .expect("json")
            .into_bytes(),
    );
    let opts = MigrateOptions {
        today: "2026-01-01".into(),
        drop_lossy: false,
    };
    let m = migrate_bundle(&b, &opts).expect("the fixture contract migrates");
    w.contract = parse_yaml(&m.migration.yaml).expect("yaml");
    assert_eq!(w.contract["pactoVersion"], "2.0");
    for (path, bytes) in m.migration.files {
        w.bundle.insert(path, bytes);
    }
    w
}

#[test]
fn image_is_still_checked() {
    let w = migrated(World::base());
    assert_eq!(result(&w.eval(), Check::ImageMatch).reason, "Match");
    let mut w = w;
    set(
        w.workload_mut(),
        "/spec/template/spec/containers/0/image",
        json!("ghcr.io/acme/orders:1.1.0"),
    );
    assert_eq!(result(&w.eval(), Check::ImageMatch).reason, "Mismatch");
}

#[test]
fn scaling_is_still_checked() {
    let mut w = migrated(World::base());
    assert_eq!(result(&w.eval(), Check::ScalingMatch).reason, "Match");
    set(w.workload_mut(), "/spec/replicas", json!(7));
    assert_eq!(
        result(&w.eval(), Check::ScalingMatch).reason,
        "ReplicasOutOfRange"
    );
    let mut hpa = fixture("hpa.yaml");
    set(&mut hpa, "/spec/maxReplicas", json!(10));
    w.hpa = Observed::Found(Some(hpa));
    assert_eq!(
        result(&w.eval(), Check::ScalingMatch).reason,
        "HpaOutOfRange"
    );
}
