//! parse → serialize → parse gives the same contract, for generated contracts and for
//! every valid fixture.

mod common;

use pacto_core::model::*;
use pacto_core::parse::{contract_from_value, parse_yaml};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

fn roundtrip(c: &Contract) -> Contract {
    let text = serde_saphyr::to_string(c).expect("serialise");
    let raw = parse_yaml(&text).unwrap_or_else(|f| panic!("{f:?}\n{text}"));
    contract_from_value(&raw).unwrap_or_else(|f| panic!("{f:?}\n{text}"))
}

/// Strings that YAML likes to reinterpret, plus ordinary printable text.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,16}",
        Just("1.0".to_string()),
        Just("yes".to_string()),
        Just("null".to_string()),
        Just("~".to_string()),
        Just("0x1F".to_string()),
        Just("- a".to_string()),
        Just("a: b # c".to_string()),
        Just(" lead".to_string()),
        Just("multi\nline".to_string()),
        Just("2026-01-01".to_string()),
        Just("ünïcødé ✓".to_string()),
    ]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        text().prop_map(Value::String),
        any::<i64>().prop_map(|n| json!(n)),
        any::<bool>().prop_map(Value::Bool),
        (0u32..1000).prop_map(|n| json!(f64::from(n) / 8.0)),
        Just(Value::Null),
    ]
}

fn object() -> impl Strategy<Value = Map<String, Value>> {
    vec((text(), scalar()), 0..4).prop_map(|kv| kv.into_iter().collect())
}

fn owner() -> impl Strategy<Value = Owner> {
    let contact = (text(), text(), option::of(text())).prop_map(|(kind, value, purpose)| Contact {
        kind,
        value,
        purpose,
    });
    prop_oneof![
        text().prop_map(Owner::Name),
        (option::of(text()), option::of(text()), vec(contact, 0..2)).prop_map(
            |(team, dri, contacts)| Owner::Info(OwnerInfo {
                team,
                dri,
                contacts
            })
        ),
    ]
}

fn service() -> impl Strategy<Value = Service> {
    (
        text(),
        text(),
        option::of(owner()),
        option::of(
            (text(), any::<bool>()).prop_map(|(reference, private)| Image { reference, private }),
        ),
        option::of((text(), text()).prop_map(|(reference, version)| Chart { reference, version })),
    )
        .prop_map(|(name, version, owner, image, chart)| Service {
            name,
            version,
            owner,
            image,
            chart,
        })
}

fn interface() -> impl Strategy<Value = Interface> {
    (
        text(),
        prop_oneof![
            Just(InterfaceType::Http),
            Just(InterfaceType::Grpc),
            Just(InterfaceType::Event)
        ],
        option::of(1u32..65536),
        prop_oneof![Just(Visibility::Public), Just(Visibility::Internal)],
        option::of(text()),
    )
        .prop_map(|(name, kind, port, visibility, contract)| Interface {
            name,
            kind,
            port,
            visibility,
            contract,
            reference: None,
        })
}

fn configuration() -> impl Strategy<Value = Configuration> {
    (
        option::of(text()),
        option::of(text()),
        option::of(text()),
        option::of(object()),
    )
        .prop_map(|(name, schema, reference, values)| Configuration {
            name,
            schema,
            reference,
            values: values.map(Value::Object),
            required: None,
        })
}

fn policy() -> impl Strategy<Value = Policy> {
    (option::of(text()), option::of(text()), option::of(text())).prop_map(
        |(name, schema, reference)| Policy {
            name,
            schema,
            reference,
            target: None,
        },
    )
}

fn dependency() -> impl Strategy<Value = Dependency> {
    (option::of(text()), text(), any::<bool>(), text()).prop_map(
        |(name, reference, required, compatibility)| Dependency {
            name,
            reference,
            required,
            compatibility,
        },
    )
}

