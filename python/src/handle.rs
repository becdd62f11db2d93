//! The one native class the Python faces hold: a handle to a runtime
//! object (a loop, a task, an event, a queue…) or to an operation a
//! coroutine awaits.
//!
//! An awaitable face (`asyncio.sleep`, `Event.wait`, awaiting a task…)
//! yields an operation handle to the task driver, which takes the Rust
//! future out of it, awaits it on the loop, and resumes the coroutine with
//! its outcome.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;
use std::task::{Context, Poll};

use rustpython_vm::builtins::PyBaseExceptionRef;
use rustpython_vm::{pyclass, PyObjectRef, PyPayload, PyRef, PyResult, VirtualMachine};

use crate::errors;
use crate::futures::FutureFace;
use crate::sync::{ConditionFace, LockFace, QueueFace, SemaphoreFace};
use crate::tasks::TaskState;

/// What an awaited operation resumes its coroutine with.
pub(crate) enum Resume {
    /// `send(value)`.
    Value(PyObjectRef),
    /// `send(None)`.
    None,
    /// `throw(exception)`.
    Raise(PyBaseExceptionRef),
    /// `throw(CancelledError(message))`.
    Cancelled(Option<String>),
    /// A value made when the coroutine resumes.
    Build(Box<dyn FnOnce(&VirtualMachine) -> PyResult>),
}

impl Resume {
    /// The value to send, or the exception to throw.
    pub(crate) fn into_result(self, vm: &VirtualMachine) -> PyResult {
        match self {
            Resume::Value(value) => Ok(value),
            Resume::None => Ok(vm.ctx.none()),
            Resume::Raise(exc) => Err(exc),
            Resume::Cancelled(message) => Err(errors::cancelled(vm, message)),
            Resume::Build(build) => build(vm),
        }
    }
}

/// A Rust future a coroutine awaits.
pub(crate) trait Op {
    /// Polls it; the loop wakes the task when it may be ready.
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Resume>;

    /// The task awaiting it was asked to cancel (Python's
    /// `fut_waiter.cancel(msg)`): `true` if the operation takes it on and
    /// will resume the coroutine with the outcome (usually
    /// `CancelledError`); `false` to have `CancelledError` thrown in now.
    /// The default drops the operation (its destructors leave wait lists,
    /// clear timers) and throws at once.
    fn cancel(&mut self, _message: Option<&str>) -> bool {
        false
    }
}

/// A boxed operation.
pub(crate) type BoxOp = Box<dyn Op>;

/// An operation made from a plain future.
pub(crate) struct FutureOp<F>(pub(crate) std::pin::Pin<Box<F>>);

impl<F: std::future::Future<Output = Resume>> Op for FutureOp<F> {
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Resume> {
        self.0.as_mut().poll(cx)
    }
}

/// An operation from a future.
pub(crate) fn op<F: std::future::Future<Output = Resume> + 'static>(future: F) -> BoxOp {
    Box::new(FutureOp(Box::pin(future)))
}

/// What a handle stands for.
pub(crate) enum Kind {
    Op(RefCell<Option<BoxOp>>),
    Loop(asyncio::EventLoop, u64),
    Task(Rc<TaskState>),
    Future(FutureFace),
    Timer(asyncio::Handle),
    Event(asyncio::Event),
    Lock(LockFace),
    Semaphore(SemaphoreFace),
    Condition(ConditionFace),
    Queue(QueueFace),
    Group(crate::group::GroupFace),
    AsCompleted(crate::combine::AsCompletedFace),
    #[cfg(target_arch = "wasm32")]
    Net(crate::net::NetFace),
}

/// A handle to a runtime object, held by the Python faces.
#[pyclass(module = "_aio", name = "Handle")]
#[derive(PyPayload)]
pub(crate) struct Handle {
    pub(crate) kind: Kind,
}

#[pyclass]
impl Handle {}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.kind {
            Kind::Op(_) => "op",
            Kind::Loop(..) => "loop",
            Kind::Task(_) => "task",
            Kind::Future(_) => "future",
            Kind::Timer(_) => "timer",
            Kind::Event(_) => "event",
            Kind::Lock(_) => "lock",
            Kind::Semaphore(_) => "semaphore",
            Kind::Condition(_) => "condition",
            Kind::Queue(_) => "queue",
            Kind::Group(_) => "task group",
            Kind::AsCompleted(_) => "as_completed",
            #[cfg(target_arch = "wasm32")]
            Kind::Net(_) => "network",
        };
        f.debug_struct("Handle").field("kind", &kind).finish()
    }
}

impl Handle {
    /// A new handle object.
    pub(crate) fn new(vm: &VirtualMachine, kind: Kind) -> PyRef<Handle> {
        PyRef::new_ref(Handle { kind }, Handle::class(&vm.ctx).to_owned(), None)
    }

    /// A new operation handle.
    pub(crate) fn op(vm: &VirtualMachine, op: BoxOp) -> PyObjectRef {
        Self::new(vm, Kind::Op(RefCell::new(Some(op)))).into()
    }
}

/// The handle's kind, or a `TypeError`.
pub(crate) fn expect<'a, T>(
    vm: &VirtualMachine,
    handle: &'a Handle,
    pick: impl FnOnce(&'a Kind) -> Option<T>,
    what: &str,
) -> PyResult<T> {
    pick(&handle.kind).ok_or_else(|| vm.new_type_error(format!("expected a {what} handle")))
}
