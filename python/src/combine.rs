//! `gather`, `wait`, `wait_for`, `shield` and `as_completed` over the
//! runtime's combinators, on the tasks' own join handles.

use std::cell::{Cell, RefCell};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use asyncio::{
    AsCompleted, AsCompletedError, GatherError, ReturnWhen, Task, TaskRef, WaitForError,
};
use rustpython_vm::builtins::PyDictRef;
use rustpython_vm::{PyObjectRef, PyRef, PyResult, VirtualMachine};

use crate::errors::{self, Kind as Exc};
use crate::handle::{op, Handle, Kind, Op, Resume};
use crate::natives::def;
use crate::tasks::{PyDone, TaskState};

use std::future::Future as _;

/// An `as_completed` iteration.
pub(crate) struct AsCompletedFace(RefCell<AsCompleted<Task<PyDone>>>);

/// What a combinator waits for: a Python task, or a Python future.
enum Child {
    Task(Rc<TaskState>),
    Future(PyRef<Handle>),
}

impl Child {
    fn task_ref(&self) -> Option<TaskRef> {
        match self {
            Child::Task(state) => state.task_ref(),
            Child::Future(_) => None,
        }
    }
}

fn states(vm: &VirtualMachine, handles: &[PyRef<Handle>]) -> PyResult<Vec<Child>> {
    handles
        .iter()
        .map(|h| match &h.kind {
            Kind::Task(state) => Ok(Child::Task(Rc::clone(state))),
            Kind::Future(_) => Ok(Child::Future(h.clone())),
            _ => Err(vm.new_type_error("expected a task or a future")),
        })
        .collect()
}

fn child_join(child: &Child) -> Task<PyDone> {
    match child {
        Child::Task(state) => join_of(state),
        Child::Future(handle) => {
            // A future is not a task: a helper task waits for it.
            let handle = handle.clone();
            asyncio::create_task(async move {
                if let Ok(mut wait) = crate::futures::FutureFace::wait(&handle) {
                    let _ = std::future::poll_fn(|cx| wait.poll(cx)).await;
                }
                PyDone::Future(handle)
            })
        }
    }
}

/// The task's join handle, or (when it is lent to another awaiter) a task
/// that waits for it.
fn join_of(state: &Rc<TaskState>) -> Task<PyDone> {
    if let Some(join) = state.join.borrow_mut().take() {
        return join;
    }
    let state = Rc::clone(state);
    asyncio::create_task(async move {
        let woken = Rc::new(Cell::new(false));
        std::future::poll_fn(|cx| {
            if state.done() {
                return Poll::Ready(());
            }
            if !woken.replace(true) {
                if let Some(task) = state.task_ref() {
                    let waker = cx.waker().clone();
                    task.add_done_callback(move |_| waker.wake());
                }
            }
            Poll::Pending
        })
        .await;
        PyDone::Task(state)
    })
}

fn value_of(vm: &VirtualMachine, done: &PyDone) -> PyResult {
    done.result(vm)
}

/// A combinator's future with the tasks it stands over, so cancelling the
/// awaiting task cancels them (Python's gather and wait_for).
struct Cancelling<F: std::future::Future> {
    future: Pin<Box<F>>,
    children: Vec<TaskRef>,
    requested: Option<Option<String>>,
    finish: fn(&mut Option<Option<String>>, F::Output) -> Resume,
}

impl<F: std::future::Future> Op for Cancelling<F> {
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Resume> {
        let output = std::task::ready!(self.future.as_mut().poll(cx));
        Poll::Ready((self.finish)(&mut self.requested, output))
    }

    fn cancel(&mut self, message: Option<&str>) -> bool {
        let mut accepted = false;
        for child in &self.children {
            accepted |= match message {
                Some(message) => child.cancel_with_message(message),
                None => child.cancel(),
            };
        }
        if accepted {
            self.requested = Some(message.map(str::to_string));
        }
        accepted
    }
}

