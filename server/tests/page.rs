//! `GET /api/page/{n}`: bounds, determinism, sizes and the optional delay.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use axum::http::{Method, StatusCode};
use common::{call_router, get};
use server::{app, Config};
use tokio::time::Instant;

const PAGE_ERROR: &str = "page must be an integer from 0 to 999";

#[tokio::test]
async fn first_and_last_pages_exist() {
    for n in [0, 1, 500, 999] {
        let answer = get(&format!("/api/page/{n}")).await;
        assert_eq!(answer.status, StatusCode::OK, "{n}");
        assert_eq!(answer.int("page"), n);
        assert_eq!(answer.json["title"], format!("Page {n}"));
        let items = answer.json["items"].as_array().expect("items");
        assert!((3..=7).contains(&items.len()), "{n}: {}", items.len());
        for item in items {
            assert!(item["name"].is_string() && item["text"].is_string());
        }
    }
}

#[tokio::test]
async fn pages_are_the_same_every_time_and_differ_in_size() {
    let first = get("/api/page/42").await.json;
    let again = get("/api/page/42").await.json;
    assert_eq!(first, again);

    let mut sizes = BTreeSet::new();
    for n in 0..8 {
        sizes.insert(get(&format!("/api/page/{n}")).await.json.to_string().len());
    }
    assert!(sizes.len() >= 5, "sizes {sizes:?}");
}

#[tokio::test]
async fn numbers_out_of_range_or_malformed_are_404() {
    for n in [
        "1000",
        "-1",
        "abc",
        "07",
        "+7",
        "1.0",
        "99999999999999999999",
    ] {
        let answer = get(&format!("/api/page/{n}")).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{n}");
        assert_eq!(answer.error(), PAGE_ERROR, "{n}");
    }
    let answer = get("/api/page/1/2").await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.error(), "no such endpoint");
}

#[tokio::test(start_paused = true)]
async fn delay_ms_makes_the_page_wait() {
    let router = app(&Config::default());
    let before = Instant::now();
    let answer = call_router(router, Method::GET, "/api/page/3?delay_ms=30000", &[]).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.int("page"), 3);
    assert_eq!(before.elapsed(), Duration::from_secs(30));
}

#[tokio::test]
async fn bad_delay_ms_is_400() {
    for query in ["delay_ms=-1", "delay_ms=30001", "delay_ms=abc", "delay_ms="] {
        let answer = get(&format!("/api/page/3?{query}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(
            answer.error(),
            "delay_ms must be an integer from 0 to 30000",
            "{query}"
        );
    }
    let answer = get("/api/page/3?ms=10").await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.error(), "unknown parameter `ms`: expected delay_ms");
}
