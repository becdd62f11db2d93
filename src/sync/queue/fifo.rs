//! `Queue`: a first-in first-out queue between tasks (Python's
//! `asyncio.Queue`).
//!
//! The rules every queue follows (bounds, waiting, fairness, cancellation,
//! `task_done` and `join`) live in [`core`](super::core); this
//! file is the first-in first-out handle.

use std::fmt;
use std::rc::Rc;

use super::core::QueueCore;
use super::error::{QueueEmpty, QueueFull, TaskDoneError};
use super::futures::{QueueGet, QueueJoin, QueuePut};
use super::order::Store;

/// A first-in first-out queue for tasks (Python's `asyncio.Queue`).
///
/// With a `maxsize`, [`put`](Queue::put) waits while the queue is full;
/// [`get`](Queue::get) waits while it is empty. Waiting producers and
/// consumers are served in the order they arrived, each get waking exactly
/// one waiting producer and each put exactly one waiting consumer.
/// [`task_done`](Queue::task_done) and [`join`](Queue::join) track when
/// every item put has been processed. Clones are handles to the same queue.
///
/// # Examples
/// ```
/// use asyncio::{create_task, sleep, Queue};
/// use std::time::Duration;
///
/// let lp = asyncio::EventLoop::virtual_clock();
/// lp.run_until_complete(async {
///     let queue = Queue::new(0);
///     for job in 1..=4 {
///         queue.put_nowait(job).unwrap();
///     }
///     for _ in 0..2 {
///         let queue = queue.clone();
///         create_task(async move {
///             loop {
///                 let seconds = queue.get().await;
///                 sleep(Duration::from_secs(seconds)).await;
///                 queue.task_done().unwrap();
///             }
///         })
///         .detach();
///     }
///     queue.join().await; // workers take 1+3 and 2+4 seconds
/// })
/// .block()
/// .unwrap();
/// assert_eq!(lp.time(), 6.0);
/// ```
pub struct Queue<T> {
    core: Rc<QueueCore<T>>,
}

impl<T> Clone for Queue<T> {
    fn clone(&self) -> Self {
        Queue {
            core: Rc::clone(&self.core),
        }
    }
}

impl<T> fmt::Debug for Queue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.core.fmt_as("Queue", f)
    }
}

impl<T> Default for Queue<T> {
    fn default() -> Self {
        Queue::new(0)
    }
}

impl<T> Queue<T> {
    /// A queue holding at most `maxsize` items; 0 means no bound.
    ///
    /// # Examples
    /// ```
    /// let queue = asyncio::Queue::<String>::new(10);
    /// assert_eq!(queue.maxsize(), 10);
    /// assert!(queue.empty());
    /// ```
    pub fn new(maxsize: usize) -> Queue<T> {
        Queue {
            core: QueueCore::new(Store::fifo(), maxsize),
        }
    }

    /// Puts `item`, first waiting for room if the queue is full. Waiting
    /// producers get room in the order they started waiting. Dropping the
    /// future before it completes drops the item, unput.
    ///
    /// # Examples
    /// ```
    /// use asyncio::{create_task, sleep, Queue};
    /// use std::time::Duration;
    ///
    /// let lp = asyncio::EventLoop::virtual_clock();
    /// lp.run_until_complete(async {
    ///     let queue = Queue::new(1);
    ///     queue.put("a").await; // room: no wait
    ///     let consumer = {
    ///         let queue = queue.clone();
    ///         create_task(async move {
    ///             sleep(Duration::from_secs(1)).await;
    ///             queue.get().await
    ///         })
    ///     };
    ///     queue.put("b").await; // full: waits for the consumer
    ///     assert_eq!(asyncio::get_running_loop().unwrap().time(), 1.0);
    ///     assert_eq!(consumer.await, Ok("a"));
    /// })
    /// .block()
    /// .unwrap();
    /// ```
    pub fn put(&self, item: T) -> QueuePut<T> {
        self.core.put(item)
    }

