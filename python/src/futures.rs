//! `asyncio.Future` over [`asyncio::Future`]: a future of Python objects,
//! with the Python callables added as done callbacks (for
//! `remove_done_callback` and the repr), and awaiting it as an operation.

use std::cell::RefCell;
use std::task::{Context, Poll};

use asyncio::FutureError;
use rustpython_vm::builtins::{PyBaseExceptionRef, PyDictRef};
use rustpython_vm::{PyObjectRef, PyRef, PyResult, VirtualMachine};

use crate::engine::with_vm;
use crate::errors::{self, Kind as Exc};
use crate::handle::{expect, Handle, Kind, Op, Resume};
use crate::natives::def;

use std::future::Future as _;

/// A Python future: the runtime's future of Python objects, with the
/// Python callables added as done callbacks (for `remove_done_callback`
/// and the repr).
pub(crate) struct FutureFace {
    pub(crate) future: asyncio::Future<PyObjectRef, PyBaseExceptionRef>,
    callbacks: RefCell<Vec<(PyObjectRef, asyncio::CallbackId)>>,
    cancel_message: RefCell<Option<String>>,
}

impl FutureFace {
    fn cancelled_error(&self, vm: &VirtualMachine) -> PyBaseExceptionRef {
        errors::cancelled(vm, self.cancel_message.borrow().clone())
    }

    pub(crate) fn result(&self, vm: &VirtualMachine) -> PyResult {
        match self.future.result() {
            Ok(value) => Ok(value),
            Err(FutureError::InvalidState) => {
                Err(errors::new(vm, Exc::InvalidState, "Result is not set."))
            }
            Err(FutureError::Exception(exc)) => Err(exc),
            Err(_) => Err(self.cancelled_error(vm)),
        }
    }

    /// Waiting for it, as an operation.
    pub(crate) fn wait(face: &PyRef<Handle>) -> PyResult<FutureWaitOp> {
        Ok(FutureWaitOp {
            handle: face.clone(),
            wait: None,
        })
    }
}

/// Awaiting a Python future.
pub(crate) struct FutureWaitOp {
    handle: PyRef<Handle>,
    wait: Option<asyncio::FutureWait<PyObjectRef, PyBaseExceptionRef>>,
}

impl Op for FutureWaitOp {
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Resume> {
        let Kind::Future(face) = &self.handle.kind else {
            return Poll::Ready(Resume::None);
        };
        let wait = self
            .wait
            .get_or_insert_with(|| std::future::IntoFuture::into_future(&face.future));
        match std::pin::Pin::new(wait).poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(_) => {
                let handle = self.handle.clone();
                Poll::Ready(Resume::Build(Box::new(move |vm| match &handle.kind {
                    Kind::Future(face) => face.result(vm),
                    _ => Ok(vm.ctx.none()),
                })))
            }
        }
    }

    fn cancel(&mut self, message: Option<&str>) -> bool {
        // As Python: cancelling the task cancels the future it awaits.
        match &self.handle.kind {
            Kind::Future(face) => {
                if face.future.done() {
                    return false;
                }
                *face.cancel_message.borrow_mut() = message.map(str::to_string);
                face.future.cancel()
            }
            _ => false,
        }
    }
}

fn future_face<'a>(vm: &VirtualMachine, h: &'a PyRef<Handle>) -> PyResult<&'a FutureFace> {
    expect(
        vm,
        h,
        |k| match k {
            Kind::Future(face) => Some(face),
            _ => None,
        },
        "future",
    )
}

