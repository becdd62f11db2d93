//! Tasks on the loop: made, woken, polled, cancelled and ended.
//!
//! # The live tasks
//! A task that has not ended is in the ready queue, in the `tasks` slab, or
//! both. Where its waker is its cell (single-threaded WebAssembly), a task
//! enters the slab only once a poll leaves it pending: a task that is
//! spawned and finishes in its first poll never touches the slab, and until
//! that poll the ready queue holds it. Elsewhere a waker names its task by
//! slab key, so every task enters the slab when it is made.

use std::future::Future;
use std::rc::Rc;

use super::{increment, Executing, LoopCore, SpawnOptions};
use crate::runtime::ready_queue::ReadyItem;
use crate::runtime::slab::Key;
use crate::runtime::task_cell::{Spawned, Status, TaskCell, TaskHeader};
use crate::runtime::task_rc::TaskRc;
use crate::trace::{TaskId, TraceEvent, WarningKind};

impl LoopCore {
    /// Creates a task for `future` and queues it. On a closed loop the task
    /// is born cancelled.
    pub(crate) fn spawn<F>(self: &Rc<Self>, future: F) -> Spawned<F::Output>
    where
        F: Future + 'static,
    {
        self.spawn_with(future, SpawnOptions::default())
    }

    /// [`spawn`](Self::spawn) with a name and a way of taking cancellation.
    pub(crate) fn spawn_with<F>(
        self: &Rc<Self>,
        future: F,
        options: SpawnOptions,
    ) -> Spawned<F::Output>
    where
        F: Future + 'static,
    {
        let (spawned, queued) = {
            let mut state = self.state.borrow_mut();
            state.next_task_id += 1;
            let id = TaskId(state.next_task_id);
            // Natively the waker names the task by the key it is about to
            // get; on WebAssembly it gets one only if a poll leaves it
            // pending.
            #[cfg(not(single_threaded_wasm))]
            let key = state.tasks.vacant_key();
            #[cfg(single_threaded_wasm)]
            let key = Key::DETACHED;
            let spawned = TaskCell::spawn(TaskHeader::new(id, key, self), future);
            let cell = spawned.cell();
            let header = &cell.header;
            if let Some(name) = &options.name {
                header.set_name(name.clone());
            }
            if options.deliver_cancellation {
                header.deliver_cancellation();
            }
            let queued = !self.closed.get();
            if queued {
                #[cfg(not(single_threaded_wasm))]
                state.tasks.insert(TaskRc::clone(cell));
                header.queued.set(true);
                state.ready.push(ReadyItem::Task(TaskRc::clone(cell)));
            }
            (spawned, queued)
        };
        let cell = spawned.cell();
        let id = cell.header.id;
        increment(&self.counters.tasks_created);
        if queued {
            self.live.set(self.live.get() + 1);
        }
        self.trace(|| TraceEvent::TaskCreated {
            task: id,
            name: options.name.unwrap_or_else(|| id.to_string()),
            parent: self.current_task(),
        });
        if queued {
            self.request_turn_if_idle();
        } else {
            // The future never ran; dropping it now runs its destructors.
            cell.drop_future();
            cell.header
                .set_cancel_message(Some("the event loop is closed".into()));
            let _ = cell.header.end(Status::Cancelled);
            self.trace(|| TraceEvent::TaskCancelled { task: id });
        }
        spawned
    }

    /// Makes the task under `key` ready, unless it is already queued or
    /// has ended.
    pub(crate) fn wake_task(&self, key: Key) {
        let task = self.state.borrow().tasks.get(key).cloned();
        if let Some(task) = task {
            self.schedule_task(task);
        }
    }

    /// Makes `task` ready, unless it is already queued or has ended: the
    /// ready queue takes the cell itself.
    pub(crate) fn schedule_task(&self, task: TaskRc) {
        let header = &task.header;
        if self.closed.get() || !header.wants_queueing() {
            return;
        }
        header.queued.set(true);
        let id = header.id;
        let heavy = header.last_step_tenths() > 0;
        self.state.borrow_mut().ready.push_task(task, heavy);
        self.trace(|| TraceEvent::Woken {
            task: id,
            by: self.wake_source(),
        });
        self.request_turn_if_idle();
    }

