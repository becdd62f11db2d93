//! `asyncio.Event`, `Lock`, `Semaphore`, `BoundedSemaphore`, `Condition`,
//! `Queue`, `LifoQueue` and `PriorityQueue` over the runtime's own.
//!
//! Python releases a lock or a semaphore with a call, not by dropping a
//! guard: the faces keep the runtime's guard (or forget the permit) until
//! that call.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::task::{Context, Poll};

use asyncio::{
    BoundedSemaphore, Condition, Event, LifoQueue, Lock, LockGuard, PriorityQueue, Queue, Semaphore,
};
use rustpython_vm::builtins::PyDictRef;
use rustpython_vm::types::PyComparisonOp;
use rustpython_vm::{PyObjectRef, PyRef, PyResult, VirtualMachine};

use crate::engine::with_vm;
use crate::errors::{self, Kind as Exc};
use crate::handle::{op, Handle, Kind, Op, Resume};
use crate::natives::def;

/// A lock and the guard Python's `acquire` took.
pub(crate) struct LockFace {
    lock: Lock,
    guard: RefCell<Option<LockGuard>>,
}

/// A semaphore; permits Python acquires are forgotten until `release`.
pub(crate) enum SemaphoreFace {
    Plain(Semaphore),
    Bounded(BoundedSemaphore),
}

/// A condition and the guard of its lock.
pub(crate) struct ConditionFace {
    cond: Condition,
    guard: RefCell<Option<LockGuard>>,
}

/// A Python object ordered by Python's `<`, for the priority queue.
pub(crate) struct PyOrd(PyObjectRef);

impl PartialEq for PyOrd {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for PyOrd {}
impl PartialOrd for PyOrd {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for PyOrd {
    fn cmp(&self, other: &Self) -> Ordering {
        with_vm(|vm| {
            let lt = |a: &PyObjectRef, b: &PyObjectRef| {
                a.rich_compare_bool(b, PyComparisonOp::Lt, vm)
                    .unwrap_or(false)
            };
            if lt(&self.0, &other.0) {
                Ordering::Less
            } else if lt(&other.0, &self.0) {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        })
        .unwrap_or(Ordering::Equal)
    }
}

/// One of the three queues.
pub(crate) enum QueueFace {
    Fifo(Queue<PyObjectRef>),
    Lifo(LifoQueue<PyObjectRef>),
    Priority(PriorityQueue<PyOrd>),
}

macro_rules! each_queue {
    ($face:expr, $q:ident => $body:expr) => {
        match $face {
            QueueFace::Fifo($q) => $body,
            QueueFace::Lifo($q) => $body,
            QueueFace::Priority($q) => $body,
        }
    };
}

fn lock_face<'a>(vm: &VirtualMachine, h: &'a PyRef<Handle>) -> PyResult<&'a LockFace> {
    match &h.kind {
        Kind::Lock(face) => Ok(face),
        _ => Err(vm.new_type_error("expected a lock handle")),
    }
}

fn cond_face<'a>(vm: &VirtualMachine, h: &'a PyRef<Handle>) -> PyResult<&'a ConditionFace> {
    match &h.kind {
        Kind::Condition(face) => Ok(face),
        _ => Err(vm.new_type_error("expected a condition handle")),
    }
}

fn sem_face<'a>(vm: &VirtualMachine, h: &'a PyRef<Handle>) -> PyResult<&'a SemaphoreFace> {
    match &h.kind {
        Kind::Semaphore(face) => Ok(face),
        _ => Err(vm.new_type_error("expected a semaphore handle")),
    }
}

fn queue_face<'a>(vm: &VirtualMachine, h: &'a PyRef<Handle>) -> PyResult<&'a QueueFace> {
    match &h.kind {
        Kind::Queue(face) => Ok(face),
        _ => Err(vm.new_type_error("expected a queue handle")),
    }
}

