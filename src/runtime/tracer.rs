//! The loop's trace recorder.
//!
//! # Invariants
//! - When off, [`Tracer::record`] tests one `Cell<bool>` and builds nothing:
//!   the event is produced by a closure that is never called.

use std::cell::{Cell, RefCell};

use crate::trace::{TraceEvent, TraceRecord};

/// Python's default `slow_callback_duration`: 100 ms.
pub(crate) const DEFAULT_SLOW_STEP_MS: f64 = 100.0;

#[derive(Debug)]
pub(crate) struct Tracer {
    on: Cell<bool>,
    records: RefCell<Vec<TraceRecord>>,
    /// A step that holds the loop this long is recorded as a warning.
    slow_step_ms: Cell<f64>,
}

impl Default for Tracer {
    fn default() -> Self {
        Tracer {
            on: Cell::new(false),
            records: RefCell::new(Vec::new()),
            slow_step_ms: Cell::new(DEFAULT_SLOW_STEP_MS),
        }
    }
}

impl Tracer {
    pub(crate) fn is_on(&self) -> bool {
        self.on.get()
    }

    pub(crate) fn slow_step_ms(&self) -> f64 {
        self.slow_step_ms.get()
    }

    pub(crate) fn set_slow_step_ms(&self, ms: f64) {
        self.slow_step_ms.set(ms);
    }

    pub(crate) fn set_enabled(&self, on: bool) {
        self.on.set(on);
    }

    #[inline]
    pub(crate) fn record(&self, at_ms: impl FnOnce() -> f64, event: impl FnOnce() -> TraceEvent) {
        if self.on.get() {
            let record = TraceRecord {
                at_ms: at_ms(),
                event: event(),
            };
            self.records.borrow_mut().push(record);
        }
    }

    pub(crate) fn snapshot(&self) -> Vec<TraceRecord> {
        self.records.borrow().clone()
    }

    pub(crate) fn len(&self) -> usize {
        self.records.borrow().len()
    }

    pub(crate) fn since(&self, start: usize) -> Vec<TraceRecord> {
        self.records
            .borrow()
            .get(start..)
            .map(<[TraceRecord]>::to_vec)
            .unwrap_or_default()
    }

    pub(crate) fn take(&self) -> Vec<TraceRecord> {
        std::mem::take(&mut *self.records.borrow_mut())
    }
}
