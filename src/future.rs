//! A value that someone will set later (Python's `asyncio.Future`).
//!
//! # Invariants
//! - A future is set at most once: to a result, an exception, or cancelled.
//!   Later attempts are refused with [`FutureError::InvalidState`].
//! - Done callbacks run in the order added, before the tasks awaiting the
//!   future resume, each via `call_soon` of the
//!   loop that was running when the future was made (or, if that loop is
//!   gone, of the loop running when it completes; with no loop at all,
//!   at once).
//! - Every clone is the same future; every awaiter gets a clone of the
//!   outcome.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::{Future as StdFuture, IntoFuture};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use crate::error::{Cancelled, FutureError};
use crate::runtime::callbacks::CallbackQueue;
use crate::runtime::context;
use crate::runtime::slab::{Key, Slab};
use crate::trace::WaitReason;

enum State<T, E> {
    Pending,
    Result(T),
    Exception(E),
    Cancelled(Cancelled),
}

type DoneCallback<T, E> = Box<dyn FnOnce(&Future<T, E>)>;

struct Shared<T, E> {
    state: RefCell<State<T, E>>,
    waiters: RefCell<Slab<Waker>>,
    callbacks: RefCell<Vec<(u64, DoneCallback<T, E>)>>,
    next_callback: Cell<u64>,
    home: Option<CallbackQueue>,
}

/// Identifies a callback added with [`Future::add_done_callback`], for
/// [`Future::remove_done_callback`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CallbackId(u64);

/// A value that will be set later, by whoever holds a clone (Python's
/// `asyncio.Future`). Awaiting it (`(&fut).await` or `fut.clone().await`)
/// gives a clone of the result, the exception, or the cancellation.
///
/// # Examples
/// ```
/// use std::time::Duration;
/// use asyncio::{Future, FutureError};
///
/// let lp = asyncio::EventLoop::virtual_clock();
/// let lp2 = lp.clone();
/// let value = lp
///     .run_until_complete(async move {
///         let fut: Future<i32, String> = Future::new();
///         assert_eq!(fut.result(), Err(FutureError::InvalidState));
///         let setter = fut.clone();
///         lp2.call_later(Duration::from_secs(1), move || {
///             let _ = setter.set_result(42);
///         });
///         (&fut).await
///     })
///     .block()
///     .unwrap();
/// assert_eq!(value, Ok(42));
/// assert_eq!(lp.time(), 1.0);
/// ```
pub struct Future<T, E> {
    shared: Rc<Shared<T, E>>,
}

impl<T, E> Clone for Future<T, E> {
    fn clone(&self) -> Self {
        Future {
            shared: Rc::clone(&self.shared),
        }
    }
}

impl<T: 'static, E: 'static> Default for Future<T, E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: 'static, E: 'static> Future<T, E> {
    /// A pending future, belonging to the running loop if there is one.
    pub fn new() -> Self {
        Future {
            shared: Rc::new(Shared {
                state: RefCell::new(State::Pending),
                waiters: RefCell::new(Slab::default()),
                callbacks: RefCell::new(Vec::new()),
                next_callback: Cell::new(0),
                home: CallbackQueue::running(),
            }),
        }
    }

    /// Whether it has a result, an exception, or was cancelled.
    pub fn done(&self) -> bool {
        !matches!(*self.shared.state.borrow(), State::Pending)
    }

    /// Whether it was cancelled.
    pub fn cancelled(&self) -> bool {
        matches!(*self.shared.state.borrow(), State::Cancelled(_))
    }

    /// Sets the result and schedules the done callbacks.
    ///
    /// # Errors
    /// [`FutureError::InvalidState`] if already done; the value is dropped.
    pub fn set_result(&self, value: T) -> Result<(), FutureError<E>> {
        self.complete(State::Result(value))
    }

    /// Sets an exception and schedules the done callbacks.
    ///
    /// # Errors
    /// [`FutureError::InvalidState`] if already done.
    pub fn set_exception(&self, err: E) -> Result<(), FutureError<E>> {
        self.complete(State::Exception(err))
    }

    /// Cancels the future and schedules the done callbacks; returns `false`,
    /// doing nothing, if it was already done.
    pub fn cancel(&self) -> bool {
        self.complete(State::Cancelled(Cancelled::new())).is_ok()
    }

    fn complete(&self, outcome: State<T, E>) -> Result<(), FutureError<E>> {
        {
            let mut state = self.shared.state.borrow_mut();
            if !matches!(*state, State::Pending) {
                return Err(FutureError::InvalidState);
            }
            *state = outcome;
        }
        // Callbacks first, then awaiters: callbacks are usually added before
        // anyone awaits, and Python runs them in the order they came.
        let callbacks = std::mem::take(&mut *self.shared.callbacks.borrow_mut());
        for (_, callback) in callbacks {
            self.schedule(callback);
        }
        let waiters = self.shared.waiters.borrow_mut().drain();
        for waker in waiters {
            waker.wake();
        }
        Ok(())
    }

    fn schedule(&self, callback: DoneCallback<T, E>) {
        let queue = self
            .shared
            .home
            .clone()
            .filter(CallbackQueue::is_open)
            .or_else(CallbackQueue::running);
        let fut = self.clone();
        let callback: Box<dyn FnOnce()> = Box::new(move || callback(&fut));
        // With no open loop at all, it runs at once.
        let refused = match queue {
            Some(queue) => queue.call_soon(callback).err(),
            None => Some(callback),
        };
        if let Some(callback) = refused {
            callback();
        }
    }

