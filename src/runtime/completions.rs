//! The order in which a combinator's children finish.
//!
//! Each child is polled with its own waker, which, when woken, records the
//! child's index and wakes the combinator. The combinator then looks only at
//! the children that were woken, in the order they were woken, which is the
//! order they finished in (a task's join waker is woken when it ends).
//!
//! # Invariants
//! - An index is queued at most once until it is taken again, so a child
//!   woken repeatedly is looked at once per `pop`.
//! - Indices of children that did not actually end (a spurious wake) are
//!   harmless: the combinator polls the child, finds it pending, moves on.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::task::{Wake, Waker};

#[derive(Debug, Default)]
struct Shared {
    queue: Mutex<Queue>,
}

#[derive(Debug, Default)]
struct Queue {
    woken: VecDeque<usize>,
    queued: Vec<bool>,
    parent: Option<Waker>,
}

#[derive(Debug)]
struct ChildWaker {
    index: usize,
    shared: Arc<Shared>,
}

impl Wake for ChildWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let parent = match self.shared.queue.lock() {
            Ok(mut queue) => {
                if let Some(flag) = queue.queued.get_mut(self.index) {
                    if !*flag {
                        *flag = true;
                        queue.woken.push_back(self.index);
                    }
                }
                queue.parent.clone()
            }
            Err(_) => None,
        };
        if let Some(parent) = parent {
            parent.wake();
        }
    }
}

/// Finishing order of `len` children.
#[derive(Debug)]
pub(crate) struct Completions {
    shared: Arc<Shared>,
    wakers: Vec<Waker>,
}

impl Completions {
    pub(crate) fn new(len: usize) -> Self {
        let shared = Arc::new(Shared::default());
        if let Ok(mut queue) = shared.queue.lock() {
            queue.queued = vec![false; len];
        }
        let wakers = (0..len)
            .map(|index| {
                Waker::from(Arc::new(ChildWaker {
                    index,
                    shared: Arc::clone(&shared),
                }))
            })
            .collect();
        Self { shared, wakers }
    }

    /// The waker to poll child `index` with.
    pub(crate) fn waker(&self, index: usize) -> &Waker {
        &self.wakers[index]
    }

    /// Remembers who to wake when a child is woken.
    pub(crate) fn set_parent(&self, waker: &Waker) {
        if let Ok(mut queue) = self.shared.queue.lock() {
            match &queue.parent {
                Some(old) if old.will_wake(waker) => {}
                _ => queue.parent = Some(waker.clone()),
            }
        }
    }

    /// The next child woken, in the order they were woken.
    pub(crate) fn pop(&self) -> Option<usize> {
        let mut queue = self.shared.queue.lock().ok()?;
        let index = queue.woken.pop_front()?;
        if let Some(flag) = queue.queued.get_mut(index) {
            *flag = false;
        }
        Some(index)
    }
}
