//! Refusing requests that a browser sent on behalf of another origin's
//! page, for the endpoint that changes the server's state.
//!
//! Leaving CORS off an endpoint keeps other origins from reading its
//! answer, but not from sending it a request: a form, or `fetch` in
//! `no-cors` mode, can still POST to it. So the request is judged by what
//! the browser says about where it comes from:
//!
//! - `Sec-Fetch-Site`, sent by current browsers, must be `same-origin`
//!   (the server's own page) or `none` (the user, from the address bar);
//! - without it, an `Origin` header must name the origin the request was
//!   sent to (its `Host`); `Origin: null` is refused;
//! - a request with neither comes from outside a browser page (curl,
//!   Node's `fetch`, a test harness) and is accepted.
//!
//! A refused request is answered `403 Forbidden` with a JSON error.

use axum::extract::Request;
use axum::http::header::{HOST, ORIGIN};
use axum::http::{HeaderMap, HeaderName, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::api_error::ApiError;

/// `Sec-Fetch-Site`, which `http` has no constant for.
const SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");

/// Middleware: passes the request on unless another origin's page sent it.
pub(crate) async fn only(request: Request, next: Next) -> Response {
    if is_from_another_origin(request.headers()) {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "this endpoint accepts requests only from pages of the server's own origin",
        )
        .into_response();
    }
    next.run(request).await
}

/// True if the headers show a page of another origin sent the request.
fn is_from_another_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get(SEC_FETCH_SITE) {
        return !matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    let Some(origin) = headers.get(ORIGIN) else {
        return false;
    };
    let host = headers.get(HOST).map(|host| host.as_bytes());
    // `scheme://host[:port]`, as browsers send it; anything else, `null`
    // included, names no origin of this server.
    let authority = origin
        .as_bytes()
        .strip_prefix(b"http://")
        .or_else(|| origin.as_bytes().strip_prefix(b"https://"));
    match (authority, host) {
        (Some(authority), Some(host)) => !authority.eq_ignore_ascii_case(host),
        _ => true,
    }
}
