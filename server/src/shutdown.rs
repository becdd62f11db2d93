//! The signal that ends the server: Ctrl+C, or SIGTERM on Unix.
//!
//! When it arrives the server stops accepting connections and lets the
//! ones in flight finish before `serve` returns, for up to [`GRACE`] or
//! until a second signal.

use std::time::Duration;

/// How long requests in flight may go on after the signal.
pub(crate) const GRACE: Duration = Duration::from_secs(5);

/// Resolves when the process is asked to stop.
///
/// A signal that cannot be listened for is treated as one that never
/// comes, so the other can still stop the server.
pub(crate) async fn signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };

    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}

/// Resolves [`GRACE`] from now, or at the next signal if sooner.
pub(crate) async fn grace_over() {
    tokio::select! {
        () = tokio::time::sleep(GRACE) => {}
        () = signal() => {}
    }
}
