//! The HTTP client against the development server, in every engine the
//! tests run in. `cargo xtask test` starts the server and passes its URL in
//! `ASYNCIO_TEST_SERVER` when building these tests.
//!
//! Browsers open at most 6 HTTP/1.1 connections per host, so twelve
//! concurrent requests to the server complete in two waves. Which requests
//! overlapped is read from the server's own start and finish times, so it
//! does not depend on how busy the machine is; elapsed times are checked
//! only against what the requests must take at least (never less than
//! their delays, and a request limit makes them take longer).
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use asyncio::net::http::{ClientSession, HttpError};
use asyncio::{create_task, gather, sleep, EventLoop};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const SERVER: &str = match option_env!("ASYNCIO_TEST_SERVER") {
    Some(url) => url,
    None => "http://127.0.0.1:8000",
};

#[wasm_bindgen(inline_js = "export function now() { return performance.now(); }")]
extern "C" {
    fn now() -> f64;
}

#[derive(Debug, Clone, Copy, serde::Deserialize)]
struct Delay {
    requested_ms: u64,
    /// When the server began and ended the delay, in its own milliseconds.
    started_ms: u64,
    finished_ms: u64,
}

/// The most requests the server had in its delay at once.
fn most_at_once(delays: &[Delay]) -> usize {
    delays
        .iter()
        .map(|a| {
            delays
                .iter()
                .filter(|b| b.started_ms <= a.started_ms && a.started_ms < b.finished_ms)
                .count()
        })
        .max()
        .unwrap_or(0)
}

/// How much earlier than the true time a `performance.now()` reading may
/// be: Firefox rounds it to the millisecond.
const CLOCK_RESOLUTION_MS: f64 = 1.0;

#[derive(Debug, serde::Deserialize)]
struct Stats {
    delay_abandoned: u64,
    delay_in_flight: u64,
}