fn runtime() -> impl Strategy<Value = Runtime> {
    let state = (
        prop_oneof![
            Just(StateType::Stateless),
            Just(StateType::Stateful),
            Just(StateType::Hybrid)
        ],
        prop_oneof![
            Just(PersistenceScope::Local),
            Just(PersistenceScope::Shared)
        ],
        prop_oneof![Just(Durability::Ephemeral), Just(Durability::Persistent)],
        prop_oneof![
            Just(DataCriticality::Low),
            Just(DataCriticality::Medium),
            Just(DataCriticality::High)
        ],
    )
        .prop_map(|(kind, scope, durability, data_criticality)| State {
            kind,
            persistence: Persistence { scope, durability },
            data_criticality,
        });
    let lifecycle = (
        option::of(prop_oneof![
            Just(UpgradeStrategy::Rolling),
            Just(UpgradeStrategy::Recreate),
            Just(UpgradeStrategy::Ordered)
        ]),
        option::of(any::<u32>().prop_map(u64::from)),
    )
        .prop_map(|(upgrade_strategy, graceful_shutdown_seconds)| Lifecycle {
            upgrade_strategy,
            graceful_shutdown_seconds,
        });
    (
        prop_oneof![
            Just(Workload::Service),
            Just(Workload::Job),
            Just(Workload::Scheduled)
        ],
        state,
        option::of(lifecycle),
        option::of(
            (text(), option::of(text()), option::of(0u64..1000)).prop_map(
                |(interface, path, initial_delay_seconds)| Health {
                    interface,
                    path,
                    initial_delay_seconds,
                },
            ),
        ),
        option::of(
            (text(), option::of(text())).prop_map(|(interface, path)| Metrics { interface, path }),
        ),
    )
        .prop_map(|(workload, state, lifecycle, health, metrics)| Runtime {
            workload,
            state,
            lifecycle,
            health,
            metrics,
        })
}

fn readiness() -> impl Strategy<Value = Readiness> {
    let check = (
        text(),
        text(),
        text(),
        0u32..=100,
        option::of(text()),
        option::of(text()),
        option::of(text()),
        option::of(text()),
    )
        .prop_map(
            |(id, kind, evidence, weight, expires, description, status, category)| ReadinessCheck {
                id,
                kind,
                evidence,
                weight,
                expires,
                description,
                status,
                category,
            },
        );
    let revision =
        (text(), text(), text(), text()).prop_map(|(date, version, author, description)| {
            ReadinessRevision {
                date,
                version,
                author,
                description,
            }
        });
    (
        option::of(0u32..=100),
        option::of(text()),
        option::of((0u32..=20).prop_map(|n| f64::from(n) / 20.0)),
        vec(revision, 0..2),
        vec(check, 0..3),
    )
        .prop_map(
            |(min_score, expires, partial_credit, history, checks)| Readiness {
                min_score,
                expires,
                partial_credit,
                history,
                checks,
                claims: vec![],
            },
        )
}

fn contract() -> impl Strategy<Value = Contract> {
    (
        (
            prop_oneof![
                Just(PactoVersion::V1_0),
                Just(PactoVersion::V1_1),
                Just(PactoVersion::V1_2)
            ],
            service(),
            vec(interface(), 0..3),
            option::of(configuration()),
            vec(configuration(), 0..2),
            option::of(policy()),
            vec(policy(), 0..2),
        ),
        (
            vec(dependency(), 0..3),
            option::of(runtime()),
            option::of(
                (
                    option::of(0u32..10),
                    option::of(0u32..10),
                    option::of(0u32..10),
                )
                    .prop_map(|(replicas, min, max)| Scaling {
                        replicas,
                        min,
                        max,
                    }),
            ),
            option::of(readiness()),
            option::of(object()),
        ),
    )
        .prop_map(
            |(
                (
                    pacto_version,
                    service,
                    interfaces,
                    configuration,
                    configurations,
                    policy,
                    policies,
                ),
                (dependencies, runtime, scaling, readiness, metadata),
            )| Contract {
                pacto_version,
                service,
                interfaces,
                configuration,
                configurations,
                policy,
                policies,
                dependencies,
                runtime,
                scaling,
                readiness,
                metadata,
                state: None,
                workload: None,
                capabilities: vec![],
                extensions: None,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn generated_contracts_round_trip(c in contract()) {
        prop_assert_eq!(roundtrip(&c), c);
    }
}

#[test]
fn every_valid_fixture_round_trips() {
    let mut checked = 0;
    let mut dirs: Vec<_> = std::fs::read_dir(common::fixtures_root())
        .expect("fixtures")
        .map(|e| e.expect("entry").path().join("good"))
        .collect();
    dirs.sort();
    for dir in dirs {
        let bundle = common::load_dir(&dir);
        let raw = parse_yaml(bundle.contract_text().expect("pacto.yaml")).expect("yaml");
        let c = contract_from_value(&raw).expect("typed");
        assert_eq!(roundtrip(&c), c, "{}", dir.display());
        checked += 1;
    }
    assert!(checked >= 45);
}
