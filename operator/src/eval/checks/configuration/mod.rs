//! ConfigurationValid and ConfigurationMounted: `spec.target.configBindings` against the bound
//! ConfigMaps and Secrets.
//!
//! ConfigurationValid (Error): each bound object exists (a required configuration's absence is
//! a failure, an optional one's is fine); with `key`, the value at that key decodes as `format`
//! (a Secret without format is YAML, which also reads JSON) and validates against the
//! configuration's bundled JSON Schema, one finding per schema error with its JSON pointer. A
//! binding naming a configuration the contract does not declare fails too. Values of Secrets
//! are never quoted. ConfigurationMounted (Warning): the workload's pod template mounts or
//! envFroms every bound object.

mod mounts;
#[cfg(test)]
mod tests;

use pacto_core::Contract;
use pacto_core::model::Configuration;
use pacto_core::validate::config_value::{ValueFormat, decode_value, validate_value};
use pacto_crds::status::FindingSeverity;
use pacto_crds::vocabulary::findings as codes;
use pacto_crds::{ConfigBinding, ConfigBindingKind, ConfigFormat, Target, reasons};

use super::super::check::{Check, CheckResult};
use super::super::draft::{Evidence, FindingDraft};
use super::super::target_snapshot::{ConfigObject, Observed, ObservedConfig, Workload};

pub(crate) use mounts::mounted;

/// Most schema errors reported per binding.
pub(crate) const MAX_SCHEMA_ERRORS: usize = 20;

/// `Kind/name` of the bound object.
pub(crate) fn subject(b: &ConfigBinding) -> String {
    format!("{}/{}", kind(b), b.name)
}

fn kind(b: &ConfigBinding) -> &'static str {
    match b.kind {
        ConfigBindingKind::ConfigMap => "ConfigMap",
        ConfigBindingKind::Secret => "Secret",
    }
}

/// The verdict of one binding.
#[derive(Default)]
struct Verdict {
    findings: Vec<FindingDraft>,
    unknown: Vec<FindingDraft>,
    notes: Vec<String>,
}

/// Runs both checks; empty when the target binds no configuration.
pub(crate) fn check(
    c: &Contract,
    target: &Target,
    observed: &ObservedConfig,
    workload: Option<&Workload>,
) -> Vec<CheckResult> {
    if target.config_bindings.is_empty() {
        return Vec::new();
    }
    let mut out = vec![valid(c, target, observed)];
    if let Some(w) = workload
        && let Some(pod) = w.pod_spec()
    {
        out.push(mounted(&target.config_bindings, &observed.objects, w, pod));
    }
    out
}

/// ConfigurationValid.
pub(crate) fn valid(c: &Contract, target: &Target, observed: &ObservedConfig) -> CheckResult {
    let declared = c.all_configurations();
    let mut v = Verdict::default();
    for (i, b) in target.config_bindings.iter().enumerate() {
        let Some((at, decl)) = declared
            .iter()
            .find(|(_, d)| d.display_name() == b.configuration)
        else {
            let names: Vec<&str> = declared.iter().map(|(_, d)| d.display_name()).collect();
            v.findings.push(error(
                codes::CONFIGURATION_MISMATCH,
                b,
                format!("spec.target.configBindings[{i}].configuration"),
                format!(
                    "configBindings[{i}] names configuration {:?}, which the contract does not declare (it declares: {})",
                    b.configuration,
                    if names.is_empty() { "none".to_string() } else { names.join(", ") }
                ),
            ));
            continue;
        };
        let not_read;
        let object = match observed.objects.get(i) {
            Some(o) => o,
            None => {
                not_read = Observed::Unobservable(format!("{} was not read", subject(b)));
                &not_read
            }
        };
        one(&mut v, i, b, at, decl, object, observed);
    }
    verdict(v, target.config_bindings.len())
}

/// Whether the contract requires the configuration at runtime (2.0 `required`; a 1.x
/// configuration, which has no such field, counts as required).
fn required(decl: &Configuration) -> bool {
    decl.required.unwrap_or(true)
}

