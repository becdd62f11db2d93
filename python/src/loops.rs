//! Python event loops over [`asyncio::EventLoop`]: `new_event_loop`,
//! `run_until_complete`, `run_forever`/`stop`, `call_soon`/`call_later`/
//! `call_at`, and the runs that `asyncio.run` makes.
//!
//! A run started from the program's top level is awaited by the program
//! driver (so the browser's real clock can drive it); one started from
//! anywhere else blocks, which only the virtual clock can do.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use asyncio::{EventLoop, RunError};
use rustpython_vm::builtins::{PyDictRef, PyTupleRef};
use rustpython_vm::{PyObjectRef, PyRef, PyResult, VirtualMachine};

use crate::engine::with_vm;
use crate::errors;
use crate::futures::FutureFace;
use crate::handle::{expect, op, Handle, Kind, Op, Resume};
use crate::natives::{def, report_callback_error};
use crate::state::{self, LoopEntry, RunState};
use crate::tasks::JoinOp;

/// The loop a handle stands for, with its serial.
pub(crate) fn loop_of(vm: &VirtualMachine, h: &PyRef<Handle>) -> PyResult<(u64, EventLoop)> {
    expect(
        vm,
        h,
        |k| match k {
            Kind::Loop(lp, serial) => Some((*serial, lp.clone())),
            _ => None,
        },
        "loop",
    )
}

/// Polls `inner` with loop `serial` marked as the program's running loop.
struct InLoop<F> {
    run: Rc<RunState>,
    serial: u64,
    inner: Pin<Box<F>>,
}

impl<F: Future> Future for InLoop<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        let poll = this.inner.as_mut().poll(cx);
        this.run.forward_trace();
        if poll.is_ready() {
            settle_clock(&this.run, this.serial);
        }
        poll
    }
}

/// After a run of loop `serial`, the run clock carries on from its time.
fn settle_clock(run: &RunState, serial: u64) {
    if run.options.clock != asyncio::Clock::Virtual {
        return;
    }
    if let Some(entry) = run.loops.borrow().iter().find(|e| e.serial == serial) {
        let end = entry.born_ms + entry.lp.time_ms();
        if end > run.clock_ms.get() {
            run.clock_ms.set(end);
        }
    }
}

/// What a run waits for: a Python task or future.
fn target(vm: &VirtualMachine, awaited: &PyRef<Handle>) -> PyResult<Box<dyn Op>> {
    match &awaited.kind {
        Kind::Task(state) => Ok(Box::new(JoinOp::new(Rc::clone(state)))),
        Kind::Future(_) => Ok(Box::new(FutureFace::wait(awaited)?)),
        Kind::Op(slot) => slot
            .borrow_mut()
            .take()
            .ok_or_else(|| vm.new_runtime_error("cannot reuse already awaited coroutine")),
        _ => Err(vm.new_type_error("An asyncio.Future, a coroutine or an awaitable is required")),
    }
}

/// The outcome of a finished run as Python sees it.
fn finish(vm: &VirtualMachine, result: Result<Option<Resume>, RunError>) -> PyResult {
    if let Some(run) = state::current() {
        if let Some(why) = run.exceeded.get() {
            // The exception the budget first raised, with where it was.
            let first = run.budget_exc.borrow().clone();
            return Err(first.unwrap_or_else(|| crate::natives::budget_error(vm, why)));
        }
    }
    match result {
        Ok(Some(resume)) => resume.into_result(vm),
        Ok(None) => Ok(vm.ctx.none()),
        Err(RunError::Stopped) => Err(vm.new_runtime_error("Event loop stopped before Future completed.")),
        Err(RunError::Closed) => Err(vm.new_runtime_error("Event loop is closed")),
        Err(RunError::AlreadyRunning) => Err(vm.new_runtime_error("This event loop is already running")),
        Err(RunError::NestedLoop) => Err(vm.new_runtime_error(
            "Cannot run the event loop while another loop is running",
        )),
        Err(RunError::WouldBlock) => Err(vm.new_runtime_error(
            "this run cannot block here: on the browser's clock, start runs at the top level of the program",
        )),
        Err(RunError::Cancelled(cancelled)) => Err(errors::cancelled(vm, cancelled.message().map(str::to_string))),
        Err(other) => Err(vm.new_runtime_error(other.to_string())),
    }
}

/// A run of `lp` until `wait` completes (or, with `None`, until stopped).
fn run_future(
    lp: &EventLoop,
    mut wait: Option<Box<dyn Op>>,
) -> impl Future<Output = Result<Option<Resume>, RunError>> {
    let main = async move {
        match wait.as_mut() {
            Some(wait) => Some(std::future::poll_fn(|cx| wait.poll(cx)).await),
            None => std::future::pending().await,
        }
    };
    lp.run_until_complete(main)
}

/// Runs `future` on loop `serial`: blocking (the virtual clock completes it
/// in one poll) or as an operation for the program driver.
fn drive<F>(vm: &VirtualMachine, serial: u64, future: F, blocking: bool, forever: bool) -> PyResult
where
    F: Future<Output = Result<Option<Resume>, RunError>> + 'static,
{
    let run = state::current().ok_or_else(|| vm.new_runtime_error("no running program"))?;
    let in_loop = InLoop {
        run,
        serial,
        inner: Box::pin(future),
    };
    let settle = move |result: Result<Option<Resume>, RunError>| match result {
        Err(RunError::Stopped) if forever => Ok(None),
        other => other,
    };
    if blocking {
        let mut in_loop = in_loop;
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let result = match Pin::new(&mut in_loop).poll(&mut cx) {
            Poll::Ready(result) => result,
            Poll::Pending => Err(RunError::WouldBlock),
        };
        return finish(vm, settle(result));
    }
    Ok(Handle::op(
        vm,
        op(async move {
            let result = settle(in_loop.await);
            Resume::Build(Box::new(move |vm| finish(vm, result)))
        }),
    ))
}

