//! The development server for the asyncio playground.
//!
//! It serves the page in `www/` on loopback, with the content types the
//! browser requires for modules and WebAssembly and `Cache-Control:
//! no-cache` so a rebuilt `www/pkg/` is picked up on reload. Each kind
//! of endpoint lives in its own module and is merged into [`app`].
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

pub mod cli;
mod config;
mod shutdown;
mod static_files;

use std::error::Error;
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;

use axum::http::header::CACHE_CONTROL;
use axum::http::HeaderValue;
use axum::Router;
use tokio::net::TcpListener;
use tower_http::set_header::SetResponseHeaderLayer;

pub use crate::config::{Config, DEFAULT_HOST, DEFAULT_PORT};

/// The whole application: every endpoint, with the headers shared by all.
pub fn app(config: &Config) -> Router {
    static_files::router(&config.root).layer(SetResponseHeaderLayer::overriding(
        CACHE_CONTROL,
        HeaderValue::from_static("no-cache"),
    ))
}

/// Binds `config.addr`, prints the URL, and serves [`app`] until Ctrl+C
/// (or SIGTERM), then finishes the requests in flight and returns.
///
/// # Errors
///
/// Returns a [`ServeError`] if the root is not a directory, the address
/// cannot be bound, or the listener fails.
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
    axum::serve(listener, app(&config))
        .with_graceful_shutdown(shutdown::signal())
        .await
        .map_err(ServeError::Io)
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
    /// The listener failed while serving.
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