fn one(
    v: &mut Verdict,
    i: usize,
    b: &ConfigBinding,
    at: &str,
    decl: &Configuration,
    object: &Observed<ConfigObject>,
    observed: &ObservedConfig,
) {
    let name = decl.display_name();
    let obj = match object {
        Observed::Found(o) => o,
        Observed::Missing => {
            absent(v, b, at, decl, format!("{} does not exist", subject(b)));
            return;
        }
        Observed::Unobservable(why) => {
            v.unknown.push(
                FindingDraft::new(
                    codes::COLLECTION_FAILED,
                    FindingSeverity::Unknown,
                    codes::CATEGORY_OBSERVATION,
                    format!("configuration {name:?} (configBindings[{i}]): {why}"),
                )
                .subject(subject(b))
                .path(at.to_string()),
            );
            return;
        }
    };
    let Some(key) = b.key.as_deref().filter(|k| !k.is_empty()) else {
        return; // existence only
    };
    let Some(bytes) = obj.value.as_deref() else {
        absent(v, b, at, decl, format!("{} has no key {key:?}", subject(b)));
        return;
    };
    let format = match b.format {
        Some(ConfigFormat::Json) => ValueFormat::Json,
        Some(ConfigFormat::Yaml) | None => ValueFormat::Yaml,
    };
    let value = match decode_value(bytes, format) {
        Ok(value) => value,
        Err(e) => {
            v.findings.push(error(
                codes::CONFIGURATION_MISMATCH,
                b,
                format!("spec.target.configBindings[{i}].format"),
                format!(
                    "{} key {key:?} (configuration {name:?}, configBindings[{i}]) does not decode as {}: {e}",
                    subject(b),
                    format.as_str()
                ),
            ));
            return;
        }
    };
    let Some(schema) = observed.schemas.as_deref().and_then(|s| s.get(name)) else {
        v.notes.push(format!(
            "configuration {name:?} has no bundled schema: {} key {key:?} checked for syntax only",
            subject(b)
        ));
        return;
    };
    let quote = b.kind == ConfigBindingKind::ConfigMap;
    for e in validate_value(schema, &value, quote, MAX_SCHEMA_ERRORS) {
        let pointer = if e.pointer.is_empty() {
            "/"
        } else {
            &e.pointer
        };
        v.findings.push(error(
            codes::CONFIGURATION_MISMATCH,
            b,
            format!("{at}.schema"),
            format!(
                "{} key {key:?} at {pointer} violates the schema of configuration {name:?} (`{}`): {}",
                subject(b),
                schema.file,
                e.message
            ),
        ));
    }
}

/// The bound object (or key) is not there: a failure for a required configuration.
fn absent(v: &mut Verdict, b: &ConfigBinding, at: &str, decl: &Configuration, what: String) {
    let name = decl.display_name();
    if required(decl) {
        v.findings.push(error(
            codes::CONFIGURATION_ABSENT,
            b,
            at.to_string(),
            format!("{what}: configuration {name:?} is required"),
        ));
    } else {
        v.notes
            .push(format!("{what} (configuration {name:?} is optional)"));
    }
}

fn error(code: &str, b: &ConfigBinding, path: String, message: String) -> FindingDraft {
    FindingDraft::new(
        code,
        FindingSeverity::Error,
        codes::CATEGORY_RUNTIME_DRIFT,
        message,
    )
    .subject(subject(b))
    .path(path)
    .evidence(Evidence::Kubernetes)
}

fn verdict(v: Verdict, bindings: usize) -> CheckResult {
    let check = Check::ConfigurationValid;
    let notes = if v.notes.is_empty() {
        String::new()
    } else {
        format!("; {}", v.notes.join("; "))
    };
    if let Some(first) = v.findings.first() {
        let reason = if v
            .findings
            .iter()
            .any(|f| f.code == codes::CONFIGURATION_MISMATCH)
        {
            reasons::CONFIGURATION_INVALID
        } else {
            reasons::CONFIGURATION_ABSENT
        };
        let more = match v.findings.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        let message = format!("{}{more}", first.message);
        let mut findings = v.findings;
        findings.extend(v.unknown);
        return CheckResult::fail(check, reason, message).with_findings(findings);
    }
    if let Some(first) = v.unknown.first() {
        let message = first.message.clone();
        return CheckResult::unknown(check, reasons::OBSERVATION_FAILED, message)
            .with_findings(v.unknown);
    }
    CheckResult::pass(
        check,
        reasons::MATCH,
        format!("{bindings} configuration binding(s) hold valid configuration{notes}"),
    )
}
