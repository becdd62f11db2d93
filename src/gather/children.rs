//! The children of a gather, and the order they end in.
//!
//! # Invariants
//! - Each child is polled with its own waker from [`Completions`], so after
//!   the first poll only the children that were woken are looked at, in the
//!   order they were woken: the order in which they ended. A failure is
//!   therefore reported by whichever child failed first, not by position.
//! - Dropping the children before they were all collected (the gather was
//!   dropped unfinished: its awaiting task was cancelled) cancels every
//!   child still running.

use std::fmt;
use std::task::{Context, Poll, Waker};

use crate::error::Cancelled;
use crate::runtime::completions::Completions;
use crate::task::{IntoTask, Task};

/// One child: its input until first polled, then its task until it ends,
/// then its outcome.
#[doc(hidden)]
pub struct Slot<X: IntoTask> {
    input: Option<X>,
    task: Option<Task<X::Output>>,
    outcome: Option<Result<X::Output, Cancelled>>,
}

// Inputs are moved into tasks unpolled and outputs are plain values, so
// nothing in a slot is ever pinned: every gather future may move freely.
impl<X: IntoTask> Unpin for Slot<X> {}

impl<X: IntoTask> fmt::Debug for Slot<X> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Slot")
            .field("ended", &self.outcome.is_some())
            .finish()
    }
}

impl<X: IntoTask> Slot<X> {
    pub(crate) fn new(input: X) -> Self {
        Slot {
            input: Some(input),
            task: None,
            outcome: None,
        }
    }

    /// Makes the child's task, if not made yet.
    pub(crate) fn start(&mut self) {
        if let Some(input) = self.input.take() {
            self.task = Some(input.into_task());
        }
    }

    /// Polls the child with `waker`, making its task first if needed; true
    /// if it ended in this poll (false while running, and once collected).
    pub(crate) fn poll_ended(&mut self, waker: &Waker) -> bool {
        self.start();
        let Some(task) = self.task.as_mut() else {
            return false;
        };
        match task.poll_join(&mut Context::from_waker(waker)) {
            Poll::Ready(outcome) => {
                self.task = None;
                self.outcome = Some(outcome);
                true
            }
            Poll::Pending => false,
        }
    }

    pub(crate) fn outcome(&self) -> Option<&Result<X::Output, Cancelled>> {
        self.outcome.as_ref()
    }

    pub(crate) fn cancelled(&self) -> Option<&Cancelled> {
        match &self.outcome {
            Some(Err(cancelled)) => Some(cancelled),
            _ => None,
        }
    }

    pub(crate) fn cancel(&self) {
        if let Some(task) = &self.task {
            task.cancel();
        }
    }

    pub(crate) fn take(&mut self) -> Option<Result<X::Output, Cancelled>> {
        self.outcome.take()
    }
}

/// A fixed set of slots: a `Vec` for the list forms, a tuple for `gather!`.
#[doc(hidden)]
pub trait SlotSet {
    /// How many children.
    fn count(&self) -> usize;
    /// Makes every child's task, in argument order.
    fn start_all(&mut self);
    /// Polls child `index`; true if it ended in this poll.
    fn poll_slot(&mut self, index: usize, waker: &Waker) -> bool;
    /// Cancels every child still running.
    fn cancel_running(&self);
}

impl<X: IntoTask> SlotSet for Vec<Slot<X>> {
    fn count(&self) -> usize {
        self.len()
    }

    fn start_all(&mut self) {
        for slot in self {
            slot.start();
        }
    }

    fn poll_slot(&mut self, index: usize, waker: &Waker) -> bool {
        self.get_mut(index)
            .is_some_and(|slot| slot.poll_ended(waker))
    }

    fn cancel_running(&self) {
        for slot in self {
            slot.cancel();
        }
    }
}

/// The children and the order they ended in.
pub(crate) struct Children<S: SlotSet> {
    pub(crate) slots: S,
    completions: Option<Completions>,
    ended: usize,
    finished: bool,
}

impl<S: SlotSet> Children<S> {
    pub(crate) fn new(slots: S) -> Self {
        Children {
            slots,
            completions: None,
            ended: 0,
            finished: false,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.slots.count()
    }

    /// Polls the children that may have ended and calls `on_end` with each
    /// that did, in the order they ended. Stops early with `Break(index)`
    /// when `on_end` says so; `Ready` once all have ended.
    pub(crate) fn poll(
        &mut self,
        cx: &mut Context<'_>,
        mut on_end: impl FnMut(&S, usize) -> bool,
    ) -> Progress {
        if self.finished {
            return Progress::Pending;
        }
        let len = self.slots.count();
        let completions = match &self.completions {
            Some(completions) => completions,
            None => {
                // First poll: every child becomes a task, in argument
                // order, before any is looked at (as Python's gather wraps
                // them all up front), so an early end cannot keep the later
                // ones from starting.
                self.slots.start_all();
                let completions = self.completions.insert(Completions::new(len));
                completions.set_parent(cx.waker());
                for index in 0..len {
                    if self.slots.poll_slot(index, completions.waker(index)) {
                        self.ended += 1;
                        if on_end(&self.slots, index) {
                            return Progress::Break(index);
                        }
                    }
                }
                return if self.ended == len {
                    Progress::Ready
                } else {
                    Progress::Pending
                };
            }
        };
        completions.set_parent(cx.waker());
        while let Some(index) = completions.pop() {
            if self.slots.poll_slot(index, completions.waker(index)) {
                self.ended += 1;
                if on_end(&self.slots, index) {
                    return Progress::Break(index);
                }
            }
        }
        if self.ended >= len {
            Progress::Ready
        } else {
            Progress::Pending
        }
    }

    /// Marks the gather complete: dropping it no longer cancels anything.
    pub(crate) fn finish(&mut self) {
        self.finished = true;
    }

    pub(crate) fn cancel_running(&self) {
        self.slots.cancel_running();
    }
}

impl<S: SlotSet> Drop for Children<S> {
    fn drop(&mut self) {
        if !self.finished {
            self.slots.cancel_running();
        }
    }
}

/// What polling the children found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Progress {
    Pending,
    /// `on_end` stopped at this child.
    Break(usize),
    Ready,
}
