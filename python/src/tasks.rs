//! Python tasks and futures over the runtime's own: `asyncio.Task` is a
//! loop task made with [`asyncio::TaskBuilder`] (named, cancellation
//! delivered) driving its coroutine; `asyncio.Future` is an
//! [`asyncio::Future`] of Python objects.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::task::{Context, Poll};

use asyncio::{Fallible, Task, TaskBuilder, TaskRef};
use rustpython_vm::builtins::{PyBaseExceptionRef, PyDictRef};
use rustpython_vm::function::{FuncArgs, OptionalArg};
use rustpython_vm::{PyObjectRef, PyRef, PyResult, VirtualMachine};

use crate::driver::Driver;
use crate::engine::with_vm;
use crate::errors::{self, Kind as Exc};
use crate::handle::{expect, op, Handle, Kind, Op, Resume};
use crate::natives::def;
use crate::state;

/// A Python task's coroutine and outcome.
pub(crate) struct TaskState {
    pub(crate) coro: PyObjectRef,
    pub(crate) filename: String,
    outcome: RefCell<Option<Result<PyObjectRef, PyBaseExceptionRef>>>,
    cancelled_exc: RefCell<Option<PyBaseExceptionRef>>,
    pub(crate) task: RefCell<Option<TaskRef>>,
    /// The runtime's join handle, lent to whoever awaits the task first.
    pub(crate) join: RefCell<Option<Task<PyDone>>>,
    pub(crate) key: Cell<(u64, u64)>,
    pub(crate) retrieved: Cell<bool>,
}

impl TaskState {
    pub(crate) fn new(coro: PyObjectRef, filename: String) -> Rc<TaskState> {
        Rc::new(TaskState {
            coro,
            filename,
            outcome: RefCell::new(None),
            cancelled_exc: RefCell::new(None),
            task: RefCell::new(None),
            join: RefCell::new(None),
            key: Cell::new((0, 0)),
            retrieved: Cell::new(false),
        })
    }

    pub(crate) fn set_outcome(&self, outcome: Result<PyObjectRef, PyBaseExceptionRef>) {
        *self.outcome.borrow_mut() = Some(outcome);
    }

    pub(crate) fn set_cancelled_exc(&self, exc: PyBaseExceptionRef) {
        *self.cancelled_exc.borrow_mut() = Some(exc);
    }

    pub(crate) fn outcome(&self) -> Option<Result<PyObjectRef, PyBaseExceptionRef>> {
        self.outcome.borrow().clone()
    }

    /// The task ended: it leaves the run's table of pending tasks.
    pub(crate) fn finished(&self) {
        if let Some(run) = state::current() {
            run.tasks.borrow_mut().remove(&self.key.get());
        }
    }

    pub(crate) fn task_ref(&self) -> Option<TaskRef> {
        self.task.borrow().clone()
    }

    pub(crate) fn done(&self) -> bool {
        self.task_ref().is_none_or(|task| task.done())
    }

    pub(crate) fn cancelled(&self) -> bool {
        self.task_ref().is_some_and(|task| task.cancelled())
    }

    /// The message a cancelled task was cancelled with.
    pub(crate) fn cancel_message(&self, vm: &VirtualMachine) -> Option<String> {
        let exc = self.cancelled_exc.borrow().clone()?;
        errors::message(vm, &exc)
    }

    /// The outcome as Python sees it: value, exception, or CancelledError.
    pub(crate) fn result(&self, vm: &VirtualMachine) -> PyResult {
        if !self.done() {
            return Err(errors::new(vm, Exc::InvalidState, "Result is not set."));
        }
        if self.cancelled() {
            return Err(self.cancelled_error(vm));
        }
        self.retrieved.set(true);
        match self.outcome() {
            Some(Ok(value)) => Ok(value),
            Some(Err(exc)) => Err(exc),
            None => Err(self.cancelled_error(vm)),
        }
    }

