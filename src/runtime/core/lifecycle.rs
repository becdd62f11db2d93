//! Running, stopping and closing a loop; its output and introspection.

use std::rc::Rc;
use std::task::Waker;

use super::LoopCore;
use super::OutputSink;
use crate::runtime::context;
use crate::runtime::output::{default_output, OutputLine};
use crate::runtime::task_cell::Status;
use crate::stats::LoopStats;
use crate::trace::{TaskId, TraceEvent, TraceRecord, WarningKind};

impl LoopCore {
    /// Starts a `run_until_complete` whose main task is `main`.
    pub(crate) fn begin_run(&self, main: TaskId, waker: &Waker) {
        self.main.set(Some(main));
        *self.outer_waker.borrow_mut() = Some(waker.clone());
        self.running.set(true);
        if !self.state.borrow().ready.is_empty() {
            self.turn_requested.set(false);
            self.request_turn_if_idle();
        }
        self.sync_host_wake();
    }

    pub(crate) fn set_outer_waker(&self, waker: &Waker) {
        let mut slot = self.outer_waker.borrow_mut();
        match &*slot {
            Some(old) if old.will_wake(waker) => {}
            _ => *slot = Some(waker.clone()),
        }
    }

    pub(super) fn finish_run(&self) {
        self.running.set(false);
        self.main.set(None);
        self.stop_after.set(None);
        self.sync_host_wake();
        let waker = self.outer_waker.borrow_mut().take();
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Ends a run whose caller gave up (the run future was dropped): the
    /// main task is cancelled now, and the loop stops running.
    pub(crate) fn abandon_run(self: &Rc<Self>) {
        let Some(main) = self.main.get() else { return };
        let task = self
            .all_tasks()
            .into_iter()
            .find(|task| task.header.id == main);
        if let Some(task) = task {
            self.cancel_now(&task);
        }
        self.finish_run();
    }

    /// Stops the loop as Python's `loop.stop()` does: the batch of ready
    /// work running now (or, if the loop is not running, the next one it
    /// runs) is finished, then the run ends. Nothing is cancelled.
    pub(crate) fn stop(&self) {
        let batch = self.state.borrow().ready.batch();
        let last = if self.running.get() { batch } else { batch + 1 };
        let last = self
            .stop_after
            .get()
            .map_or(last, |earlier| earlier.min(last));
        self.stop_after.set(Some(last));
        // Idle between turns: a turn notices the stop.
        self.request_turn_if_idle();
    }

    /// Requests cancellation of every task but the one running now; returns
    /// how many were asked.
    pub(crate) fn cancel_all(&self, reason: &str) -> usize {
        let current = self.current_task();
        let mut asked = 0;
        for task in self.all_tasks() {
            if Some(task.header.id) != current {
                asked += usize::from(self.cancel_task(&task, Some(reason.into())));
            }
        }
        asked
    }

    /// Tasks that have not ended.
    pub(crate) fn pending_tasks(&self) -> usize {
        self.live.get()
    }

    /// [`close`](Self::close) with this loop as the running one, so what
    /// the cancelled tasks' destructors and done callbacks print is captured
    /// as the loop's output.
    pub(crate) fn close_here(self: &Rc<Self>) -> Result<(), crate::error::LoopError> {
        if self.running.get() {
            return Err(crate::error::LoopError::Running);
        }
        let _guard = context::TurnGuard::enter(self);
        self.close()
    }

    /// Closes the loop: every pending task is cancelled (its future dropped
    /// now), pending callbacks and timers are discarded and the host's
    /// wake-up is cleared. Closing twice is harmless.
    pub(crate) fn close(&self) -> Result<(), crate::error::LoopError> {
        if self.running.get() {
            return Err(crate::error::LoopError::Running);
        }
        if self.closed.replace(true) {
            return Ok(());
        }
        self.foreign.close();
        // What the layers above keep per loop closes first (the default
        // executor shuts down, as Python's loop.close() does).
        let hooks = std::mem::take(&mut *self.close_hooks.borrow_mut());
        for hook in hooks {
            hook();
        }
        // Every task not ended, oldest first: in the slab, or queued and
        // never polled.
        let tasks = self.all_tasks();
        let (mut ready, kept, callbacks, timers) = {
            let mut state = self.state.borrow_mut();
            (
                state.ready.clear(),
                state.tasks.drain(),
                state.callbacks.drain(),
                state.timers.clear(),
            )
        };
        // The queue's buffer stays with the loop, for the next loop made on
        // this thread.
        ready.clear();
        self.state.borrow_mut().ready.give_back(ready);
        drop(kept);
        self.live.set(0);
        if self.armed.take().is_some() {
            self.host.disarm_wake();
        }
        drop(timers);
        drop(callbacks);
        for task in tasks {
            let previous = self
                .executing
                .replace(super::Executing::Task(task.header.id));
            task.drop_future();
            self.executing.set(previous);
            let header = &task.header;
            let task_id = header.id;
            self.trace(|| TraceEvent::Warning {
                task: Some(task_id),
                warning: WarningKind::PendingAtClose,
                message: format!(
                    "{} was still pending when the loop closed, so it was cancelled",
                    header.name()
                ),
            });
            header.set_cancel_message(Some("the event loop was closed".into()));
            let (join, _) = header.end(Status::Cancelled);
            let callbacks = header.take_done_callbacks();
            let id = header.id;
            self.trace(|| TraceEvent::TaskCancelled { task: id });
            if let Some(waker) = join {
                waker.wake();
            }
            let info = header.info();
            for callback in callbacks {
                callback(&info);
            }
        }
        Ok(())
    }

    // ----- output and introspection -------------------------------------

    pub(crate) fn print(&self, text: String) {
        let task = self.current_task();
        self.trace(|| TraceEvent::Printed {
            task,
            line: text.clone(),
        });
        match self.output.try_borrow_mut() {
            Ok(mut sink) => match sink.as_mut() {
                Some(sink) => sink(&OutputLine {
                    at_ms: self.now_ms(),
                    task,
                    text,
                }),
                None => default_output(&text),
            },
            Err(_) => default_output(&text),
        }
    }

    pub(crate) fn set_output(&self, sink: Option<OutputSink>) {
        if let Ok(mut slot) = self.output.try_borrow_mut() {
            *slot = sink;
        }
    }

    pub(crate) fn stats(&self) -> LoopStats {
        let state = self.state.borrow();
        let counters = &self.counters;
        LoopStats {
            turns: counters.turns.get(),
            budget_yields: counters.budget_yields.get(),
            polls: counters.polls.get(),
            tasks_created: counters.tasks_created.get(),
            timers_fired: counters.timers_fired.get(),
            host_timers_armed: self.host.wakes_armed(),
            host_wake_at_ms: self.armed.get().map(|armed| armed.at_ms),
            longest_turn_ms: counters.longest_turn_ms.get(),
            pending_tasks: self.live.get(),
            pending_timers: state.timers.len(),
            ready: state.ready.len(),
        }
    }

    /// The value of type `T` kept for this loop by a layer above, if any.
    pub(crate) fn extension<T: Clone + 'static>(&self) -> Option<T> {
        self.extensions
            .borrow()
            .iter()
            .find_map(|value| value.downcast_ref::<T>())
            .cloned()
    }

    /// Keeps `value` for this loop, replacing the value of its type; returns
    /// whether there was one.
    pub(crate) fn set_extension<T: 'static>(&self, value: T) -> bool {
        let mut extensions = self.extensions.borrow_mut();
        let old = extensions.iter().position(|value| value.is::<T>());
        match old {
            Some(index) => {
                extensions[index] = Box::new(value);
                true
            }
            None => {
                extensions.push(Box::new(value));
                false
            }
        }
    }

    /// Takes the value of type `T` kept for this loop.
    pub(crate) fn take_extension<T: 'static>(&self) -> Option<T> {
        let mut extensions = self.extensions.borrow_mut();
        let index = extensions.iter().position(|value| value.is::<T>())?;
        extensions
            .swap_remove(index)
            .downcast::<T>()
            .ok()
            .map(|value| *value)
    }

    /// Runs `hook` when the loop closes, before its tasks are cancelled.
    pub(crate) fn on_close(&self, hook: Box<dyn FnOnce()>) {
        if self.closed.get() {
            hook();
        } else {
            self.close_hooks.borrow_mut().push(hook);
        }
    }

    pub(crate) fn trace_records(&self) -> Vec<TraceRecord> {
        self.tracer.snapshot()
    }
}