/// Installs the combinators.
pub(crate) fn install(vm: &VirtualMachine, d: &PyDictRef) -> PyResult<()> {
    def(
        vm,
        d,
        "gather",
        |tasks: Vec<PyRef<Handle>>, return_exceptions: bool, vm: &VirtualMachine| -> PyResult {
            let states = states(vm, &tasks)?;
            let children: Vec<TaskRef> = states.iter().filter_map(Child::task_ref).collect();
            let joins: Vec<Task<PyDone>> = states.iter().map(child_join).collect();
            if return_exceptions {
                let future = asyncio::gather_results(joins);
                return Ok(Handle::op(
                    vm,
                    Box::new(Cancelling {
                        future: Box::pin(future),
                        children,
                        requested: None,
                        finish: |requested, outcomes| {
                            let requested = requested.take();
                            Resume::Build(Box::new(move |vm| {
                                if let Some(message) = requested {
                                    return Err(errors::cancelled(vm, message));
                                }
                                let items = outcomes
                                    .into_iter()
                                    .map(|outcome| match outcome {
                                        Ok(done) => match value_of(vm, &done) {
                                            Ok(value) => value,
                                            Err(exc) => exc.into(),
                                        },
                                        Err(cancelled) => errors::cancelled(
                                            vm,
                                            cancelled.message().map(str::to_string),
                                        )
                                        .into(),
                                    })
                                    .collect();
                                Ok(vm.ctx.new_list(items).into())
                            }))
                        },
                    }),
                ));
            }
            let future = asyncio::gather_until_error(joins);
            Ok(Handle::op(
                vm,
                Box::new(Cancelling {
                    future: Box::pin(future),
                    children,
                    requested: None,
                    finish: |requested, outcome| {
                        let requested = requested.take();
                        Resume::Build(Box::new(move |vm| match outcome {
                            Ok(dones) => {
                                let values = dones
                                    .iter()
                                    .map(|done| value_of(vm, done))
                                    .collect::<PyResult<Vec<_>>>()?;
                                Ok(vm.ctx.new_list(values).into())
                            }
                            Err(GatherError::Failed(done)) => value_of(vm, &done),
                            Err(GatherError::Cancelled(cancelled)) => Err(errors::cancelled(
                                vm,
                                requested
                                    .flatten()
                                    .or_else(|| cancelled.message().map(str::to_string)),
                            )),
                        }))
                    },
                }),
            ))
        },
    )?;
    def(
        vm,
        d,
        "wait",
        |tasks: Vec<PyRef<Handle>>,
         timeout: Option<f64>,
         when: String,
         vm: &VirtualMachine|
         -> PyResult {
            let states = states(vm, &tasks)?;
            let timeout = match timeout {
                Some(secs) if secs.is_finite() => Some(Duration::from_secs_f64(secs.max(0.0))),
                Some(_) => None,
                None => None,
            };
            let return_when = match when.as_str() {
                "FIRST_COMPLETED" => ReturnWhen::FirstCompleted,
                "FIRST_EXCEPTION" => ReturnWhen::FirstException,
                "ALL_COMPLETED" => ReturnWhen::AllCompleted,
                other => {
                    return Err(vm.new_value_error(format!("Invalid return_when value: {other}")))
                }
            };
            let joins: Vec<Task<PyDone>> = states.iter().map(child_join).collect();
            let ids: Vec<Option<u64>> = joins.iter().map(|j| Some(j.id().0)).collect();
            let wait = asyncio::wait(joins, timeout, return_when);
            let order: Vec<Child> = states;
            Ok(Handle::op(
                vm,
                op(async move {
                    let (done, pending) = wait.await;
                    let index_of =
                        |task: &Task<PyDone>| ids.iter().position(|id| *id == Some(task.id().0));
                    let done_ix: Vec<usize> = done.iter().filter_map(index_of).collect();
                    let pending_ix: Vec<usize> = pending.iter().filter_map(index_of).collect();
                    // Lend the handles back: the pending tasks may be awaited later.
                    for task in pending {
                        if let Some(ix) = index_of(&task) {
                            if let Child::Task(state) = &order[ix] {
                                *state.join.borrow_mut() = Some(task);
                            }
                        }
                    }
                    Resume::Build(Box::new(move |vm| {
                        let list = |ix: Vec<usize>| -> PyObjectRef {
                            vm.ctx
                                .new_list(
                                    ix.into_iter().map(|i| vm.ctx.new_int(i).into()).collect(),
                                )
                                .into()
                        };
                        Ok(vm
                            .ctx
                            .new_tuple(vec![list(done_ix), list(pending_ix)])
                            .into())
                    }))
                }),
            ))
        },
    )?;
    def(
        vm,
        d,
        "wait_for",
        |task: PyRef<Handle>, timeout: f64, vm: &VirtualMachine| -> PyResult {
            let state = states(vm, std::slice::from_ref(&task))?.remove(0);
            let join = child_join(&state);
            let duration = Duration::from_secs_f64(if timeout.is_finite() {
                timeout.max(0.0)
            } else {
                0.0
            });
            let future = asyncio::wait_for(duration, join);
            Ok(Handle::op(
                vm,
                op(async move {
                    let outcome = future.await;
                    Resume::Build(Box::new(move |vm| match outcome {
                        Ok(done) => value_of(vm, &done),
                        Err(WaitForError::Timeout(_)) => Err(errors::new(vm, Exc::Timeout, "")),
                        Err(WaitForError::Cancelled(cancelled)) => Err(errors::cancelled(
                            vm,
                            cancelled.message().map(str::to_string),
                        )),
                        Err(_) => Err(errors::new(vm, Exc::Timeout, "")),
                    }))
                }),
            ))
        },
    )?;
    def(
        vm,
        d,
        "shield",
        |task: PyRef<Handle>, vm: &VirtualMachine| -> PyResult {
            let state = states(vm, std::slice::from_ref(&task))?.remove(0);
            let join = child_join(&state);
            let shielded = asyncio::shield(join);
            Ok(Handle::op(
                vm,
                op(async move {
                    let outcome = shielded.await;
                    Resume::Build(Box::new(move |vm| match outcome {
                        Ok(done) => value_of(vm, &done),
                        Err(cancelled) => Err(errors::cancelled(
                            vm,
                            cancelled.message().map(str::to_string),
                        )),
                    }))
                }),
            ))
        },
    )?;
    def(
        vm,
        d,
        "as_completed",
        |tasks: Vec<PyRef<Handle>>, timeout: Option<f64>, vm: &VirtualMachine| -> PyResult {
            let states = states(vm, &tasks)?;
            let joins: Vec<Task<PyDone>> = states.iter().map(child_join).collect();
            let timeout = timeout
                .filter(|t| t.is_finite())
                .map(|t| Duration::from_secs_f64(t.max(0.0)));
            let iteration = asyncio::as_completed(joins, timeout);
            Ok(Handle::new(
                vm,
                Kind::AsCompleted(AsCompletedFace(RefCell::new(iteration))),
            )
            .into())
        },
    )?;
    def(
        vm,
        d,
        "as_completed_next",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult {
            if !matches!(h.kind, Kind::AsCompleted(_)) {
                return Err(vm.new_type_error("expected an as_completed handle"));
            }
            let handle = h.clone();
            Ok(Handle::op(
                vm,
                op(async move {
                    let next = std::future::poll_fn(|cx| {
                        let Kind::AsCompleted(face) = &handle.kind else {
                            return Poll::Ready(None);
                        };
                        let mut iteration = face.0.borrow_mut();
                        let mut next = iteration.next();
                        Pin::new(&mut next).poll(cx)
                    })
                    .await;
                    Resume::Build(Box::new(move |vm| match next {
                        Some(Ok(done)) => value_of(vm, &done),
                        Some(Err(AsCompletedError::Timeout(_))) => {
                            Err(errors::new(vm, Exc::Timeout, ""))
                        }
                        Some(Err(AsCompletedError::Cancelled(cancelled))) => Err(
                            errors::cancelled(vm, cancelled.message().map(str::to_string)),
                        ),
                        Some(Err(_)) | None => Err(vm.new_stop_iteration(None)),
                    }))
                }),
            ))
        },
    )?;
    Ok(())
}