async fn stats(session: &ClientSession) -> Stats {
    session
        .get("/api/stats")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn session() -> ClientSession {
    ClientSession::builder().base_url(SERVER).build().unwrap()
}

async fn delay(session: ClientSession, ms: u32) -> Result<Delay, HttpError> {
    let response = session
        .get("/api/delay")
        .query("ms", &ms.to_string())
        .send()
        .await?
        .error_for_status()?;
    response.json::<Delay>().await
}

/// Runs `n` 500 ms requests at once; returns the server's delays and the
/// wall time.
async fn concurrent_delays(n: usize) -> (Vec<Delay>, f64) {
    let lp = EventLoop::new();
    let start = now();
    let results = lp
        .run_until_complete(gather((0..n).map(|_| delay(session(), 500))))
        .await
        .unwrap()
        .unwrap();
    let elapsed = now() - start;
    let delays: Vec<Delay> = results
        .into_iter()
        .map(|r| r.expect("every request answers"))
        .collect();
    assert!(delays.iter().all(|d| d.requested_ms == 500), "{delays:?}");
    (delays, elapsed)
}

#[wasm_bindgen_test]
async fn five_concurrent_requests_are_all_in_flight_at_once() {
    let (delays, elapsed) = concurrent_delays(5).await;
    assert_eq!(most_at_once(&delays), 5, "{delays:?}");
    // One after another they would take 2.5 s.
    assert!(
        (500.0 - CLOCK_RESOLUTION_MS..2000.0).contains(&elapsed),
        "took {elapsed:.0} ms"
    );
}

#[wasm_bindgen_test]
async fn five_sequential_requests_run_one_at_a_time() {
    let lp = EventLoop::new();
    let start = now();
    let delays = lp
        .run_until_complete(async {
            let mut delays = Vec::new();
            for _ in 0..5 {
                delays.push(delay(session(), 500).await.unwrap());
            }
            delays
        })
        .await
        .unwrap();
    let elapsed = now() - start;
    assert_eq!(most_at_once(&delays), 1, "{delays:?}");
    assert!(
        delays
            .windows(2)
            .all(|w| w[0].finished_ms <= w[1].started_ms),
        "each began after the one before ended: {delays:?}"
    );
    assert!(
        elapsed >= 2500.0 - CLOCK_RESOLUTION_MS,
        "took {elapsed:.0} ms"
    );
}

#[wasm_bindgen_test]
async fn twelve_concurrent_requests_take_two_waves() {
    // Six connections per host: six requests, then the other six.
    let (delays, elapsed) = concurrent_delays(12).await;
    assert_eq!(most_at_once(&delays), 6, "{delays:?}");
    assert!(
        elapsed >= 1000.0 - CLOCK_RESOLUTION_MS,
        "took {elapsed:.0} ms"
    );
}

#[wasm_bindgen_test]
async fn a_cancelled_request_is_abandoned_on_the_server() {
    let lp = EventLoop::new();
    lp.run_until_complete(async {
        let s = session();
        // The reset is closed to other origins, this test page's included:
        // count from the figures once earlier tests' requests are over.
        let mut before = stats(&s).await;
        for _ in 0..60 {
            if before.delay_in_flight == 0 {
                break;
            }
            sleep(Duration::from_millis(50)).await;
            before = stats(&s).await;
        }
        assert_eq!(before.delay_in_flight, 0, "earlier requests are over");
        let request = create_task(delay(session(), 5000));
        sleep(Duration::from_millis(100)).await;
        assert!(request.cancel());
        assert!(request.await.is_err(), "the task reports cancelled");
        // The abort reaches the server as a closed connection.
        let mut abandoned = 0;
        for _ in 0..60 {
            abandoned = stats(&s)
                .await
                .delay_abandoned
                .saturating_sub(before.delay_abandoned);
            if abandoned >= 1 {
                break;
            }
            sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(abandoned, 1, "the server saw the request abandoned");
    })
    .await
    .unwrap();
}

#[wasm_bindgen_test]
async fn a_timeout_aborts_the_request_with_a_typed_error() {
    let lp = EventLoop::new();
    let start = now();
    let outcome = lp
        .run_until_complete(async {
            let s = ClientSession::builder()
                .base_url(SERVER)
                .timeout(Duration::from_millis(200))
                .build()
                .unwrap();
            s.get("/api/delay?ms=3000").send().await
        })
        .await
        .unwrap();
    let elapsed = now() - start;
    assert!(
        matches!(outcome, Err(HttpError::Timeout { .. })),
        "{outcome:?}"
    );
    // At the timeout, well before the server's 3 s answer.
    assert!(
        (200.0 - CLOCK_RESOLUTION_MS..2500.0).contains(&elapsed),
        "took {elapsed:.0} ms"
    );
}

#[wasm_bindgen_test]
async fn an_error_status_gives_a_typed_error() {
    let lp = EventLoop::new();
    let (status, body) = lp
        .run_until_complete(async {
            let response = session().get("/api/delay?ms=-1").send().await.unwrap();
            let status = response.status();
            let body = response.text().await.unwrap();
            let again = session().get("/api/delay?ms=99999").send().await.unwrap();
            let err = again.error_for_status().unwrap_err();
            assert!(
                matches!(err, HttpError::Status { status: 400, .. }),
                "{err:?}"
            );
            (status, body)
        })
        .await
        .unwrap();
    assert_eq!(status, 400);
    assert!(body.contains("30000"), "the server says the range: {body}");
}

#[wasm_bindgen_test]
async fn an_unreachable_server_gives_a_network_error_that_mentions_cors() {
    let lp = EventLoop::new();
    let outcome = lp
        .run_until_complete(async { ClientSession::new().get("http://127.0.0.1:9/").send().await })
        .await
        .unwrap();
    let err = outcome.unwrap_err();
    assert!(matches!(err, HttpError::Network { .. }), "{err:?}");
    assert!(err.to_string().contains("CORS"), "{err}");
}

#[wasm_bindgen_test]
async fn invalid_urls_and_headers_are_refused_before_sending() {
    let lp = EventLoop::new();
    lp.run_until_complete(async {
        let s = ClientSession::new();
        let err = s.get("http://[oops").send().await.unwrap_err();
        assert!(matches!(err, HttpError::InvalidUrl { .. }), "{err:?}");
        let err = s.get("ftp://127.0.0.1/file").send().await.unwrap_err();
        assert!(err.to_string().contains("only http: and https:"), "{err}");
        let err = session()
            .get("/api/stats")
            .header("bad header", "x")
            .send()
            .await
            .unwrap_err();
        assert!(matches!(err, HttpError::InvalidRequest { .. }), "{err:?}");
        assert!(ClientSession::builder()
            .base_url("ftp://example.com/")
            .build()
            .is_err());
        assert!(ClientSession::builder().limit(0).build().is_err());
    })
    .await
    .unwrap();
}

#[wasm_bindgen_test]
async fn pages_decode_as_json_and_bytes() {
    #[derive(Debug, serde::Deserialize)]
    struct Page {
        page: u32,
        title: String,
    }
    let lp = EventLoop::new();
    lp.run_until_complete(async {
        let page: Page = session()
            .get("/api/page/7")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!((page.page, page.title.as_str()), (7, "Page 7"));
        let bytes = session()
            .get("/api/page/7")
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert!(bytes.starts_with(b"{"));
        let err = session()
            .get("/api/page/7")
            .send()
            .await
            .unwrap()
            .json::<Stats>()
            .await;
        assert!(matches!(err, Err(HttpError::Body { .. })), "{err:?}");
    })
    .await
    .unwrap();
}

#[wasm_bindgen_test]
async fn the_session_limit_queues_requests() {
    let lp = EventLoop::new();
    let start = now();
    let delays = lp
        .run_until_complete(async {
            let limited = ClientSession::builder()
                .base_url(SERVER)
                .limit(2)
                .build()
                .unwrap();
            let results = gather((0..4).map(|_| delay(limited.clone(), 300)))
                .await
                .unwrap();
            results
                .into_iter()
                .map(|r| r.expect("every request answers"))
                .collect::<Vec<_>>()
        })
        .await
        .unwrap();
    let elapsed = now() - start;
    // Two at a time: two waves of 300 ms.
    assert_eq!(most_at_once(&delays), 2, "{delays:?}");
    assert!(
        elapsed >= 600.0 - CLOCK_RESOLUTION_MS,
        "took {elapsed:.0} ms"
    );
}
