//! The task driver: the Rust future that steps one Python coroutine.
//!
//! Each step is a `send(value)` or a `throw(exception)` into the coroutine.
//! When it suspends it yields an operation handle ([`crate::handle::Op`]);
//! the driver takes the Rust future out of it and awaits it on the loop,
//! then resumes the coroutine with its outcome. A cancellation request
//! (the task is made with [`asyncio::TaskBuilder::deliver_cancellation`])
//! is taken at the next poll and thrown in as `CancelledError`, so the
//! coroutine's `except` and `finally` blocks run, and may even await.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use rustpython_vm::builtins::{PyBaseExceptionRef, PyCoroutine};
use rustpython_vm::frame::FrameRef;
use rustpython_vm::protocol::PyIterReturn;
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};

use crate::engine::with_vm;
use crate::errors;
use crate::handle::{BoxOp, Handle, Kind, Resume};
use crate::state;
use crate::tasks::{PyDone, TaskState};

/// What one step of a coroutine gave.
enum Stepped {
    /// It suspended on this operation.
    Suspended(BoxOp, Option<u32>),
    /// It returned.
    Returned(PyObjectRef),
    /// It raised.
    Raised(PyBaseExceptionRef),
}

/// Steps a task's coroutine on the loop; completes when it returns or
/// raises (its outcome goes to the task's [`TaskState`]).
pub(crate) struct Driver {
    state: Rc<TaskState>,
    resume: Option<Resume>,
    op: Option<BoxOp>,
    /// The program's own body, which keeps stepping after the budget is
    /// exceeded so the budget's exception ends it with its traceback.
    program: bool,
}

impl Driver {
    pub(crate) fn new(state: Rc<TaskState>) -> Driver {
        Driver {
            state,
            resume: Some(Resume::None),
            op: None,
            program: false,
        }
    }

    /// The driver of a program's module body.
    pub(crate) fn program(state: Rc<TaskState>) -> Driver {
        Driver {
            program: true,
            ..Driver::new(state)
        }
    }
}

impl Future for Driver {
    type Output = PyDone;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<PyDone> {
        let this = &mut *self;
        loop {
            if !this.program && state::current().is_some_and(|run| run.aborted()) {
                // The run was stopped by its budget: nothing more runs.
                this.op = None;
                if let Some(task) = asyncio::current_task() {
                    task.cancel_with_message("the run was stopped");
                }
                return Poll::Ready(this.finish());
            }
            if let Some(cancelled) = asyncio::take_cancellation() {
                let message = cancelled.message().map(str::to_string);
                let kept = match this.op.as_mut() {
                    Some(op) => op.cancel(message.as_deref()),
                    None => false,
                };
                if !kept {
                    this.op = None;
                    this.resume = Some(Resume::Cancelled(message));
                }
            }
            if let Some(op) = this.op.as_mut() {
                match op.poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(resume) => {
                        this.op = None;
                        this.resume = Some(resume);
                    }
                }
            }
            let resume = this.resume.take().unwrap_or(Resume::None);
            let coro = this.state.coro.clone();
            let filename = this.state.filename.clone();
            let stepped = with_vm(|vm| step(vm, &coro, resume, &filename));
            match stepped {
                Some(Stepped::Suspended(op, line)) => {
                    asyncio::set_task_line(line);
                    this.op = Some(op);
                }
                Some(Stepped::Returned(value)) => {
                    this.state.set_outcome(Ok(value));
                    return Poll::Ready(this.finish());
                }
                Some(Stepped::Raised(exc)) => {
                    // A program body is not a task: whatever escapes it,
                    // CancelledError too, is its uncaught exception.
                    let cancelled = with_vm(|vm| {
                        (!this.program && errors::is_cancelled(vm, &exc))
                            .then(|| errors::message(vm, &exc))
                    })
                    .flatten();
                    match cancelled {
                        Some(message) => {
                            // A CancelledError that escapes ends the task
                            // cancelled, with its message.
                            if let Some(task) = asyncio::current_task() {
                                match message {
                                    Some(message) => task.cancel_with_message(message),
                                    None => task.cancel(),
                                };
                            }
                            this.state.set_cancelled_exc(exc);
                        }
                        None => this.state.set_outcome(Err(exc)),
                    }
                    return Poll::Ready(this.finish());
                }
                None => {
                    // The run is over: nothing can step the coroutine.
                    return Poll::Ready(this.finish());
                }
            }
        }
    }
}