    /// Asks for the task to be cancelled: at its next turn its future is
    /// dropped. Returns false if the task has already ended.
    pub(crate) fn cancel_task(&self, task: &TaskRc, message: Option<String>) -> bool {
        let header = &task.header;
        if header.status() != Status::Pending {
            return false;
        }
        header.count_cancel();
        if header.delivers_cancellation() {
            // As Python's `Task.cancel()`: the awaited task is asked first;
            // if it takes the request, this task learns of the
            // cancellation from it, when it ends, and is not woken now.
            let mut taken = false;
            for inner in header.take_awaiting() {
                if let Some(core) = inner.header.core.upgrade() {
                    taken |= core.cancel_task(&inner, message.clone());
                }
            }
            if !taken {
                header.cancel_requested.set(true);
                header.set_cancel_message(message);
                self.schedule_task(TaskRc::clone(task));
            }
            return true;
        }
        if !header.cancel_requested.get() {
            header.cancel_requested.set(true);
            // What the task waits for is cancelled first, as Python cancels
            // a task's awaited future: it ends before its awaiter does.
            for inner in header.take_awaiting() {
                if let Some(core) = inner.header.core.upgrade() {
                    core.cancel_task(&inner, message.clone());
                }
            }
            header.set_cancel_message(message);
        }
        self.schedule_task(TaskRc::clone(task));
        true
    }

    /// The task being polled, if any.
    pub(crate) fn polling_task(&self) -> Option<TaskRc> {
        let task = self.polling.take();
        let copy = task.clone();
        self.polling.set(task);
        copy
    }

    /// Takes the cancellation request of the task being polled, if it takes
    /// cancellation as a request and one is pending.
    pub(crate) fn take_cancellation(&self) -> Option<crate::error::Cancelled> {
        let task = self.polling_task()?;
        let header = &task.header;
        if header.delivers_cancellation() && header.cancel_requested.replace(false) {
            Some(header.cancelled_error())
        } else {
            None
        }
    }

    /// Every task that has not ended, in the order they were created: those
    /// in the slab, and those not there yet (queued, or in their first
    /// poll).
    pub(crate) fn all_tasks(&self) -> Vec<TaskRc> {
        let unkept = |task: &&TaskRc| {
            task.header.status() == Status::Pending && task.header.key() == Key::DETACHED
        };
        let polling = self.polling_task();
        let state = self.state.borrow();
        let mut tasks: Vec<TaskRc> = state.tasks.values().cloned().collect();
        tasks.extend(state.ready.tasks().filter(unkept).cloned());
        drop(state);
        tasks.extend(polling.as_ref().filter(unkept).cloned());
        tasks.sort_by_key(|task| task.header.id);
        // A task in its first poll may also be queued again.
        tasks.dedup_by_key(|task| task.header.id);
        tasks
    }

    /// Enters `task`, which a poll left pending, into the slab if it is not
    /// there yet (see the module's notes).
    fn keep_pending(&self, task: &TaskRc) {
        if task.header.key() == Key::DETACHED {
            let key = self.state.borrow_mut().tasks.insert(TaskRc::clone(task));
            task.header.set_key(key);
        }
    }

    /// Records that the task being polled waits for `inner` (see
    /// [`cancel_task`](Self::cancel_task)).
    pub(crate) fn note_awaiting(&self, inner: &TaskRc) {
        let task = self.polling.take();
        if let Some(task) = &task {
            if !TaskRc::ptr_eq(task, inner) {
                task.header.note_awaiting(inner);
            }
        }
        self.polling.set(task);
    }

    /// Renames the task being polled, if any.
    pub(crate) fn rename_current(&self, name: &str) {
        if let Some(task) = self.polling_task() {
            self.rename_task(&task.header, name.to_string());
        }
    }

    pub(crate) fn rename_task(&self, header: &TaskHeader, name: String) {
        self.trace(|| TraceEvent::TaskRenamed {
            task: header.id,
            name: name.clone(),
        });
        header.set_name(name);
    }

