//! `/api/stats` and its reset, unknown API addresses, and CORS.

mod common;

use axum::http::{Method, StatusCode};
use common::{call, call_router, get};
use server::{app, Config};

const COUNTERS: [&str; 8] = [
    "delay_started",
    "delay_completed",
    "delay_abandoned",
    "delay_in_flight",
    "page_requests",
    "ws_connections",
    "ws_messages",
    "ws_oversize_closed",
];

#[tokio::test]
async fn a_fresh_server_has_every_counter_at_zero() {
    let stats = get("/api/stats").await;
    assert_eq!(stats.status, StatusCode::OK);
    for name in COUNTERS {
        assert_eq!(stats.int(name), 0, "{name}");
    }
    assert_eq!(
        stats.json.as_object().map(|fields| fields.len()),
        Some(COUNTERS.len())
    );
}

/// Counts one delay and two page requests through `router`.
async fn make_some_requests(router: &axum::Router) {
    for uri in ["/api/delay?ms=5", "/api/page/1", "/api/page/2"] {
        let answer = call_router(router.clone(), Method::GET, uri, &[]).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}");
    }
}

/// Asserts that the counters of `router` show one delay and two pages.
async fn assert_counted(router: &axum::Router) {
    let stats = call_router(router.clone(), Method::GET, "/api/stats", &[]).await;
    assert_eq!(stats.int("delay_started"), 1, "{}", stats.json);
    assert_eq!(stats.int("delay_completed"), 1, "{}", stats.json);
    assert_eq!(stats.int("page_requests"), 2, "{}", stats.json);
}

#[tokio::test(start_paused = true)]
async fn post_resets_the_counters() {
    let router = app(&Config::default());
    for round in 0..2 {
        make_some_requests(&router).await;
        assert_counted(&router).await;
        let reset = call_router(router.clone(), Method::POST, "/api/stats/reset", &[]).await;
        assert_eq!(reset.status, StatusCode::OK, "round {round}");
        let stats = call_router(router.clone(), Method::GET, "/api/stats", &[]).await;
        for name in COUNTERS {
            assert_eq!(reset.int(name), 0, "{name}");
            assert_eq!(stats.int(name), 0, "{name}");
        }
    }
    // Ids go on counting across resets.
    let answer = call_router(router, Method::GET, "/api/delay?ms=0", &[]).await;
    assert_eq!(answer.int("id"), 3);
}

#[tokio::test(start_paused = true)]
async fn get_does_not_reset_the_counters() {
    let router = app(&Config::default());
    make_some_requests(&router).await;
    // What an <img src> or a link to the address would send.
    let answer = call_router(router.clone(), Method::GET, "/api/stats/reset", &[]).await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(answer.header("allow"), "POST");
    assert_counted(&router).await;
}

#[tokio::test(start_paused = true)]
async fn reset_is_not_open_to_other_origins() {
    let router = app(&Config::default());
    make_some_requests(&router).await;
    let preflight = call_router(
        router.clone(),
        Method::OPTIONS,
        "/api/stats/reset",
        &[
            ("origin", "http://elsewhere.test"),
            ("access-control-request-method", "POST"),
        ],
    )
    .await;
    assert!(!preflight.status.is_success(), "{}", preflight.status);
    assert_eq!(preflight.header("access-control-allow-origin"), "");

    // A POST that needs no preflight (a form, or fetch in no-cors mode)
    // still reaches the server: it is refused there.
    for headers in [
        [("host", "127.0.0.1:8000"), ("sec-fetch-site", "cross-site")],
        [("host", "127.0.0.1:8000"), ("sec-fetch-site", "same-site")],
        [
            ("host", "127.0.0.1:8000"),
            ("origin", "http://elsewhere.test"),
        ],
        [
            ("host", "127.0.0.1:8000"),
            ("origin", "http://127.0.0.1:9000"),
        ],
        [("host", "127.0.0.1:8000"), ("origin", "null")],
    ] {
        let answer = call_router(router.clone(), Method::POST, "/api/stats/reset", &headers).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{headers:?}");
        assert!(answer.error().contains("own origin"), "{}", answer.error());
        assert_eq!(
            answer.header("access-control-allow-origin"),
            "",
            "{headers:?}"
        );
    }
    assert_counted(&router).await;
}

#[tokio::test(start_paused = true)]
async fn reset_is_open_to_the_servers_own_pages_and_to_tools() {
    let router = app(&Config::default());
    for headers in [
        // The playground's own page, in a browser that sends Fetch
        // Metadata, and in one that sends only Origin.
        vec![
            ("host", "127.0.0.1:8000"),
            ("origin", "http://127.0.0.1:8000"),
            ("sec-fetch-site", "same-origin"),
        ],
        vec![
            ("host", "localhost:8000"),
            ("origin", "http://localhost:8000"),
        ],
        // curl, Node's fetch, a test harness: no Origin at all.
        vec![("host", "127.0.0.1:8000")],
    ] {
        make_some_requests(&router).await;
        assert_counted(&router).await;
        let answer = call_router(router.clone(), Method::POST, "/api/stats/reset", &headers).await;
        assert_eq!(answer.status, StatusCode::OK, "{headers:?}");
        assert_eq!(answer.int("page_requests"), 0);
    }
}

#[tokio::test]
async fn unknown_api_addresses_are_json_404() {
    for uri in ["/api/nothing", "/api/stats/extra", "/ws/nothing"] {
        let answer = get(uri).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(answer.error(), "no such endpoint", "{uri}");
    }
}

#[tokio::test]
async fn preflight_requests_are_allowed_from_any_origin() {
    for uri in ["/api/delay?ms=10", "/api/stats", "/ws/echo"] {
        let answer = call(
            Method::OPTIONS,
            uri,
            &[
                ("origin", "http://127.0.0.1:9999"),
                ("access-control-request-method", "POST"),
                (
                    "access-control-request-headers",
                    "x-requested-with, content-type",
                ),
            ],
        )
        .await;
        assert!(answer.status.is_success(), "{uri}: {}", answer.status);
        assert_eq!(answer.header("access-control-allow-origin"), "*", "{uri}");
        let methods = answer.header("access-control-allow-methods");
        for method in ["GET", "POST", "OPTIONS"] {
            assert!(methods.contains(method), "{uri}: {methods}");
        }
        assert_eq!(answer.header("access-control-allow-headers"), "*", "{uri}");
    }
}

#[tokio::test]
async fn api_answers_carry_the_cors_header() {
    let origin = [("origin", "http://example.test")];
    let answer = call(Method::GET, "/api/page/1", &origin).await;
    assert_eq!(answer.header("access-control-allow-origin"), "*");
    let answer = call(Method::GET, "/api/delay?ms=nope", &origin).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.header("access-control-allow-origin"), "*");
}