    pub(crate) fn cancelled_error(&self, vm: &VirtualMachine) -> PyBaseExceptionRef {
        errors::cancelled(vm, self.cancel_message(vm))
    }
}

/// A Python task's output as a loop task: the state, whose outcome says
/// whether it failed ([`Fallible`], for `wait(FIRST_EXCEPTION)` and
/// `gather`).
#[derive(Clone)]
pub(crate) enum PyDone {
    /// A Python task ended.
    Task(Rc<TaskState>),
    /// A Python future (waited for by a helper task) is done.
    Future(PyRef<Handle>),
}

impl PyDone {
    /// The outcome as Python sees it.
    pub(crate) fn result(&self, vm: &VirtualMachine) -> PyResult {
        match self {
            PyDone::Task(state) => state.result(vm),
            PyDone::Future(handle) => match &handle.kind {
                Kind::Future(face) => face.result(vm),
                _ => Ok(vm.ctx.none()),
            },
        }
    }

    /// The exception it ended with, if any.
    pub(crate) fn exception(&self) -> Option<PyBaseExceptionRef> {
        match self {
            PyDone::Task(state) => state.outcome().and_then(Result::err),
            PyDone::Future(handle) => match &handle.kind {
                Kind::Future(face) => face.future.exception().ok().flatten(),
                _ => None,
            },
        }
    }
}

impl Fallible for PyDone {
    fn is_error(&self) -> bool {
        self.exception().is_some()
    }
}

impl std::fmt::Debug for PyDone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PyDone")
    }
}

/// Starts `coro` as a task of the running loop, or of `on`.
pub(crate) fn spawn(
    vm: &VirtualMachine,
    coro: PyObjectRef,
    name: Option<String>,
    on: Option<(u64, asyncio::EventLoop)>,
    face: PyObjectRef,
) -> PyResult<Rc<TaskState>> {
    let run = state::current().ok_or_else(|| vm.new_runtime_error("no running program"))?;
    let (serial, lp) = match on {
        Some(on) => on,
        None => {
            let (serial, lp, _) = run
                .running_loop()
                .ok_or_else(|| vm.new_runtime_error("no running event loop"))?;
            (serial, lp)
        }
    };
    if lp.is_closed() {
        return Err(vm.new_runtime_error("Event loop is closed"));
    }
    // As CPython 3.11, every new task takes a number, named or not.
    let number = run.next_task_number();
    let name = name.unwrap_or_else(|| format!("Task-{number}"));
    let state = TaskState::new(coro, run.options.filename.clone());
    let task = TaskBuilder::new()
        .name(name)
        .deliver_cancellation()
        .spawn_on(&lp, Driver::new(Rc::clone(&state)));
    let key = (serial, task.id().0);
    state.key.set(key);
    *state.task.borrow_mut() = Some(task.to_ref());
    *state.join.borrow_mut() = Some(task);
    run.tasks.borrow_mut().insert(key, face);
    run.forward_trace();
    Ok(state)
}

/// Awaiting a Python task: through the runtime's join (so cancelling the
/// awaiting task cancels this one first, as in Python) when the handle is
/// free, otherwise through a done callback.
pub(crate) struct JoinOp {
    state: Rc<TaskState>,
    join: Option<Task<PyDone>>,
    woken: Option<Rc<Cell<bool>>>,
    cancel_requested: Option<Option<String>>,
}

impl JoinOp {
    pub(crate) fn new(state: Rc<TaskState>) -> JoinOp {
        let join = state.join.borrow_mut().take();
        JoinOp {
            state,
            join,
            woken: None,
            cancel_requested: None,
        }
    }

    fn resume(&self) -> Resume {
        let state = Rc::clone(&self.state);
        let cancel = self.cancel_requested.clone();
        Resume::Build(Box::new(move |vm| {
            if state.cancelled() {
                // Cancelled while we waited for it: this task's own request
                // (if any) names the message.
                let message = cancel.flatten().or_else(|| state.cancel_message(vm));
                return Err(errors::cancelled(vm, message));
            }
            state.result(vm)
        }))
    }
}

