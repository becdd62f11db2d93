//! The security headers: on every kind of answer, and the page's
//! Content-Security-Policy, with the iframe page left frameable.

mod common;

use axum::http::{Method, StatusCode};
use common::{call, get};

/// The full page's policy.
const PAGE_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/// The iframe page's policy: the same, but any site may frame it.
const FRAME_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     object-src 'none'; base-uri 'none'; form-action 'none'";

#[tokio::test]
async fn every_kind_of_answer_says_nosniff_and_its_referrer_policy() {
    for (method, uri, status) in [
        (Method::GET, "/", StatusCode::OK),
        (Method::GET, "/embed.html", StatusCode::OK),
        (Method::GET, "/app.js", StatusCode::OK),
        (Method::GET, "/style.css", StatusCode::OK),
        (Method::GET, "/no-such-file.js", StatusCode::NOT_FOUND),
        (Method::GET, "/api/page/1", StatusCode::OK),
        (Method::GET, "/api/stats", StatusCode::OK),
        (Method::GET, "/api/delay?ms=-1", StatusCode::BAD_REQUEST),
        (Method::GET, "/api/nothing", StatusCode::NOT_FOUND),
        (
            Method::POST,
            "/api/delay?ms=0",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            Method::GET,
            "/api/stats/reset",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (Method::POST, "/api/stats/reset", StatusCode::OK),
        (Method::GET, "/ws/echo", StatusCode::BAD_REQUEST),
    ] {
        let answer = call(method.clone(), uri, &[]).await;
        assert_eq!(answer.status, status, "{method} {uri}");
        assert_eq!(
            answer.header("x-content-type-options"),
            "nosniff",
            "{method} {uri}"
        );
        assert_eq!(
            answer.header("referrer-policy"),
            "strict-origin-when-cross-origin",
            "{method} {uri}"
        );
    }
}

#[tokio::test]
async fn the_page_may_be_framed_only_by_its_own_origin() {
    for uri in ["/", "/index.html"] {
        let answer = get(uri).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}");
        assert_eq!(
            answer.header("content-security-policy"),
            PAGE_POLICY,
            "{uri}"
        );
    }
}

#[tokio::test]
async fn the_iframe_page_may_be_framed_by_any_site() {
    let answer = get("/embed.html").await;
    assert_eq!(answer.status, StatusCode::OK);
    let policy = answer.header("content-security-policy");
    assert_eq!(policy, FRAME_POLICY);
    assert!(!policy.contains("frame-ancestors"), "{policy}");
    assert_eq!(answer.header("x-frame-options"), "");
}

#[tokio::test]
async fn only_html_carries_a_policy() {
    for uri in ["/app.js", "/style.css", "/api/page/1", "/no-such-file.js"] {
        let answer = get(uri).await;
        assert_eq!(answer.header("content-security-policy"), "", "{uri}");
    }
}
