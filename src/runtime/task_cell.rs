//! The task cell: one allocation holding a task's header, its future and,
//! once it ends, its output.
//!
//! # State
//! A task is in exactly one [`Status`]:
//! - `Pending`: its future is alive in [`Stage::Running`]. It may be
//!   `queued` (in the ready queue, at most once) and may have
//!   `cancel_requested`, in which case the loop drops the future at the
//!   task's next turn instead of polling it.
//! - `Finished`: the future returned; its output waits in
//!   [`Stage::Finished`] until a [`Task`](crate::Task) handle takes it.
//! - `Cancelled`: the future was dropped in place (its destructors ran).
//!
//! # Invariants
//! - The future is pinned: it lives inside the `Rc` allocation and is only
//!   ever dropped in place (by assigning a new stage), never moved.
//! - `stage` is borrowed mutably only while polling or ending the task, and
//!   the loop never polls a task from inside that task's own poll.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Weak;
use std::task::{Context, Poll, Waker};

use super::core::LoopCore;
use super::slab::Key;
use crate::error::Cancelled;
use crate::task::TaskInfo;
use crate::trace::TaskId;

/// Where a task is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Pending,
    Finished,
    Cancelled,
}

type DoneCallback = Box<dyn FnOnce(&TaskInfo)>;

/// The type-independent part of a task.
pub(crate) struct TaskHeader {
    pub(crate) id: TaskId,
    pub(crate) key: Key,
    pub(crate) core: Weak<LoopCore>,
    pub(crate) waker: Waker,
    name: RefCell<Option<String>>,
    status: Cell<Status>,
    pub(crate) queued: Cell<bool>,
    pub(crate) cancel_requested: Cell<bool>,
    cancel_message: RefCell<Option<String>>,
    join_waker: RefCell<Option<Waker>>,
    done_callbacks: RefCell<Vec<DoneCallback>>,
}

impl fmt::Debug for TaskHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskHeader")
            .field("id", &self.id)
            .field("status", &self.status.get())
            .field("queued", &self.queued.get())
            .field("cancel_requested", &self.cancel_requested.get())
            .finish_non_exhaustive()
    }
}

impl TaskHeader {
    pub(crate) fn new(id: TaskId, key: Key, core: Weak<LoopCore>, waker: Waker) -> Self {
        Self {
            id,
            key,
            core,
            waker,
            name: RefCell::new(None),
            status: Cell::new(Status::Pending),
            queued: Cell::new(false),
            cancel_requested: Cell::new(false),
            cancel_message: RefCell::new(None),
            join_waker: RefCell::new(None),
            done_callbacks: RefCell::new(Vec::new()),
        }
    }

    pub(crate) fn status(&self) -> Status {
        self.status.get()
    }

    pub(crate) fn name(&self) -> String {
        match &*self.name.borrow() {
            Some(name) => name.clone(),
            None => self.id.to_string(),
        }
    }

    pub(crate) fn set_name(&self, name: String) {
        *self.name.borrow_mut() = Some(name);
    }

    pub(crate) fn set_cancel_message(&self, message: Option<String>) {
        *self.cancel_message.borrow_mut() = message;
    }

    pub(crate) fn cancelled_error(&self) -> Cancelled {
        Cancelled::with_message(self.cancel_message.borrow().clone())
    }

    pub(crate) fn info(&self) -> TaskInfo {
        TaskInfo {
            id: self.id,
            name: self.name(),
            cancelled: self.status.get() == Status::Cancelled,
        }
    }

    pub(crate) fn register_join(&self, waker: &Waker) {
        let mut slot = self.join_waker.borrow_mut();
        match &mut *slot {
            Some(old) if old.will_wake(waker) => {}
            _ => *slot = Some(waker.clone()),
        }
    }

    pub(crate) fn add_done_callback(&self, callback: DoneCallback) {
        self.done_callbacks.borrow_mut().push(callback);
    }

    /// Marks the task ended; returns the join waker and the done callbacks
    /// for the loop to wake and schedule.
    pub(crate) fn end(&self, status: Status) -> (Option<Waker>, Vec<DoneCallback>) {
        self.status.set(status);
        self.queued.set(false);
        let waker = self.join_waker.borrow_mut().take();
        let callbacks = std::mem::take(&mut *self.done_callbacks.borrow_mut());
        (waker, callbacks)
    }
}

