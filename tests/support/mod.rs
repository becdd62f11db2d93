//! Helpers the runtime's test files share.

// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use asyncio::get_running_loop;

/// Sets its flag when dropped: proves a future's destructors ran.
pub(crate) struct DropFlag(pub(crate) Rc<Cell<bool>>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

/// A flag, down.
pub(crate) fn flag() -> Rc<Cell<bool>> {
    Rc::new(Cell::new(false))
}

/// The running loop's time, in seconds.
pub(crate) fn now() -> f64 {
    get_running_loop().unwrap().time()
}

/// `s` seconds.
pub(crate) fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s)
}

/// What happened, in order.
pub(crate) type Log = Rc<RefCell<Vec<String>>>;

pub(crate) fn log() -> Log {
    Rc::new(RefCell::new(Vec::new()))
}

pub(crate) fn push(log: &Log, entry: impl Into<String>) {
    log.borrow_mut().push(entry.into());
}

pub(crate) fn logged(log: &Log) -> Vec<String> {
    log.borrow().clone()
}
