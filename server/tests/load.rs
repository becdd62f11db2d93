//! A thousand concurrent delay requests against a real server.

mod common;

use std::time::Duration;

use axum::http::StatusCode;
use common::{http_get, start_server};
use tokio::task::JoinSet;
use tokio::time::{timeout, Instant};

const REQUESTS: u64 = 1_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_delays_all_answer() {
    let addr = start_server().await;
    let began = Instant::now();
    let mut requests = JoinSet::new();
    for _ in 0..REQUESTS {
        requests.spawn(async move { http_get(addr, "/api/delay?ms=200").await });
    }
    let answers = timeout(Duration::from_secs(20), requests.join_all())
        .await
        .expect("every request answered within 20 seconds");
    let took = began.elapsed();

    let mut ids = Vec::new();
    for answer in answers {
        let answer = answer.expect("a complete answer");
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.int("requested_ms"), 200);
        assert!(answer.int("finished_ms") >= answer.int("started_ms") + 200);
        ids.push(answer.int("id"));
    }
    ids.sort_unstable();
    assert_eq!(ids, (1..=REQUESTS).collect::<Vec<_>>());
    // Served together, not one after another (which would take 200 s).
    assert!(took < Duration::from_secs(15), "took {took:?}");

    let stats = http_get(addr, "/api/stats").await.expect("stats");
    assert_eq!(stats.int("delay_started"), REQUESTS);
    assert_eq!(stats.int("delay_completed"), REQUESTS);
    assert_eq!(stats.int("delay_abandoned"), 0);
    assert_eq!(stats.int("delay_in_flight"), 0);
    println!("{REQUESTS} concurrent delays of 200 ms took {took:?}");
}
