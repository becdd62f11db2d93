//! The signal that ends the server: Ctrl+C, or SIGTERM on Unix.
//!
//! When it arrives the server stops accepting connections and lets the
//! ones in flight finish before `serve` returns.

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
    println!("Shutting down");
}
