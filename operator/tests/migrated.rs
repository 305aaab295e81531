//! A contract migrated to 2.0 by `pacto migrate` keeps its image and scaling checks: the
//! operator reads them from `extensions["pacto.trianalab.io/v1"]` (`Contract::image`,
//! `Contract::scaling`), as it reads the 1.x fields.

mod fixtures;

use fixtures::*;
use pacto_operator::eval::{Check, Observed};
use serde_json::json;

#[test]
fn image_is_still_checked() {
    let w = World::base().migrated();
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
    let mut w = World::base().migrated();
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