/// `Condition.wait()`: waits for a notification, then holds the lock
/// again. Cancelled, it still takes the lock back before raising, as
/// Python's does, so `async with` can release it.
struct ConditionWaitOp {
    handle: PyRef<Handle>,
    wait: Option<asyncio::ConditionWait>,
    relock: Option<asyncio::LockAcquire>,
    cancelled: Option<Option<String>>,
}

impl Op for ConditionWaitOp {
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Resume> {
        let Kind::Condition(face) = &self.handle.kind else {
            return Poll::Ready(Resume::None);
        };
        if let Some(relock) = self.relock.as_mut() {
            let guard = std::task::ready!(std::pin::Pin::new(relock).poll(cx));
            *face.guard.borrow_mut() = Some(guard);
            self.relock = None;
            return Poll::Ready(Resume::Cancelled(self.cancelled.take().flatten()));
        }
        let Some(wait) = self.wait.as_mut() else {
            return Poll::Ready(Resume::None);
        };
        let guard = std::task::ready!(std::pin::Pin::new(wait).poll(cx));
        *face.guard.borrow_mut() = Some(guard);
        self.wait = None;
        Poll::Ready(true_value())
    }

    fn cancel(&mut self, message: Option<&str>) -> bool {
        let Kind::Condition(face) = &self.handle.kind else {
            return false;
        };
        self.wait = None;
        self.relock = Some(face.cond.lock());
        self.cancelled = Some(message.map(str::to_string));
        true
    }
}

use std::future::Future as _;

fn true_value() -> Resume {
    Resume::Build(Box::new(|vm| Ok(vm.ctx.new_bool(true).into())))
}

