//! Why a request failed, answered as a JSON [`ApiError`] body with its HTTP status.

use super::dto::ApiError;
use crate::queries::QueryError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// No such service, version or route.
    #[error("{0}")]
    NotFound(String),
    /// A query parameter outside its choices.
    #[error("{0}")]
    BadRequest(String),
    #[error("a bearer token is required")]
    Unauthorized,
    #[error("state-changing requests must be same-origin")]
    CrossOrigin,
    /// A bundle could not be read from its source.
    #[error("{0}")]
    Unavailable(String),
    /// A contract fails validation, so it cannot be compared.
    #[error("{0}")]
    InvalidContract(String),
}

impl RequestError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::CrossOrigin => StatusCode::FORBIDDEN,
            Self::Unavailable(_) => StatusCode::BAD_GATEWAY,
            Self::InvalidContract(_) => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    /// The stable `code` of the body.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound(_) => "not_found",
            Self::BadRequest(_) => "bad_request",
            Self::Unauthorized => "unauthorized",
            Self::CrossOrigin => "cross_origin",
            Self::Unavailable(_) => "unavailable",
            Self::InvalidContract(_) => "invalid_contract",
        }
    }
}

impl From<QueryError> for RequestError {
    fn from(e: QueryError) -> Self {
        match e {
            QueryError::NoService(_) | QueryError::NoVersion { .. } | QueryError::NoContract(_) => {
                Self::NotFound(e.to_string())
            }
            QueryError::Unavailable(why) => Self::Unavailable(why),
            QueryError::NotDiffable => Self::InvalidContract(e.to_string()),
        }
    }
}

impl IntoResponse for RequestError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = ApiError {
            status: status.as_u16(),
            code: self.code().to_string(),
            message: self.to_string(),
        };
        (status, Json(body)).into_response()
    }
}
