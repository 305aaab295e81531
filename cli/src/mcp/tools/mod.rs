//! The tool catalog (name, description, derived input schema, annotations) and dispatch.
//! Results are structured (`structuredContent`) with a text JSON copy; argument and
//! domain errors are `isError` results the model can read.

mod args;
mod bundle;
mod check;
mod create;
mod edit;
mod fleet;
mod migrate;
mod shapes;
mod write;

use super::Context;
use rmcp::model::{CallToolResult, ContentBlock, JsonObject, Tool, ToolAnnotations};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::Arc;

struct Spec {
    name: &'static str,
    description: &'static str,
    schema: fn() -> JsonObject,
    writes: bool,
    needs_bundle: bool,
    needs_fleet: bool,
}

fn schema_of<T: JsonSchema>() -> JsonObject {
    let mut v = serde_json::to_value(schemars::schema_for!(T)).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.remove("$schema");
        o.remove("title");
        o.entry("properties")
            .or_insert_with(|| Value::Object(Default::default()));
        return o.clone();
    }
    JsonObject::new()
}

const SPECS: &[Spec] = &[
    Spec {
        name: "pacto_create",
        description: "Create a new Pacto contract bundle (pacto.yaml, stub interface specs, configuration schema) in a directory under the working directory. pactoVersion 2.0 by default. The contract is validated before anything is written; dry_run returns it without writing.",
        schema: schema_of::<args::CreateArgs>,
        writes: true,
        needs_bundle: false,
        needs_fleet: false,
    },
    Spec {
        name: "pacto_edit",
        description: "Edit an existing pacto.yaml: service name/version/owner, add or remove interfaces and dependencies, workload, state, configuration properties, metadata. Refuses edits that add validation errors. Returns the list of changes and a summary.",
        schema: schema_of::<args::EditArgs>,
        writes: true,
        needs_bundle: false,
        needs_fleet: false,
    },
    Spec {
        name: "pacto_check",
        description: "Validate a contract bundle (directory or oci:// ref) like `pacto validate`: valid, errors and warnings (path, code, message), a summary and suggestions (some with a toolCall that applies the fix).",
        schema: schema_of::<args::CheckArgs>,
        writes: false,
        needs_bundle: false,
        needs_fleet: false,
    },
    Spec {
        name: "pacto_schema",
        description: "The JSON Schema of pacto.yaml for a pactoVersion (default 2.0), with its description.",
        schema: schema_of::<args::SchemaArgs>,
        writes: false,
        needs_bundle: false,
        needs_fleet: false,
    },
    Spec {
        name: "pacto_diff",
        description: "Compare two contract bundles (directories or oci:// refs) like `pacto diff --json`: classification (NON_BREAKING, POTENTIAL_BREAKING, BREAKING), changes, dependency and graph diffs.",
        schema: schema_of::<args::DiffArgs>,
        writes: false,
        needs_bundle: false,
        needs_fleet: false,
    },
    Spec {
        name: "pacto_explain",
        description: "Explain the contract this server was started on: service, interfaces, configuration, dependencies, runtime.",
        schema: schema_of::<args::NoArgs>,
        writes: false,
        needs_bundle: true,
        needs_fleet: false,
    },
    Spec {
        name: "pacto_interfaces",
        description: "The operations of the served contract's interfaces: OpenAPI endpoints, AsyncAPI channels and gRPC services.",
        schema: schema_of::<args::InterfacesArgs>,
        writes: false,
        needs_bundle: true,
        needs_fleet: false,
    },
    Spec {
        name: "pacto_migrate",
        description: "Migrate a 1.x contract bundle (directory or oci:// ref) to pactoVersion 2.0 like `pacto migrate`: the new pacto.yaml, the files added and one note per decision (mapped, preserved, stubbed, lossy). With output (a new or empty directory under the working directory) the whole migrated bundle is written there; without it, or with dry_run, nothing is written.",
        schema: schema_of::<args::MigrateArgs>,
        writes: true,
        needs_bundle: false,
        needs_fleet: false,
    },
    Spec {
        name: "pacto_fleet_search",
        description: "Search the fleet's services (the --fleet sources: directories, OCI repositories, the cluster) by a case-insensitive substring of name or owner, and/or owner: name, version, owner, namespaces, contract status, checks, blast radius.",
        schema: schema_of::<args::FleetSearchArgs>,
        writes: false,
        needs_bundle: false,
        needs_fleet: true,
    },
    Spec {
        name: "pacto_fleet_get",
        description: "One fleet service in full, as the dashboard shows it: contract sections (interfaces, configurations, policies), dependencies and dependents, versions, validation and the runtime state from the cluster.",
        schema: schema_of::<args::FleetNameArgs>,
        writes: false,
        needs_bundle: false,
        needs_fleet: true,
    },
    Spec {
        name: "pacto_fleet_graph",
        description: "The fleet's dependency graph (nodes, edges, cycles); with name, the neighbourhood of that service (2 hops both ways).",
        schema: schema_of::<args::FleetMaybeNameArgs>,
        writes: false,
        needs_bundle: false,
        needs_fleet: true,
    },
    Spec {
        name: "pacto_fleet_status",
        description: "The live Pacto statuses from the Kubernetes source (contract status, checks, conditions, endpoints per Pacto object), for one service or every deployed one. Says so when the fleet has no cluster source.",
        schema: schema_of::<args::FleetMaybeNameArgs>,
        writes: false,
        needs_bundle: false,
        needs_fleet: true,
    },
    Spec {
        name: "pacto_impact",
        description: "Who breaks if a service changes: its dependents, transitively (dependents of dependents, cycle-safe), each with its depth, the service it depends on (via), whether that dependency is required, and whether it is reached through required dependencies only (requiredPath).",
        schema: schema_of::<args::FleetNameArgs>,
        writes: false,
        needs_bundle: false,
        needs_fleet: true,
    },
];