/// Installs the future natives.
pub(crate) fn install(vm: &VirtualMachine, d: &PyDictRef) -> PyResult<()> {
    def(vm, d, "future_new", |vm: &VirtualMachine| -> PyResult {
        Ok(Handle::new(
            vm,
            Kind::Future(FutureFace {
                future: asyncio::Future::new(),
                callbacks: RefCell::new(Vec::new()),
                cancel_message: RefCell::new(None),
            }),
        )
        .into())
    })?;
    def(
        vm,
        d,
        "future_done",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult<bool> {
            Ok(future_face(vm, &h)?.future.done())
        },
    )?;
    def(
        vm,
        d,
        "future_cancelled",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult<bool> {
            Ok(future_face(vm, &h)?.future.cancelled())
        },
    )?;
    def(
        vm,
        d,
        "future_set_result",
        |h: PyRef<Handle>, value: PyObjectRef, vm: &VirtualMachine| -> PyResult<()> {
            future_face(vm, &h)?
                .future
                .set_result(value)
                .map_err(|_| errors::new(vm, Exc::InvalidState, "invalid state"))
        },
    )?;
    def(
        vm,
        d,
        "future_set_exception",
        |h: PyRef<Handle>, exc: PyBaseExceptionRef, vm: &VirtualMachine| -> PyResult<()> {
            future_face(vm, &h)?
                .future
                .set_exception(exc)
                .map_err(|_| errors::new(vm, Exc::InvalidState, "invalid state"))
        },
    )?;
    def(
        vm,
        d,
        "future_cancel",
        |h: PyRef<Handle>, msg: Option<String>, vm: &VirtualMachine| -> PyResult<bool> {
            let face = future_face(vm, &h)?;
            if face.future.done() {
                return Ok(false);
            }
            *face.cancel_message.borrow_mut() = msg;
            Ok(face.future.cancel())
        },
    )?;
    def(
        vm,
        d,
        "future_result",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult { future_face(vm, &h)?.result(vm) },
    )?;
    def(
        vm,
        d,
        "future_exception",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult {
            let face = future_face(vm, &h)?;
            match face.future.exception() {
                Ok(Some(exc)) => Ok(exc.into()),
                Ok(None) => Ok(vm.ctx.none()),
                Err(FutureError::InvalidState) => {
                    Err(errors::new(vm, Exc::InvalidState, "Exception is not set."))
                }
                Err(_) => Err(face.cancelled_error(vm)),
            }
        },
    )?;
    def(
        vm,
        d,
        "future_add_done_callback",
        |h: PyRef<Handle>,
         callback: PyObjectRef,
         arg: PyObjectRef,
         vm: &VirtualMachine|
         -> PyResult<()> {
            let face = future_face(vm, &h)?;
            let call = callback.clone();
            let id = face.future.add_done_callback(move |_| {
                with_vm(|vm| {
                    if let Err(exc) = call.call((arg,), vm) {
                        crate::natives::report_callback_error(vm, &exc);
                    }
                });
            });
            face.callbacks.borrow_mut().push((callback, id));
            Ok(())
        },
    )?;
    def(
        vm,
        d,
        "future_remove_done_callback",
        |h: PyRef<Handle>, callback: PyObjectRef, vm: &VirtualMachine| -> PyResult<usize> {
            let face = future_face(vm, &h)?;
            let mut removed = 0;
            let mut kept = Vec::new();
            for (cb, id) in face.callbacks.borrow_mut().drain(..) {
                if vm.bool_eq(&cb, &callback)? {
                    if face.future.remove_done_callback(id) {
                        removed += 1;
                    }
                } else {
                    kept.push((cb, id));
                }
            }
            *face.callbacks.borrow_mut() = kept;
            Ok(removed)
        },
    )?;
    def(
        vm,
        d,
        "future_callbacks",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult {
            let face = future_face(vm, &h)?;
            if face.future.done() {
                return Ok(vm.ctx.new_list(vec![]).into());
            }
            Ok(vm
                .ctx
                .new_list(
                    face.callbacks
                        .borrow()
                        .iter()
                        .map(|(cb, _)| cb.clone())
                        .collect(),
                )
                .into())
        },
    )?;
    def(
        vm,
        d,
        "future_wait",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult {
            future_face(vm, &h)?;
            Ok(Handle::op(vm, Box::new(FutureFace::wait(&h)?)))
        },
    )?;
    Ok(())
}
