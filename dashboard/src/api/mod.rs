//! The JSON API: handlers, their error answers, the records only the API returns and the
//! OpenAPI document.

pub mod dto;
pub mod error;
pub mod handlers;
pub mod openapi;
