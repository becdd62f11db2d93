//! Accepting connections and serving HTTP/1.1 on them with hyper.
//!
//! A client has [`HEADER_READ_TIMEOUT`] to send a request's head, the
//! request line and headers up to the blank line that ends them. The time
//! is hyper's own header read timeout: it runs from when the server starts
//! waiting for a request, on a new connection or after the previous answer
//! on a kept-alive one, until the head is complete, however the bytes
//! trickle in. A client that is still sending a head after that, or that
//! sends nothing, has its connection closed without an answer, so
//! half-sent requests cannot hold connections open; a kept-alive
//! connection left idle that long is closed too (browsers then open a new
//! one). The time a handler
//! takes to answer (a delay of up to 30 s) is not limited by it, nor is a
//! WebSocket once upgraded.
//!
//! When asked to stop, the server stops accepting, lets each connection
//! finish the request it is serving, and closes idle ones at once.

use std::future::Future;
use std::pin::pin;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// How long a client may take to send a request's head.
///
/// A browser sends a head in one write, within milliseconds even on a
/// busy machine; five seconds leaves room for a slow link while keeping
/// a connection that a client abandoned mid-request from being held.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);

/// Serves `router` on the connections `listener` accepts until `stop`
/// resolves; then stops accepting and returns once every connection has
/// finished the request it was serving.
///
/// Requests are read as described in the module documentation: a head
/// must arrive within [`HEADER_READ_TIMEOUT`]. A failed accept (such as
/// running out of file descriptors) is retried after a pause rather than
/// ending the server.
///
/// # Examples
///
/// ```
/// use server::{app, serve_on, Config};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
/// // Stops at once: a real caller waits for a signal here.
/// serve_on(listener, app(&Config::default()), async {}).await;
/// # Ok(())
/// # }
/// ```
pub async fn serve_on(mut listener: TcpListener, router: Router, stop: impl Future<Output = ()>) {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    let (stopping, stop_signal) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut stop = pin!(stop);
    loop {
        let stream = tokio::select! {
            (stream, _) = axum::serve::Listener::accept(&mut listener) => stream,
            // Forget the connections that have ended.
            Some(_) = connections.join_next() => continue,
            () = &mut stop => break,
        };
        let service = TowerToHyperService::new(router.clone());
        let connection = builder
            .serve_connection(TokioIo::new(stream), service)
            .with_upgrades();
        let mut stop_signal = stop_signal.clone();
        connections.spawn(async move {
            let mut connection = pin!(connection);
            tokio::select! {
                // A connection that fails (a client gone, a head too slow
                // or malformed) has nothing more to be done with it.
                _ = connection.as_mut() => return,
                _ = stop_signal.wait_for(|stopping| *stopping) => {}
            }
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        });
    }
    drop(listener);
    let _ = stopping.send(true);
    while connections.join_next().await.is_some() {}
}
