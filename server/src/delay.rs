//! `GET /api/delay?ms=N`: answers after N milliseconds, the slow server
//! the HTTP examples wait on.
//!
//! The answer is `{"requested_ms", "started_ms", "finished_ms", "id"}`,
//! times in milliseconds since the server started on its monotonic
//! clock, `id` the request's number since the server started.
//!
//! A request whose client goes away first (the tab aborts the fetch, the
//! connection closes) is counted as abandoned: the server then drops the
//! handler's future mid-sleep, and a guard living in that future sees it
//! dropped before the answer was made.

use axum::extract::{RawQuery, State};
use axum::Json;
use serde::Serialize;

use crate::api_error::ApiError;
use crate::params::{delay_error, Params};
use crate::state::AppState;
use crate::stats::{DelayOutcome, DelayTicket};

/// The body of a delay answer.
#[derive(Debug, Serialize)]
pub(crate) struct DelayAnswer {
    requested_ms: u64,
    started_ms: u64,
    finished_ms: u64,
    id: u64,
}

/// `GET /api/delay`.
pub(crate) async fn delay(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<DelayAnswer>, ApiError> {
    let params = Params::parse(query.as_deref(), &["ms"])?;
    let wait = params.delay("ms")?.ok_or_else(|| delay_error("ms"))?;
    let started_ms = state.elapsed_ms();
    let guard = InFlight::start(&state);
    tokio::time::sleep(wait).await;
    let answer = DelayAnswer {
        requested_ms: u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
        started_ms,
        finished_ms: state.elapsed_ms(),
        id: guard.ticket.id,
    };
    guard.answered();
    Ok(Json(answer))
}

/// Counts one delay request from its start to its end, however it ends.
#[derive(Debug)]
struct InFlight<'a> {
    state: &'a AppState,
    ticket: DelayTicket,
    outcome: DelayOutcome,
}

impl<'a> InFlight<'a> {
    /// Counts the request as started; until [`InFlight::answered`], its
    /// end counts as abandoned.
    fn start(state: &'a AppState) -> Self {
        InFlight {
            state,
            ticket: state.stats.delay_started(),
            outcome: DelayOutcome::Abandoned,
        }
    }

    /// The answer was produced: count the request as completed.
    fn answered(mut self) {
        self.outcome = DelayOutcome::Completed;
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.state.stats.delay_ended(self.ticket, self.outcome);
    }
}
