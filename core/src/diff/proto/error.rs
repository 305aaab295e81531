//! Errors from reading `.proto` text. Every variant past the size check carries the 1-based
//! line and column where reading stopped.

use thiserror::Error;

/// Largest `.proto` text accepted (1 MiB); larger input is refused before tokenising.
pub const MAX_INPUT_BYTES: usize = 1024 * 1024;

/// Deepest nesting of messages, groups, oneofs, enums or option aggregates accepted.
pub const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProtoError {
    #[error("file is {size} bytes; the limit for a .proto file is {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    #[error("{line}:{column}: {message}")]
    Lex {
        line: u32,
        column: u32,
        message: String,
    },
    #[error("{line}:{column}: expected {expected}, found {found}")]
    Unexpected {
        line: u32,
        column: u32,
        expected: String,
        found: String,
    },
    #[error("{line}:{column}: nesting is deeper than {limit} levels; flatten the definitions")]
    TooDeep {
        line: u32,
        column: u32,
        limit: usize,
    },
    #[error("{line}:{column}: {message}")]
    Invalid {
        line: u32,
        column: u32,
        message: String,
    },
}

impl ProtoError {
    /// Low-cardinality label for metrics and logs.
    pub fn category(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "too_large",
            Self::Lex { .. } => "lex",
            Self::Unexpected { .. } => "syntax",
            Self::TooDeep { .. } => "too_deep",
            Self::Invalid { .. } => "invalid",
        }
    }

    /// `(line, column)` where the problem was found, if it has one.
    pub fn position(&self) -> Option<(u32, u32)> {
        match self {
            Self::TooLarge { .. } => None,
            Self::Lex { line, column, .. }
            | Self::Unexpected { line, column, .. }
            | Self::TooDeep { line, column, .. }
            | Self::Invalid { line, column, .. } => Some((*line, *column)),
        }
    }
}
