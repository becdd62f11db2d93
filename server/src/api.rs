//! The endpoints the network examples call, under `/api/` and `/ws/`,
//! open to pages from any origin.
//!
//! CORS allows any origin, `GET`, `POST` and `OPTIONS`, and any request
//! header, so a tutorial site embedding the playground, or a test page
//! served from another port, can call the server. Nothing here uses
//! cookies or credentials. An unknown address under `/api/` or `/ws/`
//! is a JSON 404.

use axum::http::Method;
use axum::routing::get;
use axum::Router;
use tower_http::cors::{Any, CorsLayer};

use crate::api_error::ApiError;
use crate::state::AppState;
use crate::{delay, echo, page, stats};

/// The API router, with fresh counters and its clock starting now.
pub(crate) fn router() -> Router {
    Router::new()
        .route("/api/delay", get(delay::delay))
        .route("/api/page/{n}", get(page::page))
        .route("/api/stats", get(stats::read))
        .route("/api/stats/reset", get(stats::reset).post(stats::reset))
        .route("/ws/echo", get(echo::upgrade))
        .route("/api/{*rest}", get(not_found).post(not_found))
        .route("/ws/{*rest}", get(not_found))
        .layer(cors())
        .with_state(AppState::new())
}

/// CORS for every API route: any origin, the methods used, any header.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers(Any)
}

/// Any other address under `/api/` or `/ws/`.
async fn not_found() -> ApiError {
    ApiError::not_found("no such endpoint")
}
