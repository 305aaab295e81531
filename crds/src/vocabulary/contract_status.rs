//! `status.contractStatus` and the precedence that derives it (DESIGN.md "Status model").

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::named_enum;

// Declared in precedence order: when several apply, the first wins (Invalid > NonCompliant >
// Unknown > Warning > Compliant); `Reference` is a valid contract without a target, so nothing
// runtime-related can apply to it. (The doc line below is the CRD schema's description.)
named_enum! {
    /// Headline state of a Pacto.
    #[derive(JsonSchema, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum ContractStatus as "contract status" {
        /// The contract cannot be parsed or fails validation.
        Invalid,
        /// An error-severity check failed.
        NonCompliant,
        /// Something could not be observed.
        Unknown,
        /// Only warning-severity checks failed.
        Warning,
        /// Every check passed.
        Compliant,
        /// No target: the contract is only a reference.
        Reference,
    }
}

impl ContractStatus {
    /// Rank in the precedence order: 0 is the status that wins over every other.
    pub fn precedence(self) -> usize {
        Self::ALL
            .iter()
            .position(|s| *s == self)
            .unwrap_or(Self::ALL.len())
    }

    /// The status that wins among `statuses` by precedence (`None` when there is none).
    pub fn worst_of(statuses: impl IntoIterator<Item = Self>) -> Option<Self> {
        statuses.into_iter().min_by_key(|s| s.precedence())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for s in ContractStatus::ALL {
            assert_eq!(s.as_str().parse::<ContractStatus>(), Ok(s));
            assert_eq!(s.to_string(), s.as_str());
            assert_eq!(
                serde_json::to_value(s).ok(),
                Some(serde_json::Value::String(s.as_str().to_string()))
            );
        }
        let err = "Broken".parse::<ContractStatus>().unwrap_err();
        assert!(err.to_string().contains("Invalid, NonCompliant"), "{err}");
    }

    #[test]
    fn crd_schema_lists_every_status() {
        use kube::CustomResourceExt;
        let crd = serde_json::to_value(crate::Pacto::crd()).unwrap_or_default();
        let values = &crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["status"]
            ["properties"]["contractStatus"]["enum"];
        let names: Vec<&str> = ContractStatus::ALL.map(ContractStatus::as_str).to_vec();
        assert_eq!(values, &serde_json::json!(names), "{values}");
    }

    #[test]
    fn precedence_follows_the_design() {
        use ContractStatus::*;
        let order = [Invalid, NonCompliant, Unknown, Warning, Compliant];
        for pair in order.windows(2) {
            assert!(pair[0].precedence() < pair[1].precedence(), "{pair:?}");
        }
        assert_eq!(
            ContractStatus::worst_of([Compliant, Unknown, Warning]),
            Some(Unknown)
        );
        assert_eq!(ContractStatus::worst_of([]), None);
    }
}
