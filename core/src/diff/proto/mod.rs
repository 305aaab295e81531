//! gRPC `.proto` support: a hand-written lexer and recursive-descent parser (proto2, proto3,
//! editions) and a differ that classifies service, rpc, message, field and enum changes.
//!
//! Limits: input above [`MAX_INPUT_BYTES`] (1 MiB) and nesting deeper than [`MAX_DEPTH`]
//! are rejected with a positioned error; lexing and parsing are linear in the input.
//! Not diffed: `extend` fields, options other than field `json_name`/`default`/`deprecated`,
//! and imports (types from other files are compared by name as written).

pub mod ast;
mod diff;
mod error;
mod index;
mod lexer;
mod parser;

pub use ast::ProtoFile;
pub use diff::{diff_files, diff_proto};
pub use error::{MAX_DEPTH, MAX_INPUT_BYTES, ProtoError};
pub use parser::parse_proto;

#[cfg(test)]
mod diff_tests;
#[cfg(test)]
mod parser_tests;
#[cfg(test)]
mod prop_tests;
