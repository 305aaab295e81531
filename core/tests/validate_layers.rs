//! Structural-layer details, layer ordering, references and policy resolution.

mod common;

use common::MapResolver;
use pacto_core::Bundle;
use pacto_core::parse::parse_yaml;
use pacto_core::validate::{
    SectionKind, ValidateOptions, ValidationReport, validate_bundle, validate_value,
};

const BASE: &str = r#"pactoVersion: "1.0"
service:
  name: api
  version: 1.0.0
interfaces:
  - name: http
    type: http
    port: 8080
"#;

fn validate_text(yaml: &str) -> ValidationReport {
    let mut b = Bundle::new();
    b.insert("pacto.yaml", yaml.as_bytes().to_vec());
    validate_bundle(&b, &ValidateOptions::default())
}

fn has(r: &ValidationReport, code: &str, path: &str) -> bool {
    r.errors
        .iter()
        .chain(&r.warnings)
        .any(|f| f.code == code && f.path == path)
}

fn dump(r: &ValidationReport) -> String {
    format!("{:#?}\n{:#?}", r.errors, r.warnings)
}

#[test]
fn unknown_keys_are_reported_at_their_own_path_with_allowed_keys() {
    let r = validate_text(&format!("{BASE}colour: blue\n"));
    assert!(has(&r, "SCHEMA_VIOLATION", "colour"), "{}", dump(&r));
    let r = validate_text(&BASE.replace("    port: 8080\n", "    port: 8080\n    colour: red\n"));
    let f = r
        .errors
        .iter()
        .find(|f| f.path == "interfaces[0].colour")
        .expect("unknown nested key");
    assert!(
        f.message.contains("name, type, port, visibility, contract"),
        "{}",
        f.message
    );
}

#[test]
fn missing_required_field_points_at_the_field() {
    let r = validate_text(&BASE.replace("  version: 1.0.0\n", ""));
    let f = r
        .errors
        .iter()
        .find(|f| f.path == "service.version")
        .expect("missing version reported");
    assert_eq!(f.code, "SCHEMA_VIOLATION");
    assert!(f.message.contains("required"), "{}", f.message);
}

#[test]
fn type_and_enum_messages_say_what_to_write() {
    let r = validate_text(&BASE.replace("port: 8080", "port: \"8080\""));
    let f = r
        .errors
        .iter()
        .find(|f| f.path == "interfaces[0].port")
        .expect("type");
    assert!(f.message.contains("without quotes"), "{}", f.message);
    let r = validate_text(&BASE.replace("type: http", "type: soap"));
    let f = r
        .errors
        .iter()
        .find(|f| f.path == "interfaces[0].type")
        .expect("enum");
    assert!(
        f.message.contains("\"http\", \"grpc\", \"event\""),
        "{}",
        f.message
    );
    let r = validate_text(&BASE.replace("name: api", "name: My_API"));
    assert!(has(&r, "SCHEMA_VIOLATION", "service.name"), "{}", dump(&r));
}

#[test]
fn one_of_rules_explain_the_choice() {
    let r = validate_text(&format!("{BASE}scaling: {{replicas: 2, min: 1, max: 3}}\n"));
    let f = r
        .errors
        .iter()
        .find(|f| f.path == "scaling")
        .expect("scaling oneOf");
    assert!(
        f.message.contains("replicas") && f.message.contains("min"),
        "{}",
        f.message
    );
    let r = validate_text(&format!(
        "{BASE}configuration: {{schema: c.json, ref: \"oci://ghcr.io/a/b:1\"}}\n"
    ));
    let f = r
        .errors
        .iter()
        .find(|f| f.path == "configuration")
        .expect("config oneOf");
    assert!(
        f.message.contains("exactly one of `schema`"),
        "{}",
        f.message
    );
    let r = validate_text(&format!(
        "{BASE}configuration: {{ref: \"../x\", values: {{a: 1}}}}\n"
    ));
    assert!(has(&r, "SCHEMA_VIOLATION", "configuration"), "{}", dump(&r));
}

