//! What the API endpoints share: the counters and the server's clock.

use std::sync::Arc;

use tokio::time::Instant;

use crate::stats::Stats;

/// The state behind every API request; cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct AppState {
    /// The counters read by `/api/stats`.
    pub(crate) stats: Arc<Stats>,
    /// When the server started, on the monotonic clock.
    started: Instant,
}

impl AppState {
    /// Fresh counters, with the clock starting now.
    pub(crate) fn new() -> Self {
        AppState {
            stats: Arc::default(),
            started: Instant::now(),
        }
    }

    /// Whole milliseconds since the server started.
    pub(crate) fn elapsed_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }
}
