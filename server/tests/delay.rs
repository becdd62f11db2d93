//! `GET /api/delay`: validation, timing on the paused clock, ids, and
//! requests abandoned by their client.

mod common;

use std::time::Duration;

use axum::http::{Method, StatusCode};
use common::{call_router, get, http_get, start_server, wait_for_stats};
use server::{app, Config};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

const MS_ERROR: &str = "ms must be an integer from 0 to 30000";

#[tokio::test(start_paused = true)]
async fn zero_ms_answers_at_once() {
    let answer = get("/api/delay?ms=0").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer
        .header("content-type")
        .starts_with("application/json"));
    assert_eq!(answer.int("requested_ms"), 0);
    assert_eq!(answer.int("started_ms"), answer.int("finished_ms"));
    assert_eq!(answer.int("id"), 1);
}

#[tokio::test(start_paused = true)]
async fn the_longest_delay_waits_exactly_30_seconds() {
    let router = app(&Config::default());
    tokio::time::advance(Duration::from_millis(1_500)).await;
    let answer = call_router(router, Method::GET, "/api/delay?ms=30000", &[]).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.int("requested_ms"), 30_000);
    assert_eq!(answer.int("started_ms"), 1_500);
    assert_eq!(answer.int("finished_ms"), 31_500);
}

#[tokio::test(start_paused = true)]
async fn leading_zeros_are_accepted() {
    let answer = get("/api/delay?ms=0250").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.int("requested_ms"), 250);
}

#[tokio::test]
async fn bad_values_are_400_with_the_range() {
    for query in [
        "",
        "?",
        "?ms",
        "?ms=",
        "?ms=-1",
        "?ms=30001",
        "?ms=abc",
        "?ms=1.5",
        "?ms=+5",
        "?ms=%205",
        "?ms=1e3",
        "?ms=99999999999999999999999",
        "?MS=5",
    ] {
        let answer = get(&format!("/api/delay{query}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}");
        let expected = if query == "?MS=5" {
            "unknown parameter `MS`: expected ms"
        } else {
            MS_ERROR
        };
        assert_eq!(answer.error(), expected, "{query}");
    }
}

#[tokio::test]
async fn unknown_and_repeated_parameters_are_400() {
    let answer = get("/api/delay?ms=5&delay=3000").await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.error(), "unknown parameter `delay`: expected ms");

    let answer = get("/api/delay?ms=5&ms=6").await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.error(), "ms must be given once");
}

#[tokio::test]
async fn a_long_query_is_414() {
    let query = format!("ms=1&{}", "x".repeat(300));
    let answer = get(&format!("/api/delay?{query}")).await;
    assert_eq!(answer.status, StatusCode::URI_TOO_LONG);
    assert!(answer.error().contains("256 bytes"), "{}", answer.error());
}

#[tokio::test]
async fn only_get_is_allowed() {
    let answer = common::call(Method::POST, "/api/delay?ms=0", &[]).await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn ids_count_requests_and_stats_count_completions() {
    let addr = start_server().await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let answer = http_get(addr, "/api/delay?ms=1").await.expect("delay");
        assert_eq!(answer.status, StatusCode::OK);
        assert!(answer.int("finished_ms") > answer.int("started_ms"));
        ids.push(answer.int("id"));
    }
    assert_eq!(ids, [1, 2, 3]);
    let bad = http_get(addr, "/api/delay?ms=-1").await.expect("delay");
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    let stats = http_get(addr, "/api/stats").await.expect("stats");
    assert_eq!(stats.int("delay_started"), 3);
    assert_eq!(stats.int("delay_completed"), 3);
    assert_eq!(stats.int("delay_abandoned"), 0);
    assert_eq!(stats.int("delay_in_flight"), 0);
}

#[tokio::test]
async fn a_client_that_leaves_early_is_counted_as_abandoned() {
    let addr = start_server().await;
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let request = format!("GET /api/delay?ms=2000 HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("send the request");

    let in_flight = wait_for_stats(addr, |stats| stats.int("delay_in_flight") == 1).await;
    assert_eq!(in_flight.int("delay_started"), 1);
    tokio::time::sleep(Duration::from_millis(100)).await;
    drop(stream);

    let stats = wait_for_stats(addr, |stats| stats.int("delay_abandoned") == 1).await;
    assert_eq!(stats.int("delay_abandoned"), 1, "{}", stats.json);
    assert_eq!(stats.int("delay_completed"), 0);
    assert_eq!(stats.int("delay_in_flight"), 0);
}
