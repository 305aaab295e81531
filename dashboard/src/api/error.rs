//! Why a request failed, answered as a JSON [`ApiError`] body with its HTTP status.

use super::dto::ApiError;
use crate::queries::QueryError;
use crate::queries::graph::GraphParamsError;
use crate::queries::impact::ImpactParamsError;
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
    /// A `Host` this dashboard does not answer to (DNS-rebinding defence).
    #[error(
        "host {0:?} is not served here: open the dashboard by IP, localhost, or a name given with --allowed-host"
    )]
    MisdirectedHost(String),
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
            Self::MisdirectedHost(_) => StatusCode::MISDIRECTED_REQUEST,
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
            Self::MisdirectedHost(_) => "misdirected_host",
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

impl From<GraphParamsError> for RequestError {
    fn from(e: GraphParamsError) -> Self {
        Self::BadRequest(e.to_string())
    }
}

impl From<ImpactParamsError> for RequestError {
    fn from(e: ImpactParamsError) -> Self {
        Self::BadRequest(e.to_string())
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    async fn answer(e: RequestError) -> (u16, Value) {
        let r = e.into_response();
        let status = r.status().as_u16();
        let bytes = axum::body::to_bytes(r.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn each_error_answers_its_status_code_and_message() {
        let cases = [
            (
                RequestError::NotFound("no such route".into()),
                404,
                "not_found",
                "no such route",
            ),
            (
                RequestError::BadRequest("depth must be between 1 and 10".into()),
                400,
                "bad_request",
                "depth must be between 1 and 10",
            ),
            (
                RequestError::Unauthorized,
                401,
                "unauthorized",
                "a bearer token is required",
            ),
            (
                RequestError::CrossOrigin,
                403,
                "cross_origin",
                "state-changing requests must be same-origin",
            ),
            (
                RequestError::Unavailable("registry refused".into()),
                502,
                "unavailable",
                "registry refused",
            ),
            (
                RequestError::from(QueryError::NotDiffable),
                422,
                "invalid_contract",
                "one side fails validation, so it cannot be diffed",
            ),
        ];
        for (e, status, code, message) in cases {
            assert_eq!(
                answer(e).await,
                (
                    status,
                    json!({"status": status, "code": code, "message": message})
                )
            );
        }
    }

    #[tokio::test]
    async fn query_errors_keep_their_messages() {
        let cases = [
            (
                QueryError::NoService("x".into()),
                404,
                "no service named \"x\"",
            ),
            (
                QueryError::NoVersion {
                    name: "a".into(),
                    version: "9.0.0".into(),
                },
                404,
                "a has no version \"9.0.0\"",
            ),
            (QueryError::NoContract("a".into()), 404, "a has no contract"),
            (
                QueryError::Unavailable("bundle read was cancelled".into()),
                502,
                "bundle read was cancelled",
            ),
        ];
        for (e, status, message) in cases {
            let (s, body) = answer(e.into()).await;
            assert_eq!((s, body["message"].as_str()), (status, Some(message)));
        }
    }
}