impl Op for JoinOp {
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Resume> {
        if let Some(join) = self.join.as_mut() {
            match join.poll_join(cx) {
                Poll::Ready(_) => {
                    self.join = None;
                    return Poll::Ready(self.resume());
                }
                Poll::Pending => return Poll::Pending,
            }
        }
        if self.state.done() {
            return Poll::Ready(self.resume());
        }
        match &self.woken {
            Some(woken) if woken.get() => {
                if self.state.done() {
                    return Poll::Ready(self.resume());
                }
                Poll::Pending
            }
            Some(_) => Poll::Pending,
            None => {
                let woken = Rc::new(Cell::new(false));
                let flag = Rc::clone(&woken);
                let waker = cx.waker().clone();
                if let Some(task) = self.state.task_ref() {
                    task.add_done_callback(move |_| {
                        flag.set(true);
                        waker.wake();
                    });
                }
                self.woken = Some(woken);
                Poll::Pending
            }
        }
    }

    fn cancel(&mut self, message: Option<&str>) -> bool {
        let accepted = match self.state.task_ref() {
            Some(task) => match message {
                Some(message) => task.cancel_with_message(message),
                None => task.cancel(),
            },
            None => false,
        };
        if accepted {
            self.cancel_requested = Some(message.map(str::to_string));
        }
        accepted
    }
}

impl Drop for JoinOp {
    fn drop(&mut self) {
        // Lend the join handle back for the next awaiter.
        if let Some(join) = self.join.take() {
            if !self.state.done() {
                *self.state.join.borrow_mut() = Some(join);
            }
        }
    }
}

fn task_state(vm: &VirtualMachine, h: &PyRef<Handle>) -> PyResult<Rc<TaskState>> {
    expect(
        vm,
        h,
        |k| match k {
            Kind::Task(state) => Some(Rc::clone(state)),
            _ => None,
        },
        "task",
    )
}

