//! The handle types of the queues that differ from [`Queue`](crate::Queue)
//! only in their order: `LifoQueue` and `PriorityQueue`.
//!
//! Each is a handle to a [`QueueCore`] made with its [`Store`]; every
//! method is the core's, documented by reference to `Queue`'s, with
//! examples that show the queue's own order. One macro writes both, so
//! the two cannot drift apart.

use std::fmt;
use std::rc::Rc;

use super::core::QueueCore;
use super::error::{QueueEmpty, QueueFull, TaskDoneError};
use super::futures::{QueueGet, QueueJoin, QueuePut};
use super::order::Store;

/// Writes one ordered queue type: its struct, `Clone`, `Debug`, `Default`,
/// `new` (with `$store` and the bound `$($bound)*` on `T`) and the methods
/// every queue has. `$which` names the item `get` takes ("newest"); the
/// examples put 1, 3, 2 and expect `$first` from `get` and `$order` from
/// draining with `get_nowait`.
macro_rules! ordered_queue {
    (
        $(#[$meta:meta])*
        $name:ident, [$($bound:tt)*], $store:expr,
        which: $which:literal, first: $first:literal, order: $order:literal
    ) => {
        $(#[$meta])*
        pub struct $name<T> {
            core: Rc<QueueCore<T>>,
        }

        impl<T> Clone for $name<T> {
            fn clone(&self) -> Self {
                $name {
                    core: Rc::clone(&self.core),
                }
            }
        }

        impl<T> fmt::Debug for $name<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.core.fmt_as(stringify!($name), f)
            }
        }

        impl<T: $($bound)*> Default for $name<T> {
            fn default() -> Self {
                $name::new(0)
            }
        }

        impl<T: $($bound)*> $name<T> {
            /// A queue holding at most `maxsize` items; 0 means no bound.
            ///
            /// # Examples
            /// ```
            #[doc = concat!("let queue = asyncio::", stringify!($name), "::<u8>::new(2);")]
            /// assert_eq!(queue.maxsize(), 2);
            /// ```
            pub fn new(maxsize: usize) -> $name<T> {
                $name {
                    core: QueueCore::new($store, maxsize),
                }
            }
        }

        impl<T> $name<T> {
            /// Puts `item`, first waiting for room if the queue is full, as
            /// [`Queue::put`](crate::Queue::put).
            ///
            /// # Examples
            /// ```
            /// let lp = asyncio::EventLoop::virtual_clock();
            /// lp.run_until_complete(async {
            #[doc = concat!("    let queue = asyncio::", stringify!($name), "::new(0);")]
            ///     queue.put(1).await;
            ///     assert_eq!(queue.qsize(), 1);
            /// })
            /// .block()
            /// .unwrap();
            /// ```
            pub fn put(&self, item: T) -> QueuePut<T> {
                self.core.put(item)
            }

            #[doc = concat!("Takes the ", $which, " item, first waiting for one if the queue is")]
            /// empty, as [`Queue::get`](crate::Queue::get).
            ///
            /// # Examples
            /// ```
            /// let lp = asyncio::EventLoop::virtual_clock();
            /// lp.run_until_complete(async {
            #[doc = concat!("    let queue = asyncio::", stringify!($name), "::new(0);")]
            ///     for item in [1, 3, 2] {
            ///         queue.put_nowait(item).unwrap();
            ///     }
            #[doc = concat!("    assert_eq!(queue.get().await, ", $first, ");")]
            /// })
            /// .block()
            /// .unwrap();
            /// ```
            pub fn get(&self) -> QueueGet<T> {
                self.core.get()
            }

            /// Puts `item` if there is room.
            ///
            /// # Errors
            /// [`QueueFull`], holding the item, if the queue is full.
            ///
            /// # Examples
            /// ```
            #[doc = concat!("let queue = asyncio::", stringify!($name), "::new(1);")]
            /// queue.put_nowait(1).unwrap();
            /// assert_eq!(queue.put_nowait(2), Err(asyncio::QueueFull(2)));
            /// ```
            pub fn put_nowait(&self, item: T) -> Result<(), QueueFull<T>> {
                self.core.put_nowait(item)
            }

            #[doc = concat!("Takes the ", $which, " item if there is one.")]
            ///
            /// # Errors
            /// [`QueueEmpty`] if no item is there to take.
            ///
            /// # Examples
            /// ```
            #[doc = concat!("let queue = asyncio::", stringify!($name), "::new(0);")]
            /// for item in [1, 3, 2] {
            ///     queue.put_nowait(item).unwrap();
            /// }
            /// let order: Vec<_> = std::iter::from_fn(|| queue.get_nowait().ok()).collect();
            #[doc = concat!("assert_eq!(order, ", $order, ");")]
            /// ```
            pub fn get_nowait(&self) -> Result<T, QueueEmpty> {
                self.core.get_nowait()
            }

            /// Marks one item taken from the queue as processed, as
            /// [`Queue::task_done`](crate::Queue::task_done).
            ///
            /// # Errors
            /// [`TaskDoneError`] if called more times than items were put.
            ///
            /// # Examples
            /// ```
            #[doc = concat!("let queue = asyncio::", stringify!($name), "::<u8>::new(0);")]
            /// assert!(queue.task_done().is_err());
            /// ```
            pub fn task_done(&self) -> Result<(), TaskDoneError> {
                self.core.task_done()
            }

            /// Waits until every item put has been marked done, as
            /// [`Queue::join`](crate::Queue::join).
            ///
            /// # Examples
            /// ```
            /// let lp = asyncio::EventLoop::virtual_clock();
            /// lp.run_until_complete(async {
            #[doc = concat!("    let queue = asyncio::", stringify!($name), "::new(0);")]
            ///     queue.put_nowait(1).unwrap();
            ///     queue.get_nowait().unwrap();
            ///     queue.task_done().unwrap();
            ///     queue.join().await;
            /// })
            /// .block()
            /// .unwrap();
            /// ```
            pub fn join(&self) -> QueueJoin<T> {
                self.core.join()
            }

            /// How many items wait to be taken, as
            /// [`Queue::qsize`](crate::Queue::qsize).
            ///
            /// # Examples
            /// ```
            #[doc = concat!("let queue = asyncio::", stringify!($name), "::new(0);")]
            /// queue.put_nowait(1).unwrap();
            /// assert_eq!(queue.qsize(), 1);
            /// ```
            pub fn qsize(&self) -> usize {
                self.core.qsize()
            }

            /// Whether no item waits to be taken.
            ///
            /// # Examples
            /// ```
            #[doc = concat!("assert!(asyncio::", stringify!($name), "::<u8>::new(0).empty());")]
            /// ```
            pub fn empty(&self) -> bool {
                self.core.qsize() == 0
            }

            /// Whether there is no room. Never true for an unbounded queue.
            ///
            /// # Examples
            /// ```
            #[doc = concat!("let queue = asyncio::", stringify!($name), "::new(1);")]
            /// queue.put_nowait(1).unwrap();
            /// assert!(queue.full());
            /// ```
            pub fn full(&self) -> bool {
                self.core.full()
            }

            /// The bound given to `new`; 0 means none.
            ///
            /// # Examples
            /// ```
            #[doc = concat!("assert_eq!(asyncio::", stringify!($name), "::<u8>::new(0).maxsize(), 0);")]
            /// ```
            pub fn maxsize(&self) -> usize {
                self.core.maxsize()
            }
        }
    };
}

