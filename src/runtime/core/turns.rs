//! Turns: the host's calls into the loop, which run ready work in batches
//! within a time budget.

use std::rc::Rc;

use super::{increment, LoopCore};
use crate::runtime::context::{self, TurnGuard};
use crate::runtime::host::{DriveOutcome, TurnCause, TurnKind};
use crate::runtime::ready_queue::{ReadyItem, ReadyQueue};
use crate::runtime::task_cell::{tenths_of_ms, MAX_STEP_TENTHS};
use crate::runtime::task_rc::TaskRc;

/// The most items a turn runs between two looks at the clock.
const MAX_CLOCK_STRIDE: u32 = 256;

/// What the turn does next.
enum Next {
    /// `stop()` was called and its batch has run.
    Stop,
    /// Nothing is ready.
    Empty,
    /// Poll this task.
    Task(TaskRc),
    /// Run this callback.
    Callback(crate::runtime::slab::Key),
}

/// What is left of a turn's budget (`ms`), in tenths of a millisecond, at
/// most `u8::MAX`: above [`MAX_STEP_TENTHS`], so a budget with more room
/// than that defers no task.
fn room_tenths(ms: f64) -> u8 {
    tenths_of_ms(ms, u8::MAX)
}

// The most room there is ("no limit") must exceed every recorded step.
const _: () = assert!(MAX_STEP_TENTHS < u8::MAX);

impl LoopCore {
    /// At the end of a batch of ready work: begins the next batch, unless
    /// [`stop`](Self::stop) asked for the run to end here (returns true).
    fn boundary_in(&self, ready: &mut ReadyQueue) -> bool {
        if !ready.batch_done() {
            return false;
        }
        match self.stop_after.get() {
            Some(last) if ready.batch() >= last => return true,
            // A stop is due after the next batch: it runs even if empty,
            // as Python's loop runs one iteration before it stops.
            Some(_) => ready.begin_batch(),
            None if !ready.is_empty() => ready.begin_batch(),
            None => {}
        }
        false
    }

    /// The next ready item, found in one borrow of the state: at a batch
    /// boundary the next batch begins (or the stop is due).
    fn next_ready(&self) -> Next {
        let mut state = self.state.borrow_mut();
        let state = &mut *state;
        if self.boundary_in(&mut state.ready) {
            return Next::Stop;
        }
        match state.ready.pop() {
            None => Next::Empty,
            Some(ReadyItem::Task(task)) => Next::Task(task),
            Some(ReadyItem::Callback(key)) => Next::Callback(key),
        }
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
        // Whether `now` was read after the last item ran: then the clock
        // need not be read again before the turn ends.
        let mut fresh = true;
        self.fire_due_timers(now);
        loop {
            let item = match self.next_ready() {
                Next::Stop => {
                    // `stop()` was called and its batch has run.
                    self.finish_run();
                    break;
                }
                Next::Empty => None,
                item => Some(item),
            };
            let Some(item) = item else {
                // Out of work: time may have moved since the clock was last
                // read, and timers may have come due meanwhile (not if it
                // was read after the last item).
                if fresh {
                    break;
                }
                let checked = self.now_ms();
                fresh = true;
                if checked > now {
                    now = checked;
                    if self.fire_due_timers(now) {
                        continue;
                    }
                }
                break;
            };
            // The task timed while it ran, when the clock is read after each
            // item.
            let mut timed = None;
            match item {
                Next::Task(task) => {
                    if stride == 1 {
                        timed = Some(TaskRc::clone(&task));
                    }
                    self.run_task(task);
                }
                Next::Callback(key) => self.run_callback(key),
                Next::Stop | Next::Empty => {}
            }
            fresh = false;
            if !self.running.get() {
                break;
            }
            since_check += 1;
            if since_check >= stride {
                let checked = self.now_ms();
                fresh = true;
                if let Some(task) = timed {
                    task.header.set_last_step_ms(checked - now);
                }
                // Cheap items: look at the clock less often (it is a host
                // call: about 0.4 µs in Chromium, the cost of several
                // trivial tasks); as soon as items take time, look after
                // each one. Reaching MAX_CLOCK_STRIDE takes half as many
                // items in under 0.05 ms; slow items after such a run hold
                // the turn for at most MAX_CLOCK_STRIDE of them.
                stride = if checked - now < 0.05 {
                    (stride * 2).min(MAX_CLOCK_STRIDE)
                } else {
                    1
                };
                since_check = 0;
                now = checked;
                self.fire_due_timers(now);
                if now - start >= budget {
                    // More to do: ready work, or a stop that the next look
                    // at the queue finds due (it may be all that is left).
                    let more =
                        !self.state.borrow().ready.is_empty() || self.stop_after.get().is_some();
                    if more {
                        self.yield_turn();
                    }
                    break;
                }
                // A task whose next step could take the turn past its budget
                // starts the next turn instead. The queue knows where such
                // tasks are (it was told when they were woken): the clock is
                // read just before one runs, and if twice its last timed step
                // would overrun, the turn ends with it still at the front, so
                // nothing runs before it and the order is what it was. Twice:
                // a step often does more than the last (a task that spawned
                // work in one step awaits all of it in the next).
                let (ahead, step) = {
                    let mut state = self.state.borrow_mut();
                    (state.ready.heavy_ahead(), state.ready.front_step_tenths())
                };
                match ahead {
                    Some(0) if step.saturating_mul(2) > room_tenths(budget - (now - start)) => {
                        self.yield_turn();
                        break;
                    }
                    Some(ahead) if ahead > 0 => {
                        stride = stride.min(u32::try_from(ahead).unwrap_or(u32::MAX));
                    }
                    _ => {}
                }
            }
        }
        let end = if fresh { now } else { self.now_ms() };
        let length = end - start;
        increment(&self.counters.turns);
        if length > self.counters.longest_turn_ms.get() {
            self.counters.longest_turn_ms.set(length);
        }
        self.in_turn.set(false);
        self.sync_host_wake();
    }

    /// Ends this turn with work left: the next turn comes from the host's
    /// task queue, so the page can paint and take input in between.
    fn yield_turn(&self) {
        if !self.turn_requested.get() {
            self.turn_requested.set(true);
            self.host.request_turn(TurnKind::Macrotask);
            increment(&self.counters.budget_yields);
        }
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
