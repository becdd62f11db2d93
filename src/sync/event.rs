//! `Event`: a flag tasks can wait for (Python's `asyncio.Event`).
//!
//! # Invariants
//! - While the flag is set, no waiter is waiting: [`Event::set`] notifies
//!   every waiting waiter at once, and a wait that starts on a set flag
//!   returns without queueing.
//! - A notified wait completes when next polled whatever the flag is by
//!   then: `set(); clear()` still releases everyone who was waiting, as in
//!   CPython.
//! - A wait dropped at any point only removes itself: a notification is
//!   never owed to anyone else, since `set` wakes all.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::wait_list::{wake_all, Standing, WaitList, WaiterKey};
use crate::runtime::context;
use crate::trace::WaitReason;

#[derive(Debug, Default)]
struct EventState {
    set: bool,
    waiters: WaitList,
}

/// A flag that tasks wait for (Python's `asyncio.Event`).
///
/// [`set`](Event::set) raises the flag and releases every waiting task;
/// [`clear`](Event::clear) lowers it; [`wait`](Event::wait) waits until it
/// is raised. Clones are handles to the same event, so one event can be
/// shared by many `'static` tasks.
///
/// # Examples
/// ```
/// use asyncio::{create_task, sleep, Event};
/// use std::time::Duration;
///
/// let lp = asyncio::EventLoop::virtual_clock();
/// lp.run_until_complete(async {
///     let ready = Event::new();
///     let waiter = {
///         let ready = ready.clone();
///         create_task(async move {
///             ready.wait().await;
///             asyncio::get_running_loop().unwrap().time()
///         })
///     };
///     sleep(Duration::from_secs(2)).await;
///     ready.set();
///     assert_eq!(waiter.await, Ok(2.0));
/// })
/// .block()
/// .unwrap();
/// ```
#[derive(Clone, Default)]
pub struct Event {
    state: Rc<RefCell<EventState>>,
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.state.try_borrow() {
            Ok(state) => f
                .debug_struct("Event")
                .field("set", &state.set)
                .field("waiters", &state.waiters.len())
                .finish(),
            Err(_) => f.debug_struct("Event").finish_non_exhaustive(),
        }
    }
}

impl Event {
    /// A new event, not set.
    ///
    /// # Examples
    /// ```
    /// let event = asyncio::Event::new();
    /// assert!(!event.is_set());
    /// ```
    pub fn new() -> Event {
        Event::default()
    }

    /// Sets the flag and wakes every task waiting for it. Waits that start
    /// while the flag is set return at once. Setting a set event does
    /// nothing.
    ///
    /// # Examples
    /// ```
    /// use asyncio::{create_task, yield_now, Event};
    ///
    /// let lp = asyncio::EventLoop::virtual_clock();
    /// lp.run_until_complete(async {
    ///     let event = Event::new();
    ///     let waiters: Vec<_> = (0..3)
    ///         .map(|_| {
    ///             let event = event.clone();
    ///             create_task(async move { event.wait().await })
    ///         })
    ///         .collect();
    ///     yield_now().await; // all three wait
    ///     event.set();
    ///     for waiter in waiters {
    ///         waiter.await.unwrap();
    ///     }
    /// })
    /// .block()
    /// .unwrap();
    /// ```
    pub fn set(&self) {
        let wakers = {
            let mut state = self.state.borrow_mut();
            state.set = true;
            state.waiters.notify_all()
        };
        wake_all(wakers);
    }

    /// Lowers the flag: later waits wait for the next [`set`](Event::set).
    /// Tasks already released by a `set` still complete.
    ///
    /// # Examples
    /// ```
    /// let event = asyncio::Event::new();
    /// event.set();
    /// event.clear();
    /// assert!(!event.is_set());
    /// ```
    pub fn clear(&self) {
        self.state.borrow_mut().set = false;
    }

    /// Whether the flag is set.
    ///
    /// # Examples
    /// ```
    /// let event = asyncio::Event::new();
    /// event.set();
    /// assert!(event.is_set());
    /// ```
    pub fn is_set(&self) -> bool {
        self.state.borrow().set
    }

    /// Waits until the flag is set; returns at once if it is already.
    ///
    /// The wait joins the queue when first polled. Dropping it (for
    /// example by cancelling its task) removes it from the queue.
    ///
    /// # Examples
    /// ```
    /// let lp = asyncio::EventLoop::virtual_clock();
    /// lp.run_until_complete(async {
    ///     let event = asyncio::Event::new();
    ///     event.set();
    ///     event.wait().await; // already set: no wait
    /// })
    /// .block()
    /// .unwrap();
    /// ```
    pub fn wait(&self) -> EventWait {
        EventWait {
            event: self.clone(),
            waiter: None,
            done: false,
        }
    }
}

/// The future returned by [`Event::wait`].
#[must_use = "futures do nothing unless awaited"]
pub struct EventWait {
    event: Event,
    waiter: Option<WaiterKey>,
    done: bool,
}

impl fmt::Debug for EventWait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventWait")
            .field("queued", &self.waiter.is_some())
            .field("done", &self.done)
            .finish()
    }
}

impl Future for EventWait {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.done {
            return Poll::Ready(());
        }
        let first_wait = {
            let this = &mut *self;
            let mut state = this.event.state.borrow_mut();
            let standing = match this.waiter {
                Some(key) => state.waiters.standing(key, cx.waker()),
                None => Standing::Absent,
            };
            match standing {
                Standing::Notified => {
                    if let Some(key) = this.waiter.take() {
                        state.waiters.remove(key);
                    }
                    this.done = true;
                    return Poll::Ready(());
                }
                Standing::Waiting => false,
                Standing::Absent if state.set => {
                    this.waiter = None;
                    this.done = true;
                    return Poll::Ready(());
                }
                Standing::Absent => {
                    this.waiter = Some(state.waiters.push(cx.waker().clone()));
                    true
                }
            }
        };
        if first_wait {
            context::note_wait(WaitReason::Event);
        }
        Poll::Pending
    }
}

impl Drop for EventWait {
    fn drop(&mut self) {
        if let Some(key) = self.waiter.take() {
            if let Ok(mut state) = self.event.state.try_borrow_mut() {
                state.waiters.remove(key);
            }
        }
    }
}