enum Stage<F: Future> {
    Running(F),
    Finished(Option<F::Output>),
    Cancelled,
}

/// A task: header, future and output in one allocation.
pub(crate) struct TaskCell<F: Future> {
    header: TaskHeader,
    stage: RefCell<Stage<F>>,
}

impl<F: Future> TaskCell<F> {
    pub(crate) fn new(header: TaskHeader, future: F) -> Self {
        Self {
            header,
            stage: RefCell::new(Stage::Running(future)),
        }
    }
}

/// What the loop needs of a task, whatever its future's type.
pub(crate) trait RawTask {
    fn header(&self) -> &TaskHeader;
    /// Polls the future once; returns true when it completed.
    fn poll_future(&self, cx: &mut Context<'_>) -> bool;
    /// Drops the future in place. Returns false if it was not running.
    fn drop_future(&self) -> bool;
}

impl<F: Future> RawTask for TaskCell<F> {
    fn header(&self) -> &TaskHeader {
        &self.header
    }

    fn poll_future(&self, cx: &mut Context<'_>) -> bool {
        let Ok(mut stage) = self.stage.try_borrow_mut() else {
            // Only reachable if a task's own poll re-enters the loop's poll
            // of the same task, which the loop never does.
            return false;
        };
        let Stage::Running(future) = &mut *stage else {
            return true;
        };
        // SAFETY: the future lives in this cell, inside an `Rc` allocation
        // that is never moved out of; it leaves `Stage::Running` only by
        // being dropped in place when the stage is overwritten below or in
        // `drop_future`. So it is never moved after this pin is created.
        let future = unsafe { Pin::new_unchecked(future) };
        match future.poll(cx) {
            Poll::Ready(output) => {
                *stage = Stage::Finished(Some(output));
                true
            }
            Poll::Pending => false,
        }
    }

    fn drop_future(&self) -> bool {
        let Ok(mut stage) = self.stage.try_borrow_mut() else {
            return false;
        };
        if matches!(*stage, Stage::Running(_)) {
            // Assignment drops the future in place: its destructors run now.
            *stage = Stage::Cancelled;
            true
        } else {
            false
        }
    }
}

/// What a [`Task`](crate::Task) handle needs, knowing only the output type.
pub(crate) trait JoinSource<T> {
    fn header(&self) -> &TaskHeader;
    /// Takes the output once the task has ended.
    fn poll_output(&self, cx: &mut Context<'_>) -> Poll<Result<T, Cancelled>>;
    /// Runs `f` on the output if it is there and not yet taken.
    fn peek_output(&self, f: &mut dyn FnMut(Option<&T>));
    /// The same task, seen without its output type.
    fn as_raw(self: std::rc::Rc<Self>) -> std::rc::Rc<dyn RawTask>;
    /// Ready once the task has ended; leaves the output in place.
    fn poll_ended(&self, cx: &mut Context<'_>) -> Poll<()> {
        if self.header().status() == Status::Pending {
            self.header().register_join(cx.waker());
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    }
}

impl<F: Future + 'static> JoinSource<F::Output> for TaskCell<F> {
    fn header(&self) -> &TaskHeader {
        &self.header
    }

    fn poll_output(&self, cx: &mut Context<'_>) -> Poll<Result<F::Output, Cancelled>> {
        match self.header.status() {
            Status::Pending => {
                self.header.register_join(cx.waker());
                Poll::Pending
            }
            Status::Cancelled => Poll::Ready(Err(self.header.cancelled_error())),
            Status::Finished => {
                let Ok(mut stage) = self.stage.try_borrow_mut() else {
                    self.header.register_join(cx.waker());
                    return Poll::Pending;
                };
                match &mut *stage {
                    Stage::Finished(output) => match output.take() {
                        Some(value) => Poll::Ready(Ok(value)),
                        // Already taken: a completed future polled again
                        // stays pending rather than panicking.
                        None => Poll::Pending,
                    },
                    _ => Poll::Pending,
                }
            }
        }
    }

    fn as_raw(self: std::rc::Rc<Self>) -> std::rc::Rc<dyn RawTask> {
        self
    }

    fn peek_output(&self, f: &mut dyn FnMut(Option<&F::Output>)) {
        match self.stage.try_borrow() {
            Ok(stage) => match &*stage {
                Stage::Finished(Some(output)) => f(Some(output)),
                _ => f(None),
            },
            Err(_) => f(None),
        }
    }
}
