//! The status vocabulary every crate speaks: headline statuses and their precedence,
//! condition types, and the reasons written into conditions and events. Operator, CLI and
//! dashboard read these names from here, so a new status or condition is added once.

mod conditions;
mod contract_status;
pub mod findings;
pub mod reasons;

pub use conditions::{
    CheckCondition, READINESS_SATISFIED, READY, RECONCILING, STALLED, SUMMARY_CONDITIONS,
};
pub use contract_status::ContractStatus;

/// A name that is not one of a vocabulary enum's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a {kind} (expected one of: {expected})")]
pub struct UnknownName {
    /// Which vocabulary was asked (`contract status`, `check condition`).
    pub kind: &'static str,
    /// The rejected text.
    pub value: String,
    /// The accepted names, comma-separated.
    pub expected: String,
}

/// Declares a fieldless enum whose variants are spelled exactly like their identifiers, with
/// `ALL` (declaration order), `as_str`, `Display` and `FromStr` generated from the one list,
/// so the list of values cannot drift from the enum.
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident as $kind:literal {
            $( $(#[$vmeta:meta])* $variant:ident, )+
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [Self; [$(stringify!($variant)),+].len()] = [$(Self::$variant),+];

            /// The name as written into status, labels and events.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Self::$variant => stringify!($variant), )+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::vocabulary::UnknownName;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .into_iter()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| $crate::vocabulary::UnknownName {
                        kind: $kind,
                        value: s.to_string(),
                        expected: Self::ALL.map(Self::as_str).join(", "),
                    })
            }
        }
    };
}
pub(crate) use named_enum;
