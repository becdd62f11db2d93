//! The thread's view of its loops: which loop is running now, and where a
//! woken task's loop lives.
//!
//! # Invariants
//! - `running` is a stack: a loop pushes itself for the length of a turn and
//!   pops itself when the turn ends (also on unwind, through [`TurnGuard`]).
//!   A non-empty stack means code is executing inside a loop's turn.
//! - `registry` holds a weak reference to every live loop created on this
//!   thread, so a waker carrying only a loop id can reach its loop. Loops
//!   remove themselves when dropped.

use std::cell::RefCell;
use std::rc::Rc;
#[cfg(not(single_threaded_wasm))]
use std::rc::Weak;

use super::core::LoopCore;
use super::task_cell::Spawned;
use super::task_rc::TaskRc;

#[derive(Default)]
struct ThreadLoops {
    running: Vec<Rc<LoopCore>>,
    #[cfg(not(single_threaded_wasm))]
    registry: Vec<(u64, Weak<LoopCore>)>,
}

thread_local! {
    static LOOPS: RefCell<ThreadLoops> = RefCell::new(ThreadLoops::default());
}

/// The loop whose turn is executing now, innermost first.
pub(crate) fn current() -> Option<Rc<LoopCore>> {
    LOOPS
        .try_with(|loops| loops.borrow().running.last().cloned())
        .ok()
        .flatten()
}

/// Schedules `future` as a task of the running loop; outside one, hands
/// the future back.
pub(crate) fn spawn<F>(
    future: F,
    options: super::core::SpawnOptions,
) -> Result<Spawned<F::Output>, F>
where
    F: std::future::Future + 'static,
{
    match current() {
        Some(core) => Ok(core.spawn_with(future, options)),
        None => Err(future),
    }
}

/// The task the running loop is polling.
pub(crate) fn current_task() -> Option<TaskRc> {
    current()?.polling_task()
}

/// The running loop's tasks that have not ended, oldest first.
pub(crate) fn all_tasks() -> Vec<TaskRc> {
    current().map_or_else(Vec::new, |core| core.all_tasks())
}

/// Takes the pending cancellation request of the task being polled, if it
/// takes cancellation as a request.
pub(crate) fn take_cancellation() -> Option<crate::error::Cancelled> {
    current()?.take_cancellation()
}

/// Holds the running loop for `ms` (blocking code); false outside a loop.
pub(crate) fn block_for(ms: f64) -> bool {
    match current() {
        Some(core) => {
            core.block_for(ms);
            true
        }
        None => false,
    }
}

/// Records `event` in the running loop's trace, if tracing is on.
pub(crate) fn record(event: impl FnOnce() -> crate::trace::TraceEvent) {
    if let Some(core) = current() {
        core.tracer_record(event);
    }
}

/// Prints `text` to the running loop's output, or, outside a loop, to the
/// default output.
pub(crate) fn print(text: String) {
    match current() {
        Some(core) => core.print(text),
        None => super::output::default_output(&text),
    }
}

/// Records in the running loop's trace that the task being polled waits on
/// `reason`. Costs a thread-local read and one flag test when tracing is off.
pub(crate) fn note_wait(reason: crate::trace::WaitReason) {
    note_wait_for(reason, None);
}

/// [`note_wait`], naming the task waited for, if it is one.
pub(crate) fn note_wait_for(
    reason: crate::trace::WaitReason,
    awaits: Option<crate::trace::TaskId>,
) {
    let _ = LOOPS.try_with(|loops| {
        if let Ok(loops) = loops.try_borrow() {
            if let Some(core) = loops.running.last() {
                core.note_wait(reason, awaits);
            }
        }
    });
}

/// Records in the running loop that the task being polled waits for
/// `inner`, so that cancelling it cancels `inner` too.
pub(crate) fn note_awaiting(inner: &TaskRc) {
    let _ = LOOPS.try_with(|loops| {
        if let Ok(loops) = loops.try_borrow() {
            if let Some(core) = loops.running.last() {
                core.note_awaiting(inner);
            }
        }
    });
}

/// The running loop's time in milliseconds, if a loop is running.
#[cfg(target_arch = "wasm32")]
pub(crate) fn now_ms() -> Option<f64> {
    current().map(|core| core.now_ms())
}

/// Whether any loop's turn is executing on this thread.
pub(crate) fn inside_a_turn() -> bool {
    LOOPS
        .try_with(|loops| !loops.borrow().running.is_empty())
        .unwrap_or(false)
}

#[cfg(not(single_threaded_wasm))]
/// Finds the live loop with `id` on this thread.
pub(crate) fn find(id: u64) -> Option<Rc<LoopCore>> {
    LOOPS
        .try_with(|loops| {
            let loops = loops.borrow();
            if let Some(top) = loops.running.last() {
                if top.id() == id {
                    return Some(Rc::clone(top));
                }
            }
            loops
                .registry
                .iter()
                .find(|(loop_id, _)| *loop_id == id)
                .and_then(|(_, weak)| weak.upgrade())
        })
        .ok()
        .flatten()
}

#[cfg(not(single_threaded_wasm))]
pub(crate) fn register(id: u64, core: Weak<LoopCore>) {
    let _ = LOOPS.try_with(|loops| loops.borrow_mut().registry.push((id, core)));
}

#[cfg(not(single_threaded_wasm))]
pub(crate) fn unregister(id: u64) {
    let _ = LOOPS.try_with(|loops| {
        loops
            .borrow_mut()
            .registry
            .retain(|(loop_id, _)| *loop_id != id)
    });
}

/// Marks a loop as running on this thread for the guard's lifetime.
pub(crate) struct TurnGuard(());

impl TurnGuard {
    pub(crate) fn enter(core: &Rc<LoopCore>) -> TurnGuard {
        let _ = LOOPS.try_with(|loops| loops.borrow_mut().running.push(Rc::clone(core)));
        TurnGuard(())
    }
}

impl Drop for TurnGuard {
    fn drop(&mut self) {
        let _ = LOOPS.try_with(|loops| loops.borrow_mut().running.pop());
    }
}
