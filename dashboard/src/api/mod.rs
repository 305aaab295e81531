//! The JSON API and its OpenAPI document.

pub mod handlers;
pub mod openapi;
pub mod types;