ordered_queue! {
    /// A last-in first-out queue for tasks (Python's `asyncio.LifoQueue`): `get`
    /// takes the newest item.
    ///
    /// # Examples
    /// ```
    /// let lp = asyncio::EventLoop::virtual_clock();
    /// lp.run_until_complete(async {
    ///     let stack = asyncio::LifoQueue::new(0);
    ///     for page in ["home", "docs", "api"] {
    ///         stack.put(page).await;
    ///     }
    ///     assert_eq!(stack.get().await, "api");
    ///     assert_eq!(stack.get().await, "docs");
    /// })
    /// .block()
    /// .unwrap();
    /// ```
    LifoQueue, [Sized], Store::lifo(),
    which: "newest", first: "2", order: "[2, 3, 1]"
}

ordered_queue! {
    /// A smallest-first queue for tasks (Python's `asyncio.PriorityQueue`): `get`
    /// takes the smallest item. Put `(priority, item)` tuples to order by
    /// priority; items that compare equal come out in the order they were put.
    ///
    /// # Examples
    /// ```
    /// let lp = asyncio::EventLoop::virtual_clock();
    /// lp.run_until_complete(async {
    ///     let jobs = asyncio::PriorityQueue::new(0);
    ///     jobs.put((2, "later")).await;
    ///     jobs.put((0, "urgent")).await;
    ///     jobs.put((1, "soon")).await;
    ///     assert_eq!(jobs.get().await, (0, "urgent"));
    ///     assert_eq!(jobs.get().await, (1, "soon"));
    /// })
    /// .block()
    /// .unwrap();
    /// ```
    PriorityQueue, [Ord], Store::smallest_first(),
    which: "smallest", first: "1", order: "[1, 2, 3]"
}
