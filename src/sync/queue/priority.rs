//! `PriorityQueue`: a smallest-first queue between tasks (Python's `asyncio.PriorityQueue`).
//!
//! Every rule but the order (bounds, waiting, fairness, cancellation,
//! `task_done` and `join`) is [`Queue`](crate::Queue)'s, shared through
//! [`core`](super::core).

use std::fmt;
use std::rc::Rc;

use super::core::QueueCore;
use super::error::{QueueEmpty, QueueFull, TaskDoneError};
use super::futures::{QueueGet, QueueJoin, QueuePut};
use super::order::Store;

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
pub struct PriorityQueue<T> {
    core: Rc<QueueCore<T>>,
}

impl<T> Clone for PriorityQueue<T> {
    fn clone(&self) -> Self {
        PriorityQueue {
            core: Rc::clone(&self.core),
        }
    }
}

impl<T> fmt::Debug for PriorityQueue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.core.fmt_as("PriorityQueue", f)
    }
}

impl<T: Ord> Default for PriorityQueue<T> {
    fn default() -> Self {
        PriorityQueue::new(0)
    }
}

impl<T: Ord> PriorityQueue<T> {
    /// A queue holding at most `maxsize` items; 0 means no bound.
    ///
    /// # Examples
    /// ```
    /// let queue = asyncio::PriorityQueue::<u8>::new(2);
    /// assert_eq!(queue.maxsize(), 2);
    /// ```
    pub fn new(maxsize: usize) -> PriorityQueue<T> {
        PriorityQueue {
            core: QueueCore::new(Store::smallest_first(), maxsize),
        }
    }
}

impl<T> PriorityQueue<T> {
    /// Puts `item`, first waiting for room if the queue is full, as
    /// [`Queue::put`](crate::Queue::put).
    ///
    /// # Examples
    /// ```
    /// let lp = asyncio::EventLoop::virtual_clock();
    /// lp.run_until_complete(async {
    ///     let queue = asyncio::PriorityQueue::new(0);
    ///     queue.put(1).await;
    ///     assert_eq!(queue.qsize(), 1);
    /// })
    /// .block()
    /// .unwrap();
    /// ```
    pub fn put(&self, item: T) -> QueuePut<T> {
        self.core.put(item)
    }

    /// Takes the smallest item, first waiting for one if the queue is
    /// empty, as [`Queue::get`](crate::Queue::get).
    ///
    /// # Examples
    /// ```
    /// let lp = asyncio::EventLoop::virtual_clock();
    /// lp.run_until_complete(async {
    ///     let queue = asyncio::PriorityQueue::new(0);
    ///     for item in [1, 3, 2] {
    ///         queue.put_nowait(item).unwrap();
    ///     }
    ///     assert_eq!(queue.get().await, 1);
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
    /// let queue = asyncio::PriorityQueue::new(1);
    /// queue.put_nowait(1).unwrap();
    /// assert_eq!(queue.put_nowait(2), Err(asyncio::QueueFull(2)));
    /// ```
    pub fn put_nowait(&self, item: T) -> Result<(), QueueFull<T>> {
        self.core.put_nowait(item)
    }

    /// Takes the smallest item if there is one.
    ///
    /// # Errors
    /// [`QueueEmpty`] if no item is there to take.
    ///
    /// # Examples
    /// ```
    /// let queue = asyncio::PriorityQueue::new(0);
    /// for item in [1, 3, 2] {
    ///     queue.put_nowait(item).unwrap();
    /// }
    /// let order: Vec<_> = std::iter::from_fn(|| queue.get_nowait().ok()).collect();
    /// assert_eq!(order, [1, 2, 3]);
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
    /// let queue = asyncio::PriorityQueue::<u8>::new(0);
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
    ///     let queue = asyncio::PriorityQueue::new(0);
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
    /// let queue = asyncio::PriorityQueue::new(0);
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
    /// assert!(asyncio::PriorityQueue::<u8>::new(0).empty());
    /// ```
    pub fn empty(&self) -> bool {
        self.core.qsize() == 0
    }

    /// Whether there is no room. Never true for an unbounded queue.
    ///
    /// # Examples
    /// ```
    /// let queue = asyncio::PriorityQueue::new(1);
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
    /// assert_eq!(asyncio::PriorityQueue::<u8>::new(0).maxsize(), 0);
    /// ```
    pub fn maxsize(&self) -> usize {
        self.core.maxsize()
    }
}
