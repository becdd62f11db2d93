//! Turns: the host's calls into the loop, which run ready work in batches
//! within a time budget.

use std::rc::Rc;

use super::{increment, LoopCore};
use crate::runtime::context::{self, TurnGuard};
use crate::runtime::host::{DriveOutcome, TurnCause, TurnKind};
use crate::runtime::ready_queue::ReadyItem;

impl LoopCore {
    /// At the end of a batch of ready work: begins the next batch, unless
    /// [`stop`](Self::stop) asked for the run to end here (returns true).
    pub(super) fn batch_boundary(&self) -> bool {
        let mut state = self.state.borrow_mut();
        if !state.ready.batch_done() {
            return false;
        }
        match self.stop_after.get() {
            Some(last) if state.ready.batch() >= last => return true,
            // A stop is due after the next batch: it runs even if empty,
            // as Python's loop runs one iteration before it stops.
            Some(_) => state.ready.begin_batch(),
            None if !state.ready.is_empty() => state.ready.begin_batch(),
            None => {}
        }
        false
    }

    pub(super) fn request_turn_if_idle(&self) {
        if self.running.get() && !self.in_turn.get() && !self.turn_requested.get() {
            self.turn_requested.set(true);
            self.host.request_turn(TurnKind::Microtask);
        }
    }

    /// One turn, called by the host.
    pub(crate) fn turn(self: &Rc<Self>, cause: TurnCause) {
        match cause {
            TurnCause::Requested => self.turn_requested.set(false),
            TurnCause::Wake => self.armed.set(None),
        }
        // Hosts call from their own queue, never from inside a turn (see
        // the host interface); release builds ignore such a call.
        debug_assert!(
            !self.in_turn.get(),
            "a host re-entered the loop during a turn"
        );
        if !self.running.get() || self.in_turn.get() {
            return;
        }
        let _guard = TurnGuard::enter(self);
        self.in_turn.set(true);
        for key in self.foreign.take() {
            self.wake_task(key);
        }
        let budget = self.config.budget_ms;
        let start = self.now_ms();
        let mut now = start;
        let mut stride = 1u32;
        let mut since_check = 0u32;
        self.fire_due_timers(now);
        loop {
            if self.batch_boundary() {
                // `stop()` was called and its batch has run.
                self.finish_run();
                break;
            }
            let item = self.state.borrow_mut().ready.pop();
            let Some(item) = item else {
                // Out of work: time may have moved since the clock was last
                // read, and timers may have come due meanwhile.
                let checked = self.now_ms();
                if checked > now {
                    now = checked;
                    if self.fire_due_timers(now) {
                        continue;
                    }
                }
                break;
            };
            match item {
                ReadyItem::Task(key) => self.run_task(key),
                ReadyItem::Callback(key) => self.run_callback(key),
            }
            if !self.running.get() {
                break;
            }
            since_check += 1;
            if since_check >= stride {
                let checked = self.now_ms();
                // Cheap items: look at the clock less often (it is a host
                // call); as soon as items take time, look after each one.
                stride = if checked - now < 0.05 {
                    (stride * 2).min(64)
                } else {
                    1
                };
                since_check = 0;
                now = checked;
                self.fire_due_timers(now);
                if now - start >= budget {
                    if !self.state.borrow().ready.is_empty() && !self.turn_requested.get() {
                        self.turn_requested.set(true);
                        self.host.request_turn(TurnKind::Macrotask);
                        increment(&self.counters.budget_yields);
                    }
                    break;
                }
            }
        }
        let length = self.now_ms() - start;
        increment(&self.counters.turns);
        if length > self.counters.longest_turn_ms.get() {
            self.counters.longest_turn_ms.set(length);
        }
        self.in_turn.set(false);
        self.sync_host_wake();
    }

    /// Holds the loop for `ms` without returning (blocking code).
    pub(crate) fn block_for(&self, ms: f64) {
        self.host.block(ms);
    }

    /// Lets a synchronous host (the virtual clock) run turns now.
    pub(crate) fn drive(&self) -> DriveOutcome {
        if context::inside_a_turn() {
            return DriveOutcome::Detached;
        }
        self.host.drive()
    }
}
