//! Files from the served directory.
//!
//! `tower-http`'s `ServeDir` does the work: it answers `/` with
//! `index.html`, refuses any path with a `..` component (after
//! percent-decoding) with 404, and guesses the MIME type from the file
//! extension. The extensions the page depends on are pinned here so a
//! change in that guess cannot break module loading or
//! `WebAssembly.instantiateStreaming`, both of which check the type.
//!
//! Files go compressed to a browser that accepts it. The build writes a
//! brotli and a gzip copy beside each file of the package (`<file>.br`,
//! `<file>.gz`, at those formats' best), and `ServeDir` sends the one the
//! request prefers, with the original's type and `Vary: accept-encoding`.
//! Any other file (the hand-written page, its style sheet) is compressed
//! as it is sent, at the compression layer's default levels, except for a
//! range request, which gets the file's own bytes. A range of a file with
//! copies is a range of the copy the request's encoding selects (each copy
//! has its own `ETag`).
//!
//! Every file is sent with `Access-Control-Allow-Origin: *` and
//! `Cross-Origin-Resource-Policy: cross-origin`: a tutorial page on another
//! origin loads the element's module script, the package's JavaScript and
//! WebAssembly (`WebAssembly.instantiateStreaming` fetches in CORS mode),
//! and the worker script (imported from a `blob:` worker) across origins,
//! and those requests fail without the first header; the second lets pages
//! that require it (`Cross-Origin-Embedder-Policy`) embed them too. The
//! files are public, and carry no cookies or credentials.
//!
//! HTML is sent with a Content-Security-Policy that allows only the
//! page's own scripts, styles and connections, plus compiling
//! WebAssembly: the page must work with no inline script or style. It
//! also rules out plugins (`object-src 'none'`), a `<base>` that would
//! redirect the page's relative URLs (`base-uri 'none'`) and form
//! submissions (`form-action 'none'`); the page has none of those. The
//! full page may be framed only by pages of its own origin
//! (`frame-ancestors 'self'`), so another site cannot overlay it; the
//! iframe fallback, `embed.html`, exists to be framed by tutorial sites
//! and has no `frame-ancestors`, so any site may frame it.

use std::path::Path;

use axum::extract::Request;
use axum::http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Content types the browser insists on, by file extension.
const PINNED_TYPES: &[(&str, &str)] = &[
    ("wasm", "application/wasm"),
    ("js", "text/javascript"),
    ("mjs", "text/javascript"),
];

/// The directives of every HTML page's policy, as a literal for
/// `concat!`. Workers fall back to `script-src`, so they too must come
/// from the page's own origin.
macro_rules! shared_policy {
    () => {
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
         object-src 'none'; base-uri 'none'; form-action 'none'"
    };
}

/// The policy sent with the iframe fallback: any site may frame it.
const FRAME_POLICY: &str = shared_policy!();

/// The policy sent with every other HTML page.
const PAGE_POLICY: &str = concat!(shared_policy!(), "; frame-ancestors 'self'");

/// The address of the page made to be framed by other sites.
const FRAME_PAGE: &str = "/embed.html";

/// `Cross-Origin-Resource-Policy`, which `http` has no constant for.
const CROSS_ORIGIN_RESOURCE_POLICY: HeaderName =
    HeaderName::from_static("cross-origin-resource-policy");

/// A router that serves the files under `root`.
pub(crate) fn router(root: &Path) -> Router {
    let files = ServeDir::new(root)
        .append_index_html_on_directories(true)
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .fallback_service(files)
        .layer(CompressionLayer::new().br(true).gzip(true))
        .layer(middleware::from_fn(pin_content_type))
        .layer(middleware::from_fn(html_policy))
        .layer(SetResponseHeaderLayer::overriding(
            ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            CROSS_ORIGIN_RESOURCE_POLICY,
            HeaderValue::from_static("cross-origin"),
        ))
}

/// Adds the Content-Security-Policy to HTML responses.
async fn html_policy(request: Request, next: Next) -> Response {
    let policy = if request.uri().path() == FRAME_PAGE {
        FRAME_POLICY
    } else {
        PAGE_POLICY
    };
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    if is_html {
        response
            .headers_mut()
            .insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(policy));
    }
    response
}

/// Sets the pinned content type on successful responses for those
/// extensions, leaving every other response as `ServeDir` made it.
async fn pin_content_type(request: Request, next: Next) -> Response {
    let pinned = pinned_type(request.uri().path());
    let mut response = next.run(request).await;
    if let Some(content_type) = pinned {
        if response.status().is_success() {
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
    }
    response
}

/// The pinned content type for a request path, if its extension has one.
fn pinned_type(path: &str) -> Option<&'static str> {
    let (_, extension) = path.rsplit_once('.')?;
    PINNED_TYPES
        .iter()
        .find(|(known, _)| extension.eq_ignore_ascii_case(known))
        .map(|&(_, content_type)| content_type)
}