#[test]
fn owner_forms_and_names_follow_the_version() {
    let owner_str = BASE.replace(
        "  version: 1.0.0\n",
        "  version: 1.0.0\n  owner: team/payments\n",
    );
    let owner_obj = BASE.replace(
        "  version: 1.0.0\n",
        "  version: 1.0.0\n  owner: {team: payments}\n",
    );
    for v in ["1.0", "1.1"] {
        assert!(validate_text(&owner_str.replace("\"1.0\"", &format!("\"{v}\""))).is_valid());
        assert!(validate_text(&owner_obj.replace("\"1.0\"", &format!("\"{v}\""))).is_valid());
    }
    let r = validate_text(&owner_str.replace("\"1.0\"", "\"1.2\""));
    assert!(has(&r, "SCHEMA_VIOLATION", "service.owner"), "{}", dump(&r));
    assert!(validate_text(&owner_obj.replace("\"1.0\"", "\"1.2\"")).is_valid());
    let r = validate_text(&owner_obj.replace("{team: payments}", "{team: payments, slack: x}"));
    assert!(
        has(&r, "SCHEMA_VIOLATION", "service.owner.slack"),
        "{}",
        dump(&r)
    );

    let dep = "dependencies:\n  - {ref: ../db, compatibility: ^1.0.0}\n";
    assert!(validate_text(&format!("{BASE}{dep}")).is_valid());
    let r = validate_text(&format!("{BASE}{dep}").replace("\"1.0\"", "\"1.1\""));
    assert!(
        has(&r, "SCHEMA_VIOLATION", "dependencies[0].name"),
        "{}",
        dump(&r)
    );
    let cfg = "configurations:\n  - {ref: ../platform}\n";
    let r = validate_text(&format!("{BASE}{cfg}").replace("\"1.0\"", "\"1.1\""));
    assert!(
        has(&r, "SCHEMA_VIOLATION", "configurations[0].name"),
        "{}",
        dump(&r)
    );
}

#[test]
fn readiness_shape_differs_between_1_1_and_1_2() {
    let v11 = format!(
        "{BASE}readiness:\n  checks:\n    - {{id: runbook, type: url, evidence: x, weight: 10, expires: \"2027-01-01\"}}\n"
    )
    .replace("\"1.0\"", "\"1.1\"");
    assert!(
        validate_text(&v11).is_valid(),
        "{}",
        dump(&validate_text(&v11))
    );
    assert!(has(
        &validate_text(&v11.replace("\"1.1\"", "\"1.0\"")),
        "SCHEMA_VIOLATION",
        "readiness"
    ));
    let r = validate_text(&v11.replace("\"1.1\"", "\"1.2\""));
    assert!(
        has(&r, "SCHEMA_VIOLATION", "readiness.expires"),
        "{}",
        dump(&r)
    );
    assert!(
        has(&r, "SCHEMA_VIOLATION", "readiness.checks[0].status"),
        "{}",
        dump(&r)
    );
    assert!(
        has(&r, "SCHEMA_VIOLATION", "readiness.checks[0].expires"),
        "{}",
        dump(&r)
    );
}

#[test]
fn layers_short_circuit_on_errors_but_not_on_warnings() {
    // A schema error hides the cross-field duplicate-name error.
    let dup = BASE.to_string() + "  - name: http\n    type: http\n    port: 8081\n";
    let r = validate_text(&format!("{dup}colour: blue\n"));
    assert!(
        r.errors.iter().all(|f| f.code == "SCHEMA_VIOLATION"),
        "{}",
        dump(&r)
    );
    assert!(r.contract.is_none());
    // A cross-field warning does not stop policies.
    let mut b = Bundle::new();
    let yaml = format!(
        "{BASE}  - name: ev\n    type: event\n    port: 1\n    contract: ev.yaml\npolicy: {{schema: p.json}}\n"
    );
    b.insert("pacto.yaml", yaml.into_bytes());
    b.insert("ev.yaml", b"asyncapi: 2.6.0\n".to_vec());
    b.insert(
        "p.json",
        br#"{"properties":{"service":{"required":["owner"]}}}"#.to_vec(),
    );
    let r = validate_bundle(&b, &ValidateOptions::default());
    assert!(
        has(&r, "PORT_IGNORED", "interfaces[1].port"),
        "{}",
        dump(&r)
    );
    assert!(has(&r, "POLICY_VIOLATION", "service.owner"), "{}", dump(&r));
    assert!(r.contract.is_some());
}

