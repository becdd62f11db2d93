//! The loop's trace recorder.
//!
//! # Invariants
//! - When off, [`Tracer::record`] tests one `Cell<bool>` and builds nothing:
//!   the event is produced by a closure that is never called.

use std::cell::{Cell, RefCell};

use crate::trace::{TraceEvent, TraceRecord};

#[derive(Debug, Default)]
pub(crate) struct Tracer {
    on: Cell<bool>,
    records: RefCell<Vec<TraceRecord>>,
}

impl Tracer {
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