/// Installs the loop natives.
pub(crate) fn install(vm: &VirtualMachine, d: &PyDictRef) -> PyResult<()> {
    def(
        vm,
        d,
        "loop_new",
        |face: PyObjectRef, vm: &VirtualMachine| -> PyResult {
            let run = state::current().ok_or_else(|| vm.new_runtime_error("no running program"))?;
            let lp = EventLoop::builder()
                .clock(run.options.clock)
                .trace(run.options.trace)
                .build()
                .map_err(|err| vm.new_runtime_error(err.to_string()))?;
            // Lines go through the run (which also records them in the trace).
            lp.set_output(|_| {});
            let serial = run.next_serial();
            let born_ms = run.now_ms();
            run.loops.borrow_mut().push(LoopEntry {
                serial,
                lp: lp.clone(),
                face,
                born_ms,
            });
            Ok(Handle::new(vm, Kind::Loop(lp, serial)).into())
        },
    )?;
    def(
        vm,
        d,
        "loop_time",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult<f64> { Ok(loop_of(vm, &h)?.1.time()) },
    )?;
    def(
        vm,
        d,
        "loop_is_running",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult<bool> {
            Ok(loop_of(vm, &h)?.1.is_running())
        },
    )?;
    def(
        vm,
        d,
        "loop_is_closed",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult<bool> {
            Ok(loop_of(vm, &h)?.1.is_closed())
        },
    )?;
    def(
        vm,
        d,
        "loop_close",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult<()> {
            loop_of(vm, &h)?
                .1
                .close()
                .map_err(|_| vm.new_runtime_error("Cannot close a running event loop"))
        },
    )?;
    def(
        vm,
        d,
        "loop_stop",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult<()> {
            loop_of(vm, &h)?.1.stop();
            Ok(())
        },
    )?;
    def(
        vm,
        d,
        "loop_call",
        |h: PyRef<Handle>,
         delay: Option<f64>,
         at: Option<f64>,
         callback: PyObjectRef,
         args: PyTupleRef,
         vm: &VirtualMachine|
         -> PyResult {
            let (_, lp) = loop_of(vm, &h)?;
            if lp.is_closed() {
                return Err(vm.new_runtime_error("Event loop is closed"));
            }
            let call = move || {
                with_vm(|vm| {
                    if let Err(exc) = callback.call(args.as_slice().to_vec(), vm) {
                        report_callback_error(vm, &exc);
                    }
                });
                if let Some(run) = state::current() {
                    run.forward_trace();
                }
            };
            let handle = match (delay, at) {
                (Some(delay), _) => lp.call_later_secs(delay, call),
                (None, Some(when)) => lp.call_at(when, call),
                (None, None) => Ok(lp.call_soon(call)),
            }
            .map_err(|err| vm.new_value_error(err.to_string()))?;
            Ok(Handle::new(vm, Kind::Timer(handle)).into())
        },
    )?;
    def(vm, d, "timer_cancel", |h: PyRef<Handle>| {
        if let Kind::Timer(timer) = &h.kind {
            timer.cancel();
        }
    })?;
    def(vm, d, "timer_cancelled", |h: PyRef<Handle>| match &h.kind {
        Kind::Timer(timer) => timer.cancelled(),
        _ => false,
    })?;
    def(vm, d, "timer_when", |h: PyRef<Handle>| match &h.kind {
        Kind::Timer(timer) => timer.when().map(|ms| ms / 1000.0),
        _ => None,
    })?;
    def(
        vm,
        d,
        "loop_run",
        |h: PyRef<Handle>,
         awaited: PyRef<Handle>,
         blocking: bool,
         vm: &VirtualMachine|
         -> PyResult {
            let (serial, lp) = loop_of(vm, &h)?;
            let wait = target(vm, &awaited)?;
            drive(vm, serial, run_future(&lp, Some(wait)), blocking, false)
        },
    )?;
    def(
        vm,
        d,
        "loop_run_forever",
        |h: PyRef<Handle>, blocking: bool, vm: &VirtualMachine| -> PyResult {
            let (serial, lp) = loop_of(vm, &h)?;
            drive(vm, serial, run_future(&lp, None), blocking, true)
        },
    )?;
    def(
        vm,
        d,
        "loop_cancel_leftovers",
        |h: PyRef<Handle>, blocking: bool, vm: &VirtualMachine| -> PyResult {
            let (serial, lp) = loop_of(vm, &h)?;
            if lp.is_closed() || lp.stats().pending_tasks == 0 {
                return if blocking {
                    Ok(vm.ctx.none())
                } else {
                    Ok(Handle::op(vm, op(async { Resume::None })))
                };
            }
            let leftovers = lp.cancel_leftovers();
            let future = async move { leftovers.await.map(|()| None) };
            drive(vm, serial, future, blocking, false)
        },
    )?;
    def(
        vm,
        d,
        "running_loop",
        |vm: &VirtualMachine| -> PyObjectRef {
            match state::current().and_then(|run| run.running_loop()) {
                Some((_, lp, face)) if lp.is_running() => face,
                _ => vm.ctx.none(),
            }
        },
    )?;
    Ok(())
}