    pub(super) fn run_task(self: &Rc<Self>, task: TaskRc) {
        let header = &task.header;
        if header.status() != Status::Pending {
            // It ended while queued (its run was abandoned).
            return;
        }
        debug_assert!(
            header.queued.get(),
            "a live task was in the ready queue unmarked"
        );
        header.queued.set(false);
        let id = header.id;
        if header.cancel_requested.get() && !header.delivers_cancellation() {
            self.cancel_now(&task);
            return;
        }
        // Only when tracing: the poll's start and end, and how long the
        // step holds the loop.
        let started = if self.tracer.is_on() {
            self.trace(|| TraceEvent::PollStart { task: id });
            Some((self.now_ms(), self.host.wall_ms()))
        } else {
            None
        };
        header.clear_awaiting();
        // The task is the one executing until the end of this call: during
        // its poll and as it ends (its awaiter is woken by it).
        let outer = self.polling.replace(Some(TaskRc::clone(&task)));
        let done = task.poll_future();
        increment(&self.counters.polls);
        if let Some(started) = started {
            self.trace(|| TraceEvent::PollEnd {
                task: id,
                ready: done,
            });
            self.check_slow_step(header, started);
        }
        if !done {
            self.keep_pending(&task);
        } else if header.cancel_requested.get() {
            // Cancelled during the step in which it returned: as in Python,
            // a `cancel()` that said yes is never followed by a result.
            task.drop_output();
            self.end_task(&task, Status::Cancelled);
        } else {
            self.end_task(&task, Status::Finished);
        }
        drop(self.polling.replace(outer));
    }

    /// Records a warning if the step that began at `(loop ms, wall ms)`
    /// held the loop past the slow-step threshold: by the loop's clock (a
    /// blocking sleep on the virtual clock) or the wall's (computation,
    /// which the virtual clock does not see).
    fn check_slow_step(&self, header: &TaskHeader, (loop_ms, wall_ms): (f64, f64)) {
        let held = (self.now_ms() - loop_ms).max(self.host.wall_ms() - wall_ms);
        if held < self.tracer.slow_step_ms() {
            return;
        }
        let task = header.id;
        self.trace(|| TraceEvent::Warning {
            task: Some(task),
            warning: WarningKind::SlowStep,
            message: format!(
                "{} held the loop for {} ms; nothing else could run",
                header.name(),
                held.round()
            ),
        });
    }

    /// Drops a task's future now and ends it as cancelled.
    pub(super) fn cancel_now(self: &Rc<Self>, task: &TaskRc) {
        let previous = self.executing.replace(Executing::Task(task.header.id));
        task.drop_future();
        self.end_task(task, Status::Cancelled);
        self.executing.set(previous);
    }

    pub(super) fn end_task(self: &Rc<Self>, task: &TaskRc, status: Status) {
        let header = &task.header;
        let key = header.key();
        if key != Key::DETACHED {
            let kept = self.state.borrow_mut().tasks.remove(key);
            // Not the last count (the caller holds one): no destructor runs.
            drop(kept);
        }
        self.live.set(self.live.get() - 1);
        let (join, has_callbacks) = header.end(status);
        if has_callbacks || self.tracer.is_on() || self.main.get() == Some(header.id) {
            self.announce_end(header, status, has_callbacks);
        }
        if let Some(waker) = join {
            waker.wake();
        }
    }

    /// What a task's end means beyond its awaiter: the trace, the end of the
    /// run if it is the main task, its done callbacks.
    #[cold]
    #[inline(never)]
    fn announce_end(self: &Rc<Self>, header: &TaskHeader, status: Status, has_callbacks: bool) {
        let id = header.id;
        self.trace(|| match status {
            Status::Cancelled => TraceEvent::TaskCancelled { task: id },
            _ => TraceEvent::TaskFinished { task: id },
        });
        if self.main.get() == Some(id) {
            // As Python's `run_until_complete`: a done callback of the main
            // task stops the loop, so what its last step made ready (tasks
            // it created, callbacks it queued, other done callbacks) still
            // runs before the run returns.
            let core = Rc::downgrade(self);
            self.call_soon(Box::new(move || {
                if let Some(core) = core.upgrade() {
                    core.stop();
                }
            }));
        }
        // Done callbacks are usually added before anyone awaits the task,
        // so, as in Python, they run before the awaiter resumes.
        if has_callbacks {
            let info = header.info();
            for callback in header.take_done_callbacks() {
                let info = info.clone();
                self.call_soon(Box::new(move || callback(&info)));
            }
        }
    }
}
