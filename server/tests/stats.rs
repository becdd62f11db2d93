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

#[tokio::test(start_paused = true)]
async fn reset_zeroes_the_counters_by_get_and_by_post() {
    let router = app(&Config::default());
    for method in [Method::GET, Method::POST] {
        for uri in ["/api/delay?ms=5", "/api/page/1", "/api/page/2"] {
            let answer = call_router(router.clone(), Method::GET, uri, &[]).await;
            assert_eq!(answer.status, StatusCode::OK, "{uri}");
        }
        let stats = call_router(router.clone(), Method::GET, "/api/stats", &[]).await;
        assert_eq!(stats.int("delay_started"), 1);
        assert_eq!(stats.int("delay_completed"), 1);
        assert_eq!(stats.int("page_requests"), 2);

        let reset = call_router(router.clone(), method.clone(), "/api/stats/reset", &[]).await;
        assert_eq!(reset.status, StatusCode::OK, "{method}");
        let stats = call_router(router.clone(), Method::GET, "/api/stats", &[]).await;
        for name in COUNTERS {
            assert_eq!(reset.int(name), 0, "{method} {name}");
            assert_eq!(stats.int(name), 0, "{method} {name}");
        }
    }
    // Ids go on counting across resets.
    let answer = call_router(router, Method::GET, "/api/delay?ms=0", &[]).await;
    assert_eq!(answer.int("id"), 3);
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
    for uri in ["/api/delay?ms=10", "/api/stats/reset", "/ws/echo"] {
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
