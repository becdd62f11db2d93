//! Counters of what the API endpoints did, and their endpoints:
//! `GET /api/stats` reads them, `POST /api/stats/reset` zeroes them.
//!
//! `delay_in_flight` is a gauge, not a counter: it is the number of
//! delay requests being served now, so a reset leaves it alone. A delay
//! request that began before a reset is not counted as completed or
//! abandoned after it, so the counters always describe the same
//! requests. Every update takes one short lock, which keeps the figures
//! consistent with each other.

use std::sync::{Mutex, MutexGuard, PoisonError};

use axum::extract::State;
use axum::Json;
use serde::Serialize;

use crate::state::AppState;

/// The counters, shared by every request.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    counters: Counters,
    /// Delay requests being served now.
    delay_in_flight: u64,
    /// How many resets there have been.
    generation: u64,
    /// The last delay request id handed out; never reset, so ids stay
    /// unique for the server's life.
    last_id: u64,
}

/// The counters that a reset zeroes.
#[derive(Debug, Default, Clone, Copy, Serialize)]
struct Counters {
    delay_started: u64,
    delay_completed: u64,
    delay_abandoned: u64,
    page_requests: u64,
    ws_connections: u64,
    ws_messages: u64,
    ws_oversize_closed: u64,
}

/// The JSON answer of `/api/stats`.
#[derive(Debug, Serialize)]
pub(crate) struct Snapshot {
    #[serde(flatten)]
    counters: Counters,
    delay_in_flight: u64,
}

/// A delay request being served, as the counters know it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DelayTicket {
    /// The request's id, from 1 upwards.
    pub(crate) id: u64,
    generation: u64,
}

/// How a delay request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DelayOutcome {
    /// The answer was produced.
    Completed,
    /// The client went away first.
    Abandoned,
}

impl Stats {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // The counters stay meaningful even if a holder panicked.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts a delay request starting and gives it an id.
    pub(crate) fn delay_started(&self) -> DelayTicket {
        let mut inner = self.lock();
        inner.counters.delay_started = inner.counters.delay_started.saturating_add(1);
        inner.delay_in_flight = inner.delay_in_flight.saturating_add(1);
        inner.last_id = inner.last_id.saturating_add(1);
        DelayTicket {
            id: inner.last_id,
            generation: inner.generation,
        }
    }

    /// Counts a delay request ending.
    pub(crate) fn delay_ended(&self, ticket: DelayTicket, outcome: DelayOutcome) {
        let mut inner = self.lock();
        inner.delay_in_flight = inner.delay_in_flight.saturating_sub(1);
        if inner.generation != ticket.generation {
            return;
        }
        let counter = match outcome {
            DelayOutcome::Completed => &mut inner.counters.delay_completed,
            DelayOutcome::Abandoned => &mut inner.counters.delay_abandoned,
        };
        *counter = counter.saturating_add(1);
    }

    /// Counts a page request.
    pub(crate) fn page_requested(&self) {
        self.bump(|counters| &mut counters.page_requests);
    }

    /// Counts a WebSocket connection opening.
    pub(crate) fn ws_connected(&self) {
        self.bump(|counters| &mut counters.ws_connections);
    }

    /// Counts a WebSocket message echoed.
    pub(crate) fn ws_message(&self) {
        self.bump(|counters| &mut counters.ws_messages);
    }

    /// Counts a WebSocket connection closed for a message too big.
    pub(crate) fn ws_oversize_closed(&self) {
        self.bump(|counters| &mut counters.ws_oversize_closed);
    }

    fn bump(&self, counter: impl FnOnce(&mut Counters) -> &mut u64) {
        let mut inner = self.lock();
        let counter = counter(&mut inner.counters);
        *counter = counter.saturating_add(1);
    }

    /// The counters now.
    pub(crate) fn snapshot(&self) -> Snapshot {
        let inner = self.lock();
        Snapshot {
            counters: inner.counters,
            delay_in_flight: inner.delay_in_flight,
        }
    }

    /// Zeroes the counters and returns them.
    pub(crate) fn reset(&self) -> Snapshot {
        let mut inner = self.lock();
        inner.counters = Counters::default();
        inner.generation = inner.generation.wrapping_add(1);
        Snapshot {
            counters: inner.counters,
            delay_in_flight: inner.delay_in_flight,
        }
    }
}

/// `GET /api/stats`.
pub(crate) async fn read(State(state): State<AppState>) -> Json<Snapshot> {
    Json(state.stats.snapshot())
}

/// `POST /api/stats/reset`: answers with the zeroed counters.
pub(crate) async fn reset(State(state): State<AppState>) -> Json<Snapshot> {
    Json(state.stats.reset())
}
