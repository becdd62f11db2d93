//! Callbacks and timers, and keeping the host's single wake-up in line
//! with the earliest timer.

use std::task::Waker;

use super::{increment, Armed, Callback, Executing, LoopCore, ReadyItem};
use crate::runtime::slab::Key;
use crate::runtime::timer_heap::TimerAction;
use crate::trace::TraceEvent;

impl LoopCore {
    /// Queues `callback` to run in a coming turn; returns its key.
    pub(crate) fn call_soon(&self, callback: Callback) -> Option<Key> {
        if self.closed.get() {
            return None;
        }
        let key = {
            let mut state = self.state.borrow_mut();
            let key = state.callbacks.insert(callback);
            state.ready.push(ReadyItem::Callback(key));
            key
        };
        self.request_turn_if_idle();
        Some(key)
    }

    /// Schedules `callback` at loop time `deadline_ms`; returns the keys of
    /// the callback and its timer.
    pub(crate) fn call_at(&self, deadline_ms: f64, callback: Callback) -> Option<(Key, Key)> {
        if self.closed.get() {
            return None;
        }
        let (callback_key, timer_key, timer) = {
            let mut state = self.state.borrow_mut();
            let callback_key = state.callbacks.insert(callback);
            let (timer_key, timer) = state
                .timers
                .insert(deadline_ms, TimerAction::Callback(callback_key));
            (callback_key, timer_key, timer)
        };
        self.trace(|| TraceEvent::TimerArmed {
            timer,
            deadline_ms,
            task: self.current_task(),
        });
        self.timers_changed();
        Some((callback_key, timer_key))
    }

    /// Removes a callback that has not run yet; returns whether it was there.
    pub(crate) fn cancel_callback(&self, callback: Key, timer: Option<Key>) -> bool {
        if let Some(timer) = timer {
            self.cancel_timer(timer);
        }
        let removed = self.state.borrow_mut().callbacks.remove(callback);
        removed.is_some()
    }

    pub(super) fn run_callback(&self, key: Key) {
        let Some(callback) = self.state.borrow_mut().callbacks.remove(key) else {
            return;
        };
        let previous = self.executing.replace(Executing::Callback);
        callback();
        self.executing.set(previous);
    }

    /// Sets a timer that wakes `waker` at loop time `deadline_ms`.
    pub(crate) fn add_wake_timer(&self, deadline_ms: f64, waker: Waker) -> Option<Key> {
        if self.closed.get() {
            return None;
        }
        let task = self.current_task();
        let (key, timer) = self
            .state
            .borrow_mut()
            .timers
            .insert(deadline_ms, TimerAction::Wake(waker));
        self.trace(|| TraceEvent::TimerArmed {
            timer,
            deadline_ms,
            task,
        });
        self.timers_changed();
        Some(key)
    }

    pub(crate) fn timer_pending(&self, key: Key) -> bool {
        self.state.borrow().timers.is_pending(key)
    }

    pub(crate) fn update_timer_waker(&self, key: Key, waker: &Waker) {
        self.state.borrow_mut().timers.update_waker(key, waker);
    }

    /// Cancels a timer that has not fired; returns whether it was pending.
    pub(crate) fn cancel_timer(&self, key: Key) -> bool {
        let cancelled = self.state.borrow_mut().timers.cancel(key);
        let Some((timer, action)) = cancelled else {
            return false;
        };
        // Dropped outside the borrow: a waker's drop may run arbitrary code.
        drop(action);
        self.trace(|| TraceEvent::TimerCancelled { timer });
        self.timers_changed();
        true
    }

    /// Fires every timer due at `now_ms`; returns whether any fired.
    pub(super) fn fire_due_timers(&self, now_ms: f64) -> bool {
        let mut fired_any = false;
        loop {
            let fired = self.state.borrow_mut().timers.pop_due(now_ms);
            let Some(fired) = fired else { break };
            fired_any = true;
            let timer = fired.id;
            self.trace(|| TraceEvent::TimerFired { timer });
            increment(&self.counters.timers_fired);
            match fired.action {
                TimerAction::Wake(waker) => {
                    let previous = self.executing.replace(Executing::Timer(timer));
                    waker.wake();
                    self.executing.set(previous);
                }
                TimerAction::Callback(key) => {
                    if self.state.borrow().callbacks.contains(key) {
                        self.state.borrow_mut().ready.push(ReadyItem::Callback(key));
                    }
                }
            }
        }
        fired_any
    }

    pub(super) fn timers_changed(&self) {
        if !self.in_turn.get() {
            self.sync_host_wake();
        }
    }

    /// Arms, re-arms or disarms the host's single wake-up so that it matches
    /// the earliest timer (chained when beyond the host's longest delay).
    pub(super) fn sync_host_wake(&self) {
        let earliest = if self.running.get() && !self.closed.get() {
            self.state.borrow_mut().timers.earliest()
        } else {
            None
        };
        let armed = self.armed.get();
        let Some(deadline) = earliest else {
            if armed.is_some() {
                self.host.disarm_wake();
                self.armed.set(None);
            }
            return;
        };
        if let Some(armed) = armed {
            let on_time = armed.at_ms == deadline;
            let chain_step = armed.chained && armed.at_ms < deadline;
            if on_time || chain_step {
                return;
            }
        }
        let limit = self.now_ms() + self.host.max_wake_delay_ms();
        let target = Armed {
            at_ms: deadline.min(limit),
            chained: deadline > limit,
        };
        self.host.arm_wake(self.origin_ms + target.at_ms);
        self.armed.set(Some(target));
    }
}
