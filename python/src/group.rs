//! `asyncio.TaskGroup` over [`asyncio::TaskGroup`]: children made with
//! [`asyncio::TaskGroup::create_task_with`] (named, cancellation
//! delivered, so their `finally` blocks run when the group aborts). As in
//! Python, the first child to fail also cancels the task that entered the
//! group, and leaving the group waits for every child.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::task::{Context, Poll};

use asyncio::{Fallible, TaskBuilder, TaskGroup, TaskRef};
use rustpython_vm::builtins::PyDictRef;
use rustpython_vm::{PyObjectRef, PyRef, PyResult, VirtualMachine};

use crate::driver::Driver;
use crate::errors;
use crate::handle::{Handle, Kind, Op, Resume};
use crate::natives::def;
use crate::state;
use crate::tasks::{PyDone, TaskState};

/// A Python task group.
pub(crate) struct GroupFace(Rc<GroupInner>);

struct GroupInner {
    group: RefCell<Option<TaskGroup<PyDone>>>,
    children: RefCell<Vec<TaskRef>>,
    parent: RefCell<Option<TaskRef>>,
    aborting: Cell<bool>,
    parent_cancel_requested: Cell<bool>,
}

impl GroupInner {
    fn abort(&self, message: Option<&str>) -> bool {
        self.aborting.set(true);
        let mut accepted = false;
        for child in self.children.borrow().iter() {
            accepted |= match message {
                Some(message) => child.cancel_with_message(message),
                None => child.cancel(),
            };
        }
        accepted
    }

    /// A child failed: as Python's `_on_task_done`, the group aborts and
    /// the task that entered it is cancelled, once.
    fn child_failed(&self) {
        if self.aborting.get() || self.parent_cancel_requested.get() {
            return;
        }
        self.abort(None);
        self.parent_cancel_requested.set(true);
        if let Some(parent) = self.parent.borrow().as_ref() {
            parent.cancel();
        }
    }
}

fn inner(vm: &VirtualMachine, h: &PyRef<Handle>) -> PyResult<Rc<GroupInner>> {
    match &h.kind {
        Kind::Group(face) => Ok(Rc::clone(&face.0)),
        _ => Err(vm.new_type_error("expected a task group handle")),
    }
}

/// Leaving the group: waits for every child. Cancelled meanwhile, it
/// aborts the children and keeps waiting, then reports the cancellation.
struct JoinOp {
    join: asyncio::Join<PyDone>,
    inner: Rc<GroupInner>,
    cancelled: Option<Option<String>>,
}

impl Op for JoinOp {
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Resume> {
        let outcome = std::task::ready!(std::pin::Pin::new(&mut self.join).poll(cx));
        let failures: Vec<PyDone> = match outcome {
            Ok(()) => Vec::new(),
            Err(err) => err.errors,
        };
        let cancelled = self.cancelled.take();
        Poll::Ready(Resume::Build(Box::new(move |vm| {
            let errors: Vec<PyObjectRef> = failures
                .iter()
                .filter_map(|done| done.exception().map(Into::into))
                .collect();
            let cancelled: PyObjectRef = match cancelled {
                Some(message) => errors::cancelled(vm, message).into(),
                None => vm.ctx.none(),
            };
            Ok(vm
                .ctx
                .new_tuple(vec![vm.ctx.new_list(errors).into(), cancelled])
                .into())
        })))
    }

    fn cancel(&mut self, message: Option<&str>) -> bool {
        // As Python's `__aexit__`: a cancellation while the group is
        // already aborting (a child failed) is the group's own doing.
        if !self.inner.aborting.get() {
            self.inner.abort(message);
            self.cancelled = Some(message.map(str::to_string));
        }
        true
    }
}

use std::future::Future as _;

/// Installs the task group natives.
pub(crate) fn install(vm: &VirtualMachine, d: &PyDictRef) -> PyResult<()> {
    def(vm, d, "group_new", |vm: &VirtualMachine| -> PyObjectRef {
        let inner = GroupInner {
            group: RefCell::new(Some(TaskGroup::new())),
            children: RefCell::new(Vec::new()),
            parent: RefCell::new(None),
            aborting: Cell::new(false),
            parent_cancel_requested: Cell::new(false),
        };
        Handle::new(vm, Kind::Group(GroupFace(Rc::new(inner)))).into()
    })?;
    def(
        vm,
        d,
        "group_enter",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult<()> {
            let inner = inner(vm, &h)?;
            let parent = asyncio::current_task().ok_or_else(|| {
                vm.new_runtime_error("TaskGroup cannot determine the parent task")
            })?;
            *inner.parent.borrow_mut() = Some(parent);
            Ok(())
        },
    )?;
    def(
        vm,
        d,
        "group_state",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult<(usize, bool, bool)> {
            let inner = inner(vm, &h)?;
            let running = inner.children.borrow().iter().filter(|c| !c.done()).count();
            Ok((
                running,
                inner.aborting.get(),
                inner.parent_cancel_requested.get(),
            ))
        },
    )?;
    def(
        vm,
        d,
        "group_abort",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult<()> {
            inner(vm, &h)?.abort(None);
            Ok(())
        },
    )?;
    def(
        vm,
        d,
        "group_create_task",
        |h: PyRef<Handle>,
         coro: PyObjectRef,
         name: Option<String>,
         face: PyObjectRef,
         vm: &VirtualMachine|
         -> PyResult {
            let inner = inner(vm, &h)?;
            let run = state::current().ok_or_else(|| vm.new_runtime_error("no running program"))?;
            let serial = run
                .running_serial()
                .ok_or_else(|| vm.new_runtime_error("no running event loop"))?;
            // As CPython 3.11, every new task takes a number, named or not.
            let number = run.next_task_number();
            let name = name.unwrap_or_else(|| format!("Task-{number}"));
            let task_state = TaskState::new(coro, run.options.filename.clone());
            let weak: Weak<GroupInner> = Rc::downgrade(&inner);
            let driver = Driver::new(Rc::clone(&task_state));
            let child = async move {
                let done = driver.await;
                if done.is_error() {
                    if let Some(group) = weak.upgrade() {
                        group.child_failed();
                    }
                    Err(done)
                } else {
                    Ok(done)
                }
            };
            let task = {
                let group = inner.group.borrow();
                let group = group
                    .as_ref()
                    .ok_or_else(|| vm.new_runtime_error("the task group has finished"))?;
                group.create_task_with(TaskBuilder::new().name(name).deliver_cancellation(), child)
            };
            let key = (serial, task.id().0);
            task_state.key.set(key);
            *task_state.task.borrow_mut() = Some(task.to_ref());
            inner.children.borrow_mut().push(task.to_ref());
            if !task.done() {
                run.tasks.borrow_mut().insert(key, face);
            }
            task.detach();
            Ok(Handle::new(vm, Kind::Task(task_state)).into())
        },
    )?;
    def(
        vm,
        d,
        "group_join",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult {
            let inner = inner(vm, &h)?;
            let group = inner
                .group
                .borrow_mut()
                .take()
                .ok_or_else(|| vm.new_runtime_error("the task group has already been left"))?;
            Ok(Handle::op(
                vm,
                Box::new(JoinOp {
                    join: group.join(),
                    inner,
                    cancelled: None,
                }),
            ))
        },
    )?;
    Ok(())
}