/// Installs the synchronisation natives.
pub(crate) fn install(vm: &VirtualMachine, d: &PyDictRef) -> PyResult<()> {
    def(vm, d, "event_new", |vm: &VirtualMachine| -> PyObjectRef {
        Handle::new(vm, Kind::Event(Event::new())).into()
    })?;
    def(
        vm,
        d,
        "event_op",
        |h: PyRef<Handle>, what: String, vm: &VirtualMachine| -> PyResult {
            let Kind::Event(event) = &h.kind else {
                return Err(vm.new_type_error("expected an event handle"));
            };
            Ok(match what.as_str() {
                "set" => {
                    event.set();
                    vm.ctx.none()
                }
                "clear" => {
                    event.clear();
                    vm.ctx.none()
                }
                "is_set" => vm.ctx.new_bool(event.is_set()).into(),
                _ => {
                    let wait = event.wait();
                    Handle::op(
                        vm,
                        op(async move {
                            wait.await;
                            true_value()
                        }),
                    )
                }
            })
        },
    )?;

    def(vm, d, "lock_new", |vm: &VirtualMachine| -> PyObjectRef {
        Handle::new(
            vm,
            Kind::Lock(LockFace {
                lock: Lock::new(),
                guard: RefCell::new(None),
            }),
        )
        .into()
    })?;
    def(
        vm,
        d,
        "lock_acquire",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult {
            let face = lock_face(vm, &h)?;
            let acquire = face.lock.lock();
            let handle = h.clone();
            Ok(Handle::op(
                vm,
                op(async move {
                    let guard = acquire.await;
                    if let Kind::Lock(face) = &handle.kind {
                        *face.guard.borrow_mut() = Some(guard);
                    }
                    true_value()
                }),
            ))
        },
    )?;
    def(
        vm,
        d,
        "lock_release",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult<()> {
            let face = lock_face(vm, &h)?;
            match face.guard.borrow_mut().take() {
                Some(guard) => {
                    drop(guard);
                    Ok(())
                }
                None => Err(vm.new_runtime_error("Lock is not acquired.")),
            }
        },
    )?;
    def(
        vm,
        d,
        "lock_locked",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult<bool> {
            Ok(lock_face(vm, &h)?.lock.locked())
        },
    )?;

    def(
        vm,
        d,
        "semaphore_new",
        |value: isize, bounded: bool, vm: &VirtualMachine| -> PyResult {
            if value < 0 {
                return Err(vm.new_value_error("Semaphore initial value must be >= 0"));
            }
            let value = value as usize;
            let face = if bounded {
                SemaphoreFace::Bounded(BoundedSemaphore::new(value))
            } else {
                SemaphoreFace::Plain(Semaphore::new(value))
            };
            Ok(Handle::new(vm, Kind::Semaphore(face)).into())
        },
    )?;
    def(
        vm,
        d,
        "semaphore_acquire",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult {
            let acquire = match sem_face(vm, &h)? {
                SemaphoreFace::Plain(sem) => sem.acquire(),
                SemaphoreFace::Bounded(sem) => sem.acquire(),
            };
            Ok(Handle::op(
                vm,
                op(async move {
                    acquire.await.forget();
                    true_value()
                }),
            ))
        },
    )?;
    def(
        vm,
        d,
        "semaphore_release",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult<()> {
            match sem_face(vm, &h)? {
                SemaphoreFace::Plain(sem) => {
                    sem.release();
                    Ok(())
                }
                SemaphoreFace::Bounded(sem) => sem
                    .release()
                    .map_err(|_| vm.new_value_error("BoundedSemaphore released too many times")),
            }
        },
    )?;
    def(
        vm,
        d,
        "semaphore_state",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult<(bool, usize)> {
            Ok(match sem_face(vm, &h)? {
                SemaphoreFace::Plain(sem) => (sem.locked(), sem.available()),
                SemaphoreFace::Bounded(sem) => (sem.locked(), sem.available()),
            })
        },
    )?;

    def(
        vm,
        d,
        "condition_new",
        |lock: Option<PyRef<Handle>>, vm: &VirtualMachine| -> PyResult {
            let cond = match lock {
                Some(h) => Condition::with_lock(lock_face(vm, &h)?.lock.clone()),
                None => Condition::new(),
            };
            Ok(Handle::new(
                vm,
                Kind::Condition(ConditionFace {
                    cond,
                    guard: RefCell::new(None),
                }),
            )
            .into())
        },
    )?;
    def(
        vm,
        d,
        "condition_acquire",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult {
            let acquire = cond_face(vm, &h)?.cond.lock();
            let handle = h.clone();
            Ok(Handle::op(
                vm,
                op(async move {
                    let guard = acquire.await;
                    if let Kind::Condition(face) = &handle.kind {
                        *face.guard.borrow_mut() = Some(guard);
                    }
                    true_value()
                }),
            ))
        },
    )?;
    def(
        vm,
        d,
        "condition_release",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult<()> {
            match cond_face(vm, &h)?.guard.borrow_mut().take() {
                Some(_) => Ok(()),
                None => Err(vm.new_runtime_error("Lock is not acquired.")),
            }
        },
    )?;
    def(
        vm,
        d,
        "condition_locked",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult<bool> {
            Ok(cond_face(vm, &h)?.cond.locked())
        },
    )?;
    def(
        vm,
        d,
        "condition_wait",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult {
            let face = cond_face(vm, &h)?;
            let guard = face
                .guard
                .borrow_mut()
                .take()
                .ok_or_else(|| vm.new_runtime_error("cannot wait on un-acquired lock"))?;
            let wait = face.cond.wait(guard);
            Ok(Handle::op(
                vm,
                Box::new(ConditionWaitOp {
                    handle: h.clone(),
                    wait: Some(wait),
                    relock: None,
                    cancelled: None,
                }),
            ))
        },
    )?;
    def(
        vm,
        d,
        "condition_notify",
        |h: PyRef<Handle>, n: Option<usize>, vm: &VirtualMachine| -> PyResult<()> {
            let face = cond_face(vm, &h)?;
            let guard = face.guard.borrow();
            let guard = guard
                .as_ref()
                .ok_or_else(|| vm.new_runtime_error("cannot notify on un-acquired lock"))?;
            match n {
                Some(n) => face.cond.notify(guard, n),
                None => face.cond.notify_all(guard),
            };
            Ok(())
        },
    )?;

    def(
        vm,
        d,
        "queue_new",
        |kind: String, maxsize: isize, vm: &VirtualMachine| -> PyResult {
            let maxsize = maxsize.max(0) as usize;
            let face = match kind.as_str() {
                "lifo" => QueueFace::Lifo(LifoQueue::new(maxsize)),
                "priority" => QueueFace::Priority(PriorityQueue::new(maxsize)),
                _ => QueueFace::Fifo(Queue::new(maxsize)),
            };
            Ok(Handle::new(vm, Kind::Queue(face)).into())
        },
    )?;
    def(
        vm,
        d,
        "queue_put",
        |h: PyRef<Handle>, item: PyObjectRef, wait: bool, vm: &VirtualMachine| -> PyResult {
            let face = queue_face(vm, &h)?;
            if !wait {
                let full = put_nowait(face, item);
                return if full {
                    Err(errors::new(vm, Exc::QueueFull, ""))
                } else {
                    Ok(vm.ctx.none())
                };
            }
            let put = match face {
                QueueFace::Fifo(q) => op(q_put(q.put(item))),
                QueueFace::Lifo(q) => op(q_put(q.put(item))),
                QueueFace::Priority(q) => op(q_put(q.put(PyOrd(item)))),
            };
            Ok(Handle::op(vm, put))
        },
    )?;
    def(
        vm,
        d,
        "queue_get",
        |h: PyRef<Handle>, wait: bool, vm: &VirtualMachine| -> PyResult {
            let face = queue_face(vm, &h)?;
            if !wait {
                let item = match face {
                    QueueFace::Fifo(q) => q.get_nowait().ok(),
                    QueueFace::Lifo(q) => q.get_nowait().ok(),
                    QueueFace::Priority(q) => q.get_nowait().ok().map(|item| item.0),
                };
                return item.ok_or_else(|| errors::new(vm, Exc::QueueEmpty, ""));
            }
            let get = match face {
                QueueFace::Fifo(q) => {
                    let get = q.get();
                    op(async move { Resume::Value(get.await) })
                }
                QueueFace::Lifo(q) => {
                    let get = q.get();
                    op(async move { Resume::Value(get.await) })
                }
                QueueFace::Priority(q) => {
                    let get = q.get();
                    op(async move { Resume::Value(get.await.0) })
                }
            };
            Ok(Handle::op(vm, get))
        },
    )?;
    def(
        vm,
        d,
        "queue_task_done",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult<()> {
            each_queue!(queue_face(vm, &h)?, q => q.task_done())
                .map_err(|_| vm.new_value_error("task_done() called too many times"))
        },
    )?;
    def(
        vm,
        d,
        "queue_join",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult {
            let face = queue_face(vm, &h)?;
            let join = match face {
                QueueFace::Fifo(q) => {
                    let join = q.join();
                    op(async move {
                        join.await;
                        Resume::None
                    })
                }
                QueueFace::Lifo(q) => {
                    let join = q.join();
                    op(async move {
                        join.await;
                        Resume::None
                    })
                }
                QueueFace::Priority(q) => {
                    let join = q.join();
                    op(async move {
                        join.await;
                        Resume::None
                    })
                }
            };
            Ok(Handle::op(vm, join))
        },
    )?;
    def(
        vm,
        d,
        "queue_state",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult<(usize, usize, bool, bool)> {
            Ok(each_queue!(queue_face(vm, &h)?, q => (q.qsize(), q.maxsize(), q.empty(), q.full())))
        },
    )?;
    Ok(())
}

/// `put_nowait`; `true` if the queue was full.
fn put_nowait(face: &QueueFace, item: PyObjectRef) -> bool {
    match face {
        QueueFace::Fifo(q) => q.put_nowait(item).is_err(),
        QueueFace::Lifo(q) => q.put_nowait(item).is_err(),
        QueueFace::Priority(q) => q.put_nowait(PyOrd(item)).is_err(),
    }
}

async fn q_put<T>(put: asyncio::QueuePut<T>) -> Resume {
    put.await;
    Resume::None
}