fn offered(ctx: &Context, s: &Spec) -> bool {
    !(s.writes && ctx.read_only)
        && (!s.needs_bundle || ctx.bundle.is_some())
        && (!s.needs_fleet || ctx.fleet.is_some())
}

/// The tools this server offers.
pub fn list(ctx: &Context) -> Vec<Tool> {
    SPECS
        .iter()
        .filter(|s| offered(ctx, s))
        .map(|s| {
            let annotations = ToolAnnotations::new()
                .read_only(!s.writes)
                .destructive(s.name == "pacto_edit")
                .idempotent(!s.writes)
                .open_world(false);
            Tool::new(s.name, s.description, Arc::new((s.schema)())).with_annotations(annotations)
        })
        .collect()
}

/// Runs a tool; `None` when the name is not one this server offers.
pub fn call(ctx: &Context, name: &str, args: Option<JsonObject>) -> Option<CallToolResult> {
    let spec = SPECS.iter().find(|s| s.name == name && offered(ctx, s))?;
    let bundle = ctx.bundle.as_ref();
    let fleet = || ctx.fleet.as_ref().ok_or_else(no_fleet);
    let result = match spec.name {
        "pacto_create" => parse(args).and_then(|a| create::run(ctx, a)),
        "pacto_edit" => parse(args).and_then(|a| edit::run(ctx, a)),
        "pacto_check" => parse(args).and_then(check::check),
        "pacto_schema" => parse(args).and_then(check::schema),
        "pacto_diff" => parse(args).and_then(check::diff),
        "pacto_explain" => parse::<args::NoArgs>(args)
            .and_then(|_| bundle.ok_or_else(no_bundle).and_then(bundle::explain)),
        "pacto_interfaces" => parse(args).and_then(|a| {
            bundle
                .ok_or_else(no_bundle)
                .and_then(|b| bundle::interfaces(b, a))
        }),
        "pacto_migrate" => parse(args).and_then(|a| migrate::run(ctx, a)),
        "pacto_fleet_search" => parse(args).and_then(|a| fleet::search(fleet()?, a)),
        "pacto_fleet_get" => parse(args).and_then(|a| fleet::get(fleet()?, a)),
        "pacto_fleet_graph" => parse(args).and_then(|a| fleet::graph(fleet()?, a)),
        "pacto_fleet_status" => parse(args).and_then(|a| fleet::status(fleet()?, a)),
        "pacto_impact" => parse(args).and_then(|a| fleet::impact(fleet()?, a)),
        _ => return None,
    };
    Some(match result {
        Ok(value) => {
            let text = serde_json::to_string_pretty(&value).unwrap_or_default();
            let mut r = CallToolResult::success(vec![ContentBlock::text(text)]);
            r.structured_content = Some(value);
            r
        }
        Err(message) => CallToolResult::error(vec![ContentBlock::text(message)]),
    })
}

fn no_bundle() -> String {
    "this server was started without a bundle".into()
}

fn no_fleet() -> String {
    "this server was started without --fleet".into()
}

fn parse<T: DeserializeOwned>(args: Option<JsonObject>) -> Result<T, String> {
    serde_json::from_value(Value::Object(args.unwrap_or_default()))
        .map_err(|e| format!("invalid arguments: {e}"))
}