    /// Runs `callback` with the future once it is done (soon, via the loop,
    /// if it already is). Callbacks run in the order added.
    pub fn add_done_callback(&self, callback: impl FnOnce(&Future<T, E>) + 'static) -> CallbackId {
        let id = self.shared.next_callback.get();
        self.shared.next_callback.set(id + 1);
        if self.done() {
            self.schedule(Box::new(callback));
        } else {
            self.shared
                .callbacks
                .borrow_mut()
                .push((id, Box::new(callback)));
        }
        CallbackId(id)
    }

    /// Removes a callback that has not been scheduled yet; returns whether
    /// it was there.
    pub fn remove_done_callback(&self, id: CallbackId) -> bool {
        let mut callbacks = self.shared.callbacks.borrow_mut();
        let before = callbacks.len();
        callbacks.retain(|(callback_id, _)| *callback_id != id.0);
        callbacks.len() != before
    }
}

impl<T: Clone, E: Clone> Future<T, E> {
    /// The result (Python's `future.result()`).
    ///
    /// # Errors
    /// [`FutureError::InvalidState`] if not done, [`FutureError::Cancelled`]
    /// if cancelled, [`FutureError::Exception`] with the exception if one
    /// was set.
    pub fn result(&self) -> Result<T, FutureError<E>> {
        match &*self.shared.state.borrow() {
            State::Pending => Err(FutureError::InvalidState),
            State::Result(value) => Ok(value.clone()),
            State::Exception(err) => Err(FutureError::Exception(err.clone())),
            State::Cancelled(cancelled) => Err(FutureError::Cancelled(cancelled.clone())),
        }
    }

    /// The exception, or `None` if the future has a result (Python's
    /// `future.exception()`).
    ///
    /// # Errors
    /// [`FutureError::InvalidState`] if not done, [`FutureError::Cancelled`]
    /// if cancelled.
    pub fn exception(&self) -> Result<Option<E>, FutureError<E>> {
        match &*self.shared.state.borrow() {
            State::Pending => Err(FutureError::InvalidState),
            State::Result(_) => Ok(None),
            State::Exception(err) => Ok(Some(err.clone())),
            State::Cancelled(cancelled) => Err(FutureError::Cancelled(cancelled.clone())),
        }
    }
}

impl<T: fmt::Debug, E: fmt::Debug> fmt::Display for Future<T, E> {
    /// Python's repr: `<Future pending>`, `<Future finished result=42>`,
    /// `<Future finished exception="boom">`, `<Future cancelled>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.shared.state.borrow() {
            State::Pending => f.write_str("<Future pending>"),
            State::Result(value) => write!(f, "<Future finished result={value:?}>"),
            State::Exception(err) => write!(f, "<Future finished exception={err:?}>"),
            State::Cancelled(_) => f.write_str("<Future cancelled>"),
        }
    }
}

impl<T, E> fmt::Debug for Future<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &*self.shared.state.borrow() {
            State::Pending => "pending",
            State::Result(_) => "finished",
            State::Exception(_) => "failed",
            State::Cancelled(_) => "cancelled",
        };
        f.debug_struct("Future").field("state", &state).finish()
    }
}

/// Awaiting a [`Future`]: the future returned by `(&fut).into_future()`.
#[must_use = "futures do nothing unless awaited"]
pub struct FutureWait<T, E> {
    shared: Rc<Shared<T, E>>,
    slot: Option<Key>,
}

impl<T, E> fmt::Debug for FutureWait<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FutureWait")
            .field("registered", &self.slot.is_some())
            .finish()
    }
}

impl<T: Clone, E: Clone> StdFuture for FutureWait<T, E> {
    type Output = Result<T, FutureError<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let outcome = match &*self.shared.state.borrow() {
            State::Pending => None,
            State::Result(value) => Some(Ok(value.clone())),
            State::Exception(err) => Some(Err(FutureError::Exception(err.clone()))),
            State::Cancelled(cancelled) => Some(Err(FutureError::Cancelled(cancelled.clone()))),
        };
        if let Some(outcome) = outcome {
            self.slot = None;
            return Poll::Ready(outcome);
        }
        let mut waiters = self.shared.waiters.borrow_mut();
        match self.slot.and_then(|key| waiters.get_mut(key)) {
            Some(waker) => waker.clone_from(cx.waker()),
            None => {
                let key = waiters.insert(cx.waker().clone());
                drop(waiters);
                self.slot = Some(key);
                context::note_wait(WaitReason::Future);
            }
        }
        Poll::Pending
    }
}

impl<T, E> Drop for FutureWait<T, E> {
    fn drop(&mut self) {
        if let Some(key) = self.slot.take() {
            if let Ok(mut waiters) = self.shared.waiters.try_borrow_mut() {
                waiters.remove(key);
            }
        }
    }
}

impl<T: Clone, E: Clone> IntoFuture for &Future<T, E> {
    type Output = Result<T, FutureError<E>>;
    type IntoFuture = FutureWait<T, E>;

    fn into_future(self) -> FutureWait<T, E> {
        FutureWait {
            shared: Rc::clone(&self.shared),
            slot: None,
        }
    }
}

impl<T: Clone, E: Clone> IntoFuture for Future<T, E> {
    type Output = Result<T, FutureError<E>>;
    type IntoFuture = FutureWait<T, E>;

    fn into_future(self) -> FutureWait<T, E> {
        FutureWait {
            shared: self.shared,
            slot: None,
        }
    }
}
