//! The endpoints the network examples call, under `/api/` and `/ws/`,
//! open to pages from any origin, and the one that changes state, open
//! only to the server's own pages.
//!
//! CORS allows any origin, `GET`, `POST` and `OPTIONS`, and any request
//! header, so a tutorial site embedding the playground, or a test page
//! served from another port, can call the server. Nothing here uses
//! cookies or credentials. An unknown address under `/api/` or `/ws/`
//! is a JSON 404.
//!
//! `POST /api/stats/reset` has no CORS (a preflight for it fails, and its
//! answers carry no `Access-Control-Allow-Origin`), answers `GET` with
//! 405, and refuses requests another origin's page sent (see
//! [`same_origin`](crate::same_origin)): a page elsewhere cannot zero the
//! counters, not even by a form or an `<img>`.

use axum::http::Method;
use axum::middleware;
use axum::routing::{get, post};
use axum::Router;
use tower_http::cors::{Any, CorsLayer};

use crate::api_error::ApiError;
use crate::state::AppState;
use crate::{delay, echo, page, same_origin, stats};

/// The API router, with fresh counters and its clock starting now.
pub(crate) fn router() -> Router {
    let open = Router::new()
        .route("/api/delay", get(delay::delay))
        .route("/api/page/{n}", get(page::page))
        .route("/api/stats", get(stats::read))
        .route("/ws/echo", get(echo::upgrade))
        .route("/api/{*rest}", get(not_found).post(not_found))
        .route("/ws/{*rest}", get(not_found))
        .layer(cors());
    let same_origin_only = Router::new()
        .route("/api/stats/reset", post(stats::reset))
        .route_layer(middleware::from_fn(same_origin::only));
    open.merge(same_origin_only).with_state(AppState::new())
}

/// CORS for the open routes: any origin, the methods used, any header.
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
