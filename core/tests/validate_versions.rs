//! Rules of one pactoVersion never fire on a contract of the other: every fixture (bad
//! and good) of a 2.0 contract is free of 1.x-only codes and every 1.x fixture of
//! 2.0-only codes.

mod common;

use common::{fixtures_root, validate_fixture};
use pacto_core::Bundle;
use pacto_core::validate::{ValidateOptions, validate_bundle};

/// Codes about fields only 1.x has (`runtime`, `scaling`, ports, `service.image/chart`,
/// `interfaces[].contract`).
const V1_ONLY: [&str; 18] = [
    "PORT_REQUIRED",
    "PORT_IGNORED",
    "CONTRACT_REQUIRED",
    "INVALID_CONTRACT_FILE",
    "HEALTH_INTERFACE_NOT_FOUND",
    "HEALTH_INTERFACE_INVALID",
    "HEALTH_PATH_REQUIRED",
    "HEALTH_PATH_IGNORED",
    "METRICS_INTERFACE_NOT_FOUND",
    "METRICS_INTERFACE_INVALID",
    "METRICS_PATH_REQUIRED",
    "METRICS_PATH_IGNORED",
    "INVALID_IMAGE_REF",
    "INVALID_CHART_REF",
    "INVALID_CHART_VERSION",
    "SCALING_MIN_EXCEEDS_MAX",
    "JOB_SCALING_NOT_ALLOWED",
    "UPGRADE_STRATEGY_STATE_MISMATCH",
];

/// Codes about fields only 2.0 has (`capabilities`, `extensions`, `policies[].target`,
/// `interfaces[].ref`).
const V2_ONLY: [&str; 9] = [
    "INVALID_INTERFACE_SPEC",
    "CAPABILITY_INTERFACE_UNKNOWN",
    "CAPABILITY_INTERFACE_NOT_HTTP",
    "CAPABILITY_PATH_INVALID",
    "CAPABILITY_REF_REQUIRED",
    "CAPABILITY_REF_INVALID",
    "DUPLICATE_CAPABILITY",
    "UNSUPPORTED_POLICY_TARGET",
    "EXTENSION_KEY_NOT_NAMESPACED",
];

fn version_of(dir: &std::path::Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("pacto.yaml")).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("pactoVersion:"))
        .map(|v| v.trim().trim_matches('"').to_string())
}

#[test]
fn version_specific_codes_stay_in_their_version() {
    let mut checked = [0usize; 2];
    let mut failures = Vec::new();
    let mut codes: Vec<_> = std::fs::read_dir(fixtures_root())
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .collect();
    codes.sort();
    for code_dir in codes {
        let mut pairs: Vec<_> = std::fs::read_dir(&code_dir)
            .expect("code dir")
            .map(|e| e.expect("entry").path())
            .collect();
        pairs.sort();
        for dir in pairs {
            let Some(version) = version_of(&dir) else {
                continue;
            };
            let (foreign, slot): (&[&str], usize) = match version.as_str() {
                "2.0" => (&V1_ONLY, 1),
                "1.0" | "1.1" | "1.2" => (&V2_ONLY, 0),
                _ => continue,
            };
            checked[slot] += 1;
            let report = validate_fixture(&dir);
            for f in report.errors.iter().chain(&report.warnings) {
                if foreign.contains(&f.code.as_str()) {
                    failures.push(format!(
                        "{} (pactoVersion {version}): [{}] {}: {}",
                        dir.display(),
                        f.code,
                        f.path,
                        f.message
                    ));
                }
            }
        }
    }
    assert!(
        checked[0] >= 90 && checked[1] >= 80,
        "too few fixtures per version: 1.x {}, 2.0 {}",
        checked[0],
        checked[1]
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The 1.x probe and port rules have 2.0 counterparts that are looser on purpose: a 2.0
/// grpc or asyncapi interface has no port, and a capability may be bound without a path.
#[test]
fn a_2_0_contract_without_ports_or_probe_paths_is_clean() {
    let mut bundle = Bundle::new();
    bundle.insert(
        "pacto.yaml",
        br#"pactoVersion: "2.0"
service: {name: orders, version: 2.0.0, owner: {team: shop}}
interfaces:
  - {name: rest, type: openapi, ref: api/openapi.yaml}
  - {name: rpc, type: grpc, ref: api/orders.proto}
  - {name: events, type: asyncapi, ref: api/events.yaml}
workload: job
capabilities:
  - type: health
    binding: {type: http, interface: rest}
  - type: metrics
"#
        .to_vec(),
    );
    bundle.insert(
        "api/openapi.yaml",
        b"openapi: 3.1.0\ninfo: {title: t, version: 1.0.0}\npaths: {}\n".to_vec(),
    );
    bundle.insert(
        "api/orders.proto",
        b"syntax = \"proto3\";\nservice Orders { rpc Get(Req) returns (Req); }\nmessage Req { string id = 1; }\n".to_vec(),
    );
    bundle.insert(
        "api/events.yaml",
        b"asyncapi: 3.0.0\ninfo: {title: t, version: 1.0.0}\n".to_vec(),
    );
    let report = validate_bundle(&bundle, &ValidateOptions::default());
    assert!(
        report.errors.is_empty() && report.warnings.is_empty(),
        "errors {:?}\nwarnings {:?}",
        report.errors,
        report.warnings
    );
}