#[test]
fn refs_are_recorded_and_resolved_policies_enforced() {
    let yaml = format!(
        "{BASE}configuration: {{ref: \"oci://ghcr.io/acme/cfg:1.0.0\"}}\npolicy: {{ref: \"oci://ghcr.io/acme/pol:1.0.0\"}}\n"
    );
    let r = validate_text(&yaml);
    assert_eq!(r.references.len(), 2);
    assert_eq!(r.references[0].kind, SectionKind::Config);
    assert_eq!(r.references[0].path, "configuration.ref");
    assert_eq!(r.references[1].kind, SectionKind::Policy);
    assert_eq!(r.references[1].reference, "oci://ghcr.io/acme/pol:1.0.0");
    assert!(has(&r, "POLICY_REF_NOT_ENFORCED", "policy.ref"));
    assert!(r.is_valid());

    let schema = serde_json::json!({"properties": {"interfaces": {"items": {"properties": {"port": {"minimum": 9000}}}}}});
    let mut map = serde_json::Map::new();
    map.insert("oci://ghcr.io/acme/pol:1.0.0".into(), schema);
    let resolver = MapResolver(map);
    let mut b = Bundle::new();
    b.insert("pacto.yaml", yaml.into_bytes());
    let r = validate_bundle(
        &b,
        &ValidateOptions {
            policy_resolver: Some(&resolver),
        },
    );
    let f = r
        .errors
        .iter()
        .find(|f| f.code == "POLICY_VIOLATION")
        .expect("ref policy enforced");
    assert_eq!(f.path, "interfaces[0].port");
    assert!(f.message.contains("policy 'default'"), "{}", f.message);
    assert!(!has(&r, "POLICY_REF_NOT_ENFORCED", "policy.ref"));
}

#[test]
fn validate_value_sees_overrides_and_report_serialises_stably() {
    let mut raw = parse_yaml(BASE).expect("yaml");
    raw["interfaces"][0]["port"] = serde_json::json!(0);
    let r = validate_value(&raw, &Bundle::new(), &ValidateOptions::default());
    assert!(
        has(&r, "SCHEMA_VIOLATION", "interfaces[0].port"),
        "{}",
        dump(&r)
    );
    let json = serde_json::to_value(&r).expect("serialise");
    let keys: Vec<_> = json.as_object().expect("object").keys().cloned().collect();
    assert_eq!(keys, ["errors", "warnings", "references"]);
    assert_eq!(
        json["errors"][0]
            .as_object()
            .expect("finding")
            .keys()
            .cloned()
            .collect::<Vec<_>>(),
        ["code", "path", "message"]
    );
}

#[test]
fn missing_contract_and_hostile_input_do_not_panic() {
    let r = validate_bundle(&Bundle::new(), &ValidateOptions::default());
    assert!(has(&r, "FILE_NOT_FOUND", ""));
    for text in [
        "",
        "[]",
        "pactoVersion: 1.0",
        "pactoVersion: [1]",
        "a: &a [*a]",
        "\u{0}",
        "? [a]\n: b",
    ] {
        let r = validate_text(text);
        assert!(!r.is_valid(), "{text:?} should be invalid");
    }
    let r = validate_text("pactoVersion: 1.0\n");
    assert!(r.errors[0].message.contains("quote it"), "{}", dump(&r));
}

#[test]
fn typical_bundle_is_valid_with_expected_warnings() {
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bundles/typical");
    let r = validate_bundle(&common::load_dir(&root), &ValidateOptions::default());
    assert!(r.is_valid(), "{}", dump(&r));
    let codes: Vec<_> = r
        .warnings
        .iter()
        .map(|f| (f.code.as_str(), f.path.as_str()))
        .collect();
    assert_eq!(codes, [("TAG_NOT_DIGEST", "dependencies[1].ref")]);
    // Timing is printed, never asserted (benches own the figures).
    let start = std::time::Instant::now();
    let b = common::load_dir(&root);
    for _ in 0..50 {
        std::hint::black_box(validate_bundle(&b, &ValidateOptions::default()));
    }
    eprintln!(
        "typical bundle, unoptimised test build: {:?} per validation",
        start.elapsed() / 50
    );
}