/// Installs the task and future natives.
pub(crate) fn install(vm: &VirtualMachine, d: &PyDictRef) -> PyResult<()> {
    def(
        vm,
        d,
        "task_new",
        |coro: PyObjectRef,
         name: Option<String>,
         lp: Option<PyRef<Handle>>,
         face: PyObjectRef,
         vm: &VirtualMachine|
         -> PyResult {
            let on = match lp {
                Some(h) => Some(crate::loops::loop_of(vm, &h)?),
                None => None,
            };
            let state = spawn(vm, coro, name, on, face)?;
            Ok(Handle::new(vm, Kind::Task(state)).into())
        },
    )?;
    def(
        vm,
        d,
        "task_done",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult<bool> {
            Ok(task_state(vm, &h)?.done())
        },
    )?;
    def(
        vm,
        d,
        "task_cancelled",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult<bool> {
            Ok(task_state(vm, &h)?.cancelled())
        },
    )?;
    def(
        vm,
        d,
        "task_cancel",
        |h: PyRef<Handle>, msg: Option<String>, vm: &VirtualMachine| -> PyResult<bool> {
            let state = task_state(vm, &h)?;
            Ok(match state.task_ref() {
                Some(task) => match msg {
                    Some(msg) => task.cancel_with_message(msg),
                    None => task.cancel(),
                },
                None => false,
            })
        },
    )?;
    def(
        vm,
        d,
        "task_result",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult { task_state(vm, &h)?.result(vm) },
    )?;
    def(
        vm,
        d,
        "task_exception",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult {
            let state = task_state(vm, &h)?;
            if !state.done() {
                return Err(errors::new(vm, Exc::InvalidState, "Exception is not set."));
            }
            if state.cancelled() {
                return Err(state.cancelled_error(vm));
            }
            state.retrieved.set(true);
            Ok(match state.outcome() {
                Some(Err(exc)) => exc.into(),
                _ => vm.ctx.none(),
            })
        },
    )?;
    def(
        vm,
        d,
        "task_name",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult<String> {
            Ok(task_state(vm, &h)?
                .task_ref()
                .map(|t| t.name())
                .unwrap_or_default())
        },
    )?;
    def(
        vm,
        d,
        "task_set_name",
        |h: PyRef<Handle>, name: String, vm: &VirtualMachine| -> PyResult<()> {
            if let Some(task) = task_state(vm, &h)?.task_ref() {
                task.set_name(name);
            }
            Ok(())
        },
    )?;
    def(
        vm,
        d,
        "task_cancelling",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult<u32> {
            Ok(task_state(vm, &h)?.task_ref().map_or(0, |t| t.cancelling()))
        },
    )?;
    def(
        vm,
        d,
        "task_uncancel",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult<u32> {
            Ok(task_state(vm, &h)?.task_ref().map_or(0, |t| t.uncancel()))
        },
    )?;
    def(
        vm,
        d,
        "task_coro",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult {
            Ok(task_state(vm, &h)?.coro.clone())
        },
    )?;
    def(
        vm,
        d,
        "task_add_done_callback",
        |h: PyRef<Handle>, callback: PyObjectRef, vm: &VirtualMachine| -> PyResult<()> {
            let state = task_state(vm, &h)?;
            if let Some(task) = state.task_ref() {
                task.add_done_callback(move |_| {
                    with_vm(|vm| {
                        if let Err(exc) = callback.call((), vm) {
                            crate::natives::report_callback_error(vm, &exc);
                        }
                    });
                });
            }
            Ok(())
        },
    )?;
    def(
        vm,
        d,
        "task_wait",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult {
            let state = task_state(vm, &h)?;
            Ok(Handle::op(vm, Box::new(JoinOp::new(state))))
        },
    )?;
    def(vm, d, "current_task", |vm: &VirtualMachine| -> PyResult {
        let Some(run) = state::current() else {
            return Ok(vm.ctx.none());
        };
        let Some(serial) = run.running_serial() else {
            return Ok(vm.ctx.none());
        };
        let Some(task) = asyncio::current_task() else {
            return Ok(vm.ctx.none());
        };
        let face = run.tasks.borrow().get(&(serial, task.id().0)).cloned();
        Ok(face.unwrap_or_else(|| vm.ctx.none()))
    })?;
    def(
        vm,
        d,
        "all_tasks",
        |lp: OptionalArg<Option<PyRef<Handle>>>, vm: &VirtualMachine| -> PyResult {
            let Some(run) = state::current() else {
                return Ok(vm.ctx.new_list(vec![]).into());
            };
            let serial = match lp.flatten() {
                Some(h) => crate::loops::loop_of(vm, &h)?.0,
                None => match run.running_serial() {
                    Some(serial) => serial,
                    None => return Err(vm.new_runtime_error("no running event loop")),
                },
            };
            let tasks = run.tasks.borrow();
            let mut pending: Vec<_> = tasks
                .iter()
                .filter(|((s, _), _)| *s == serial)
                .map(|((_, id), face)| (*id, face.clone()))
                .collect();
            pending.sort_by_key(|(id, _)| *id);
            Ok(vm
                .ctx
                .new_list(pending.into_iter().map(|(_, face)| face).collect())
                .into())
        },
    )?;

    def(
        vm,
        d,
        "sleep",
        |delay: f64, vm: &VirtualMachine| -> PyResult {
            let sleep =
                asyncio::sleep_secs(delay).map_err(|err| vm.new_value_error(err.to_string()))?;
            Ok(Handle::op(
                vm,
                op(async move {
                    sleep.await;
                    Resume::None
                }),
            ))
        },
    )?;
    let _ = FuncArgs::default();
    Ok(())
}
