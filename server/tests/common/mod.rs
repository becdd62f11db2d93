//! Helpers shared by the endpoint tests: the router called without a
//! socket, a real server on a loopback port, and a minimal HTTP/1.1
//! client over a raw TCP stream.

#![allow(dead_code, unreachable_pub)]

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use server::{app, serve_on, Config};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt;

/// An answer: status, headers (names lower-cased) and the body parsed
/// as JSON (`Value::Null` if it is not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: Vec<(String, String)>,
    pub json: Value,
}

impl Answer {
    /// The first header called `name` (lower case), or "".
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map_or("", |(_, value)| value.as_str())
    }

    /// The JSON field `name` as an integer.
    pub fn int(&self, name: &str) -> u64 {
        self.json[name]
            .as_u64()
            .unwrap_or_else(|| panic!("`{name}` is not an integer in {}", self.json))
    }

    /// The JSON field `error`.
    pub fn error(&self) -> &str {
        self.json["error"].as_str().unwrap_or("")
    }
}

/// Sends one request through a fresh router, without a socket.
pub async fn call(method: Method, uri: &str, headers: &[(&str, &str)]) -> Answer {
    call_router(app(&Config::default()), method, uri, headers).await
}

/// Sends one request through `router`, without a socket.
pub async fn call_router(
    router: axum::Router,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
) -> Answer {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(Body::empty()).expect("a valid request");
    let response = router
        .oneshot(request)
        .await
        .expect("the router never fails");
    let status = response.status();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| {
            let value = value.to_str().unwrap_or("").to_owned();
            (name.as_str().to_owned(), value)
        })
        .collect();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("read the body")
        .to_bytes();
    Answer {
        status,
        headers,
        json: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    }
}

/// `GET uri` through a fresh router.
pub async fn get(uri: &str) -> Answer {
    call(Method::GET, uri, &[]).await
}

/// Starts the whole application on a free loopback port, on the current
/// runtime, and returns its address. It stops with the runtime.
pub async fn start_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let addr = listener.local_addr().expect("the bound address");
    let router = app(&Config::default());
    tokio::spawn(serve_on(listener, router, std::future::pending()));
    addr
}

/// `GET path` over a new connection to `addr`, with `Connection: close`.
pub async fn http_get(addr: SocketAddr, path: &str) -> std::io::Result<Answer> {
    let mut stream = TcpStream::connect(addr).await?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    parse_response(&raw)
        .ok_or_else(|| std::io::Error::other(String::from_utf8_lossy(&raw).into_owned()))
}

/// Splits a complete HTTP/1.1 response with a `Content-Length` body.
fn parse_response(raw: &[u8]) -> Option<Answer> {
    let split = raw.windows(4).position(|window| window == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..split]).ok()?;
    let body = &raw[split + 4..];
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    Some(Answer {
        status: StatusCode::from_u16(status).ok()?,
        headers,
        json: serde_json::from_slice(body).unwrap_or(Value::Null),
    })
}

/// Reads `/api/stats` from `addr` until `done` holds for them, for up to
/// five seconds; returns the last reading either way.
pub async fn wait_for_stats(addr: SocketAddr, done: impl Fn(&Answer) -> bool) -> Answer {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let stats = http_get(addr, "/api/stats").await.expect("read the stats");
        if done(&stats) || tokio::time::Instant::now() >= deadline {
            return stats;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
