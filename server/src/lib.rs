//! The development server for the asyncio playground.
//!
//! It serves the page in `www/` on loopback, with the content types the
//! browser requires for modules and WebAssembly and `Cache-Control:
//! no-cache` so a rebuilt `www/pkg/` is picked up on reload, and the
//! endpoints the network examples talk to. Each kind of endpoint lives
//! in its own module and is merged into [`app`].
//!
//! # Endpoints
//!
//! | request | answer |
//! |---|---|
//! | `GET /api/delay?ms=N` | after N ms (0 to 30 000): `{"requested_ms", "started_ms", "finished_ms", "id"}`, times in ms since the server started |
//! | `GET /api/page/{n}` | page n (0 to 999): `{"page", "title", "items"}`, the same every time, sizes differing by page; `?delay_ms=N` waits N ms first |
//! | `GET /ws/echo` | a WebSocket echoing text and binary messages; a message or frame over 64 KiB closes it with code 1009 as soon as it passes the limit |
//! | `GET /api/stats` | counters: `delay_started`, `delay_completed`, `delay_abandoned`, `delay_in_flight`, `page_requests`, `ws_connections`, `ws_messages`, `ws_oversize_closed` |
//! | `POST /api/stats/reset` | zeroes the counters and answers with them; from the server's own pages or from outside a browser only |
//! | `GET /anything/else` | the file under the served directory |
//!
//! A refused API request is answered with a 4xx status and a JSON body
//! `{"error": "..."}` that says what was expected: 400 for a bad or
//! unknown query parameter, 404 for a page out of range or an unknown
//! endpoint, 414 for a query over 256 bytes. A delay request whose client
//! goes away before the answer counts as abandoned. The API and
//! WebSocket endpoints accept requests from any origin (CORS), except
//! the reset: it has no CORS, answers `GET` with 405 and refuses with 403
//! a `POST` that another origin's page sent.
//!
//! A client has [`HEADER_READ_TIMEOUT`] (5 s) to send each request's head;
//! a connection whose head has not arrived by then is closed.
//!
//! Every answer carries `X-Content-Type-Options: nosniff` and
//! `Referrer-Policy: strict-origin-when-cross-origin` (see [`app`]); HTML
//! pages carry a Content-Security-Policy, which lets only the page's own
//! origin frame the full page but any site frame `embed.html`.
//!
//! # Examples
//!
//! Build the router and call it without a socket, as the tests do:
//!
//! ```
//! use server::{app, Config};
//!
//! let router = app(&Config::default());
//! # drop(router);
//! ```

#![warn(missing_docs)]

mod api;
mod api_error;
pub mod cli;
mod config;
mod connections;
mod delay;
mod echo;
mod page;
mod params;
mod same_origin;
mod shutdown;
mod state;
mod static_files;
mod stats;

use std::error::Error;
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;

use axum::http::header::{CACHE_CONTROL, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS};
use axum::http::HeaderValue;
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tower_http::set_header::SetResponseHeaderLayer;

pub use crate::config::{Config, DEFAULT_HOST, DEFAULT_PORT};
pub use crate::connections::{serve_on, HEADER_READ_TIMEOUT};

/// The whole application: every endpoint, with the headers shared by all
/// its answers (files, API answers, errors and 404s alike):
///
/// - `Cache-Control: no-cache`, so a rebuilt `www/pkg/` is picked up on
///   reload;
/// - `X-Content-Type-Options: nosniff`, so a browser uses a file only as
///   what its content type says (a JSON answer is never run as a script);
/// - `Referrer-Policy: strict-origin-when-cross-origin`: requests to
///   other origins carry the page's origin and nothing of its path or
///   query, and none at all from HTTPS to HTTP. The origin is kept, not
///   dropped with `no-referrer`, because the iframe fallback may learn its
///   parent's origin from the referrer, including a parent served here.
pub fn app(config: &Config) -> Router {
    static_files::router(&config.root)
        .merge(api::router())
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
}

/// Binds `config.addr`, prints the URL, and serves [`app`] until Ctrl+C
/// (or SIGTERM), then finishes the requests in flight and returns.
///
/// Requests still unfinished five seconds after the signal (a
/// long delay, say), or when a second signal comes, are cut off.
///
/// # Errors
///
/// Returns a [`ServeError`] if the root is not a directory or the address
/// cannot be bound. Once listening, a failed accept is retried, not
/// returned.
pub async fn serve(config: Config) -> Result<(), ServeError> {
    if !config.root.is_dir() {
        return Err(ServeError::RootNotFound(config.root));
    }
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|source| ServeError::Bind {
            addr: config.addr,
            source,
        })?;
    let addr = listener.local_addr().map_err(ServeError::Io)?;
    println!("Serving {} at http://{addr}/", config.root_label());
    let (stopping, stopped) = oneshot::channel();
    let graceful = async move {
        shutdown::signal().await;
        println!("Shutting down");
        let _ = stopping.send(());
    };
    let server = serve_on(listener, app(&config), graceful);
    let cut_off = async move {
        if stopped.await.is_err() {
            std::future::pending::<()>().await;
        }
        shutdown::grace_over().await;
    };
    tokio::select! {
        () = server => Ok(()),
        () = cut_off => {
            println!("Stopped with requests still in flight");
            Ok(())
        }
    }
}

/// Why the server could not start or stopped with an error.
#[derive(Debug)]
#[non_exhaustive]
pub enum ServeError {
    /// The directory to serve does not exist or is not a directory.
    RootNotFound(PathBuf),
    /// The address could not be bound (in use, or not an address of this
    /// machine).
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// What the system said.
        source: io::Error,
    },
    /// The listening socket could not be inspected.
    Io(io::Error),
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::RootNotFound(root) => write!(
                f,
                "{} is not a directory (give another with --root)",
                root.display()
            ),
            ServeError::Bind { addr, source } => write!(f, "cannot listen on {addr}: {source}"),
            ServeError::Io(source) => write!(f, "server failed: {source}"),
        }
    }
}

impl Error for ServeError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            ServeError::RootNotFound(_) => None,
            ServeError::Bind { source, .. } | ServeError::Io(source) => Some(source),
        }
    }
}
