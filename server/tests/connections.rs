//! Connections against a real server: a request head that does not
//! arrive in time is cut off, while answers that take long, and the
//! requests after them on the same connection, are not.

mod common;

use std::io::ErrorKind;
use std::net::SocketAddr;
use std::time::Duration;

use axum::http::StatusCode;
use common::{http_get, start_server};
use server::HEADER_READ_TIMEOUT;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{timeout, Instant};

/// How long a test waits for the server to close a connection: far more
/// than the head timeout, so that it holds on a busy machine.
const CLOSE_BOUND: Duration = Duration::from_secs(30);

/// True once the server has closed `stream`: a read gives end of file or
/// a reset. Bytes read instead are returned as an error.
async fn read_closed(stream: &mut TcpStream) -> Result<(), String> {
    let mut buffer = [0_u8; 1024];
    match stream.read(&mut buffer).await {
        Ok(0) => Ok(()),
        Ok(n) => Err(String::from_utf8_lossy(&buffer[..n]).into_owned()),
        Err(error) if error.kind() == ErrorKind::ConnectionReset => Ok(()),
        Err(error) => Err(error.to_string()),
    }
}

#[tokio::test]
async fn a_half_sent_request_head_is_cut_off() {
    let addr = start_server().await;
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    // No blank line: the head never ends.
    stream.write_all(b"GET /api/del").await.expect("send");
    let began = Instant::now();
    let closed = timeout(CLOSE_BOUND, read_closed(&mut stream))
        .await
        .unwrap_or_else(|_| panic!("still open after {CLOSE_BOUND:?}"));
    assert_eq!(closed, Ok(()), "the server answered a half-sent head");
    println!("a half-sent head was cut off after {:?}", began.elapsed());
}

#[tokio::test]
async fn a_head_trickled_a_line_at_a_time_is_cut_off() {
    let addr = start_server().await;
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream
        .write_all(b"GET /api/stats HTTP/1.1\r\n")
        .await
        .expect("send the request line");
    let deadline = Instant::now() + CLOSE_BOUND;
    loop {
        assert!(
            Instant::now() < deadline,
            "still open after {CLOSE_BOUND:?}"
        );
        // A header line every half second keeps bytes coming, but the
        // head as a whole is never done.
        if stream.write_all(b"X-Slow: a\r\n").await.is_err() {
            break;
        }
        if let Ok(closed) = timeout(Duration::from_millis(500), read_closed(&mut stream)).await {
            assert_eq!(closed, Ok(()), "the server answered an unfinished head");
            break;
        }
    }
}

/// Sends `GET path` on `stream`, keeping the connection open, and reads
/// the answer's status and `Content-Length` body.
async fn keep_alive_get(stream: &mut TcpStream, addr: SocketAddr, path: &str) -> (u16, String) {
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("send the request");
    let mut raw = Vec::new();
    let mut buffer = [0_u8; 4096];
    loop {
        let n = stream.read(&mut buffer).await.expect("read the answer");
        assert!(
            n > 0,
            "closed mid-answer: {}",
            String::from_utf8_lossy(&raw)
        );
        raw.extend_from_slice(&buffer[..n]);
        let Some(split) = raw.windows(4).position(|window| window == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let length: usize = head
            .lines()
            .filter_map(|line| line.split_once(':'))
            .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, value)| value.trim().parse().ok())
            .expect("a Content-Length");
        if raw.len() >= split + 4 + length {
            let status = head
                .split(' ')
                .nth(1)
                .and_then(|code| code.parse().ok())
                .expect("a status line");
            let body = String::from_utf8_lossy(&raw[split + 4..split + 4 + length]).into_owned();
            return (status, body);
        }
    }
}

#[tokio::test]
async fn answers_slower_than_the_head_timeout_still_come() {
    let addr = start_server().await;
    let slow_ms = HEADER_READ_TIMEOUT.as_millis() + 1_500;
    let path = format!("/api/delay?ms={slow_ms}");

    let one_request = async {
        let answer = http_get(addr, &path).await.expect("a slow delay");
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(u128::from(answer.int("requested_ms")), slow_ms);
    };
    // On one kept-alive connection: the slow answer, then another
    // request, whose head is timed from the end of the first answer.
    let two_requests = async {
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        let (status, body) = keep_alive_get(&mut stream, addr, &path).await;
        assert_eq!(status, 200, "{body}");
        assert!(
            body.contains(&format!("\"requested_ms\":{slow_ms}")),
            "{body}"
        );
        let (status, body) = keep_alive_get(&mut stream, addr, "/api/page/1").await;
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("\"page\":1"), "{body}");
    };
    tokio::join!(one_request, two_requests);
}