    /// Takes the oldest item, first waiting for one if the queue is empty.
    /// Waiting consumers are served in the order they started waiting.
    ///
    /// # Examples
    /// ```
    /// let lp = asyncio::EventLoop::virtual_clock();
    /// lp.run_until_complete(async {
    ///     let queue = asyncio::Queue::new(0);
    ///     queue.put_nowait(1).unwrap();
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
    /// let queue = asyncio::Queue::new(1);
    /// assert!(queue.put_nowait(1).is_ok());
    /// assert_eq!(queue.put_nowait(2), Err(asyncio::QueueFull(2)));
    /// ```
    pub fn put_nowait(&self, item: T) -> Result<(), QueueFull<T>> {
        self.core.put_nowait(item)
    }

    /// Takes the oldest item if there is one.
    ///
    /// # Errors
    /// [`QueueEmpty`] if no item is there to take.
    ///
    /// # Examples
    /// ```
    /// let queue = asyncio::Queue::new(0);
    /// queue.put_nowait('x').unwrap();
    /// assert_eq!(queue.get_nowait(), Ok('x'));
    /// assert_eq!(queue.get_nowait(), Err(asyncio::QueueEmpty));
    /// ```
    pub fn get_nowait(&self) -> Result<T, QueueEmpty> {
        self.core.get_nowait()
    }

    /// Marks one item taken from the queue as processed. When every item
    /// put has been marked, [`join`](Queue::join) returns.
    ///
    /// # Errors
    /// [`TaskDoneError`] if called more times than items were put (Python's
    /// `ValueError`); nothing changes.
    ///
    /// # Examples
    /// ```
    /// let queue = asyncio::Queue::new(0);
    /// queue.put_nowait(1).unwrap();
    /// queue.get_nowait().unwrap();
    /// assert!(queue.task_done().is_ok());
    /// assert!(queue.task_done().is_err());
    /// ```
    pub fn task_done(&self) -> Result<(), TaskDoneError> {
        self.core.task_done()
    }

    /// Waits until every item put has been marked done with
    /// [`task_done`](Queue::task_done); returns at once if none is pending.
    ///
    /// # Examples
    /// ```
    /// let lp = asyncio::EventLoop::virtual_clock();
    /// lp.run_until_complete(async {
    ///     let queue = asyncio::Queue::<u8>::new(0);
    ///     queue.join().await; // nothing was put
    /// })
    /// .block()
    /// .unwrap();
    /// ```
    pub fn join(&self) -> QueueJoin<T> {
        self.core.join()
    }

    /// How many items wait to be taken. An item already promised to a
    /// consumer that was woken but has not run yet is not counted.
    ///
    /// # Examples
    /// ```
    /// let queue = asyncio::Queue::new(0);
    /// queue.put_nowait(1).unwrap();
    /// queue.put_nowait(2).unwrap();
    /// assert_eq!(queue.qsize(), 2);
    /// ```
    pub fn qsize(&self) -> usize {
        self.core.qsize()
    }

    /// Whether no item waits to be taken: then
    /// [`get_nowait`](Queue::get_nowait) fails.
    ///
    /// # Examples
    /// ```
    /// assert!(asyncio::Queue::<u8>::new(0).empty());
    /// ```
    pub fn empty(&self) -> bool {
        self.core.qsize() == 0
    }

    /// Whether there is no room: then [`put_nowait`](Queue::put_nowait)
    /// fails. Never true for an unbounded queue.
    ///
    /// # Examples
    /// ```
    /// let queue = asyncio::Queue::new(1);
    /// queue.put_nowait(1).unwrap();
    /// assert!(queue.full());
    /// ```
    pub fn full(&self) -> bool {
        self.core.full()
    }

    /// The bound given to [`new`](Queue::new); 0 means none.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(asyncio::Queue::<u8>::new(0).maxsize(), 0);
    /// ```
    pub fn maxsize(&self) -> usize {
        self.core.maxsize()
    }
}