impl Driver {
    fn finish(&self) -> PyDone {
        self.state.finished();
        PyDone::Task(Rc::clone(&self.state))
    }
}

/// One step of `coro`, resumed with `resume`.
fn step(vm: &VirtualMachine, coro: &PyObjectRef, resume: Resume, filename: &str) -> Stepped {
    let result = match resume.into_result(vm) {
        Ok(value) => send(vm, coro, value),
        Err(exc) => throw(vm, coro, exc),
    };
    match result {
        Ok(PyIterReturn::Return(yielded)) => match take_op(vm, &yielded) {
            Ok(op) => Stepped::Suspended(op, suspended_line(coro, filename)),
            Err(exc) => {
                // CPython throws a RuntimeError into a coroutine that yields
                // something that is not a future.
                step(vm, coro, Resume::Raise(exc), filename)
            }
        },
        Ok(PyIterReturn::StopIteration(value)) => {
            Stepped::Returned(value.unwrap_or_else(|| vm.ctx.none()))
        }
        Err(exc) => Stepped::Raised(exc),
    }
}

fn send(vm: &VirtualMachine, coro: &PyObjectRef, value: PyObjectRef) -> PyResult<PyIterReturn> {
    match coro.downcast_ref::<PyCoroutine>() {
        Some(coroutine) => coroutine.as_coro().send(coro.as_object(), value, vm),
        None => {
            let result = vm.call_method(coro, "send", (value,));
            iter_return(vm, result)
        }
    }
}

fn throw(
    vm: &VirtualMachine,
    coro: &PyObjectRef,
    exc: PyBaseExceptionRef,
) -> PyResult<PyIterReturn> {
    match coro.downcast_ref::<PyCoroutine>() {
        Some(coroutine) => coroutine.as_coro().throw(
            coro.as_object(),
            exc.into(),
            vm.ctx.none(),
            vm.ctx.none(),
            vm,
        ),
        None => {
            let result = vm.call_method(coro, "throw", (exc,));
            iter_return(vm, result)
        }
    }
}

fn iter_return(vm: &VirtualMachine, result: PyResult) -> PyResult<PyIterReturn> {
    match result {
        Ok(value) => Ok(PyIterReturn::Return(value)),
        Err(exc) if exc.fast_isinstance(vm.ctx.exceptions.stop_iteration) => {
            Ok(PyIterReturn::StopIteration(exc.get_arg(0)))
        }
        Err(exc) => Err(exc),
    }
}

/// The operation a coroutine yielded, or the `RuntimeError` CPython
/// throws back for anything else. A bare `yield` (None) yields to the loop.
fn take_op(vm: &VirtualMachine, yielded: &PyObjectRef) -> PyResult<BoxOp> {
    if vm.is_none(yielded) {
        return Ok(crate::handle::op(async {
            asyncio::yield_now().await;
            Resume::None
        }));
    }
    if let Some(handle) = yielded.downcast_ref::<Handle>() {
        if let Kind::Op(slot) = &handle.kind {
            if let Some(op) = slot.borrow_mut().take() {
                return Ok(op);
            }
            return Err(vm.new_runtime_error("await wasn't used with future"));
        }
    }
    let repr = yielded
        .repr(vm)
        .map(|r| r.to_string())
        .unwrap_or_else(|_| "<object>".to_string());
    Err(vm.new_runtime_error(format!("Task got bad yield: {repr}")))
}

/// The line of the innermost frame of the program's own file that the
/// suspended coroutine is waiting in.
pub(crate) fn suspended_line(coro: &PyObjectRef, filename: &str) -> Option<u32> {
    let mut line = None;
    let mut current = coro.clone();
    for _ in 0..64 {
        let Some(coroutine) = current.downcast_ref::<PyCoroutine>() else {
            break;
        };
        let frame: FrameRef = coroutine.as_coro().frame();
        if frame.code.source_path().as_str() == filename && frame.lasti() > 0 {
            line = Some(frame.current_location().line.get() as u32);
        }
        match frame.yield_from_target() {
            Some(next) => current = next,
            None => break,
        }
    }
    line
}
