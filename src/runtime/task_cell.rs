//! The task cell: one allocation holding a task's header, its future and,
//! once it ends, its output.
//!
//! # Layout
//! A cell is a [`TaskCell<B>`]: the [`TaskHeader`] first, then the body
//! `B`, a [`FutureBody<F>`] holding the future or its output. The loop and
//! the handles see every task as one type, [`RawTask`] (the cell with its
//! body unsized to `dyn Body`): the header is a plain field at a fixed
//! offset, so reading it costs no virtual call, and only what depends on
//! the future's type (polling, dropping, the output) goes through the
//! body's vtable.
//!
//! # State
//! A task is in exactly one [`Status`]:
//! - `Pending`: its future is alive in [`Stage::Running`]. It may be
//!   `queued` (in the ready queue, at most once) and may have
//!   `cancel_requested`, in which case the loop drops the future at the
//!   task's next turn instead of polling it.
//! - `Finished`: the future returned; its output waits in
//!   [`Stage::Finished`] until a [`Task`](crate::Task) handle takes it.
//! - `Cancelled`: the future was dropped in place (its destructors ran).
//!
//! # Invariants
//! - A `TaskCell` only ever lives inside an `Rc` ([`TaskCell::spawn`] makes
//!   one), so a pointer to it can be turned back into that `Rc`.
//! - The future is pinned: it lives inside the `Rc` allocation and is only
//!   ever dropped in place (by assigning a new stage), never moved.
//! - Waking: on single-threaded WebAssembly the task's `Waker` is the cell
//!   itself (a counted `Rc` pointer), so a task costs one allocation and a
//!   wake hands the cell straight to the ready queue. Where threads may
//!   exist (natively), it is an `Arc` holding only the loop's id and the
//!   task's key ([`super::waker`]), which is thread-safe.
//! - The body is borrowed mutably only while polling or ending the task,
//!   and the loop never polls a task from inside that task's own poll.
//! - What a task's last poll awaited: the first task in the header's
//!   `awaiting` slot, any others in the extras; the extras' list is empty
//!   whenever the header's slot is.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll, Waker};
#[cfg(single_threaded_wasm)]
use std::task::{RawWaker, RawWakerVTable};

use super::core::LoopCore;
use super::slab::Key;
use crate::error::Cancelled;
use crate::trace::TaskId;

/// Where a task is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Pending,
    Finished,
    Cancelled,
}

/// What a done callback learns about the task that ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskInfo {
    /// The task's id.
    pub id: TaskId,
    /// Its name when it ended.
    pub name: String,
    /// Whether it was cancelled (otherwise it finished with a value).
    pub cancelled: bool,
}

pub(crate) type DoneCallback = Box<dyn FnOnce(&TaskInfo)>;

/// The longest step a header records, in tenths of a millisecond (25 ms;
/// a turn with more of its budget left than that runs any task).
pub(crate) const MAX_STEP_TENTHS: u8 = 250;

/// `ms` in whole tenths of a millisecond, between 0 and `most`.
pub(crate) fn tenths_of_ms(ms: f64, most: u8) -> u8 {
    (ms * 10.0).clamp(0.0, f64::from(most)) as u8
}

/// What most tasks never use, allocated on first use.
#[derive(Default)]
struct Extras {
    name: Option<String>,
    cancel_message: Option<String>,
    done_callbacks: Vec<DoneCallback>,
    /// The tasks this task's last poll waited for (joined) beyond the first,
    /// which the header keeps (see [`TaskHeader::note_awaiting`]).
    awaiting: Vec<Weak<RawTask>>,
    /// Cancellation is delivered to the future (which takes it with
    /// `take_cancellation`) instead of dropping it.
    delivers_cancellation: bool,
    /// Cancellation requests not yet withdrawn (Python's `cancelling()`).
    cancels_requested: u32,
    /// The source line the task's code is at, when its driver says so
    /// (Python programs): recorded with each wait in the trace.
    line: Option<u32>,
}

/// The type-independent part of a task.
pub(crate) struct TaskHeader {
    pub(crate) id: TaskId,
    /// Its key in the loop's slab of tasks, or [`Key::DETACHED`] while it is
    /// not there (see `core/tasks.rs`).
    key: Cell<Key>,
    pub(crate) core: Weak<LoopCore>,
    #[cfg(not(single_threaded_wasm))]
    waker: Waker,
    status: Cell<Status>,
    pub(crate) queued: Cell<bool>,
    pub(crate) cancel_requested: Cell<bool>,
    /// How long the task's last step that the loop timed took, in tenths of
    /// a millisecond, at most [`MAX_STEP_TENTHS`]: the loop times a step
    /// when it looks at the clock after each item (see `core/turns.rs`).
    last_step_tenths: Cell<u8>,
    /// Taken out while in use and put back: never borrowed.
    join_waker: Cell<Option<Waker>>,
    /// The first task this task's last poll waited for (joined): cancelling
    /// this task cancels it too, as Python's `Task.cancel()` cancels the
    /// future its task is waiting on. A poll that waits for more (`gather`)
    /// keeps the others in the extras. Taken out while in use and put back.
    awaiting: Cell<Option<Weak<RawTask>>>,
    extras: ExtrasSlot,
}

/// A task's [`Extras`], allocated on first use. Taken out while in use and
/// put back, never borrowed: the closures given to it do not reach the
/// task's extras again.
#[derive(Default)]
struct ExtrasSlot(Cell<Option<Box<Extras>>>);

impl ExtrasSlot {
    /// Runs `f` on the extras, if there are any.
    fn peek<R>(&self, f: impl FnOnce(Option<&mut Extras>) -> R) -> R {
        let mut extras = self.0.take();
        let result = f(extras.as_deref_mut());
        self.0.set(extras);
        result
    }

    /// Runs `f` on the extras, making them if there are none.
    fn with<R>(&self, f: impl FnOnce(&mut Extras) -> R) -> R {
        let mut extras = self.0.take().unwrap_or_default();
        let result = f(&mut extras);
        self.0.set(Some(extras));
        result
    }

    fn exist(&self) -> bool {
        self.peek(|extras| extras.is_some())
    }
}

impl fmt::Debug for TaskHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskHeader")
            .field("id", &self.id)
            .field("status", &self.status.get())
            .field("queued", &self.queued.get())
            .field("cancel_requested", &self.cancel_requested.get())
            .finish_non_exhaustive()
    }
}

impl TaskHeader {
    pub(crate) fn new(id: TaskId, key: Key, core: &Rc<LoopCore>) -> Self {
        Self {
            id,
            key: Cell::new(key),
            #[cfg(not(single_threaded_wasm))]
            waker: core.foreign_wakes().task_waker(key),
            core: Rc::downgrade(core),
            status: Cell::new(Status::Pending),
            queued: Cell::new(false),
            cancel_requested: Cell::new(false),
            last_step_tenths: Cell::new(0),
            join_waker: Cell::new(None),
            awaiting: Cell::new(None),
            extras: ExtrasSlot::default(),
        }
    }

    /// The header of a task made outside any loop: it belongs to none,
    /// nothing can wake it, and it is born cancelled.
    fn orphan(message: &str) -> Self {
        let header = Self {
            id: TaskId(0),
            key: Cell::new(Key::DETACHED),
            core: Weak::new(),
            #[cfg(not(single_threaded_wasm))]
            waker: Waker::noop().clone(),
            status: Cell::new(Status::Cancelled),
            queued: Cell::new(false),
            cancel_requested: Cell::new(false),
            last_step_tenths: Cell::new(0),
            join_waker: Cell::new(None),
            awaiting: Cell::new(None),
            extras: ExtrasSlot::default(),
        };
        header.set_cancel_message(Some(message.to_string()));
        header
    }

    fn with_extras<R>(&self, f: impl FnOnce(&mut Extras) -> R) -> R {
        self.extras.with(f)
    }

    pub(crate) fn status(&self) -> Status {
        self.status.get()
    }

    pub(crate) fn key(&self) -> Key {
        self.key.get()
    }

    pub(crate) fn set_key(&self, key: Key) {
        self.key.set(key);
    }

    /// Records how long a step of the task took (ms).
    pub(crate) fn set_last_step_ms(&self, ms: f64) {
        self.last_step_tenths.set(tenths_of_ms(ms, MAX_STEP_TENTHS));
    }

    /// How long the task's last timed step took, in whole tenths of a
    /// millisecond, at most [`MAX_STEP_TENTHS`]; 0 if none was timed.
    pub(crate) fn last_step_tenths(&self) -> u8 {
        self.last_step_tenths.get()
    }

    /// Whether a wake would queue the task: it is pending and not queued.
    pub(crate) fn wants_queueing(&self) -> bool {
        !self.queued.get() && self.status.get() == Status::Pending
    }

    pub(crate) fn name(&self) -> String {
        match self.extras.peek(|e| e.and_then(|e| e.name.clone())) {
            Some(name) => name,
            None => self.id.to_string(),
        }
    }

    pub(crate) fn set_name(&self, name: String) {
        self.with_extras(|extras| extras.name = Some(name));
    }

    /// Makes the task take cancellation as a request instead of a drop.
    pub(crate) fn deliver_cancellation(&self) {
        self.with_extras(|extras| extras.delivers_cancellation = true);
    }

    pub(crate) fn delivers_cancellation(&self) -> bool {
        self.extras
            .peek(|extras| extras.is_some_and(|extras| extras.delivers_cancellation))
    }

    /// Counts a cancellation request; returns the count.
    pub(crate) fn count_cancel(&self) -> u32 {
        self.with_extras(|extras| {
            extras.cancels_requested = extras.cancels_requested.saturating_add(1);
            extras.cancels_requested
        })
    }

    /// Cancellation requests not withdrawn.
    pub(crate) fn cancelling(&self) -> u32 {
        self.extras
            .peek(|extras| extras.map_or(0, |extras| extras.cancels_requested))
    }

    /// Withdraws one cancellation request; returns how many remain.
    pub(crate) fn uncancel(&self) -> u32 {
        self.extras.peek(|extras| match extras {
            Some(extras) => {
                extras.cancels_requested = extras.cancels_requested.saturating_sub(1);
                extras.cancels_requested
            }
            None => 0,
        })
    }

    pub(crate) fn set_line(&self, line: Option<u32>) {
        if line.is_some() || self.extras.exist() {
            self.with_extras(|extras| extras.line = line);
        }
    }

    pub(crate) fn line(&self) -> Option<u32> {
        self.extras
            .peek(|extras| extras.and_then(|extras| extras.line))
    }

    pub(crate) fn set_cancel_message(&self, message: Option<String>) {
        if message.is_some() || self.extras.exist() {
            self.with_extras(|extras| extras.cancel_message = message);
        }
    }

    pub(crate) fn cancelled_error(&self) -> Cancelled {
        let message = self
            .extras
            .peek(|e| e.and_then(|e| e.cancel_message.clone()));
        Cancelled::with_message(message)
    }

    pub(crate) fn info(&self) -> TaskInfo {
        TaskInfo {
            id: self.id,
            name: self.name(),
            cancelled: self.status.get() == Status::Cancelled,
        }
    }

    /// Records that this task's poll, running now, waits for `inner`: in
    /// the header if it is the first, in the extras otherwise.
    pub(crate) fn note_awaiting(&self, inner: &Rc<RawTask>) {
        let is_inner = |known: &Weak<RawTask>| std::ptr::addr_eq(known.as_ptr(), Rc::as_ptr(inner));
        let first = self.awaiting.take();
        let Some(first) = first else {
            self.awaiting.set(Some(Rc::downgrade(inner)));
            return;
        };
        let seen = is_inner(&first);
        self.awaiting.set(Some(first));
        if !seen {
            self.with_extras(|extras| {
                if !extras.awaiting.iter().any(is_inner) {
                    extras.awaiting.push(Rc::downgrade(inner));
                }
            });
        }
    }

    /// Forgets what the last poll waited for (a new poll is starting).
    pub(crate) fn clear_awaiting(&self) {
        if self.awaiting.take().is_some() {
            self.extras.peek(|extras| {
                if let Some(extras) = extras {
                    extras.awaiting.clear();
                }
            });
        }
    }

    /// The tasks the last poll waited for that are still alive.
    pub(crate) fn take_awaiting(&self) -> Vec<Rc<RawTask>> {
        let Some(first) = self.awaiting.take() else {
            return Vec::new();
        };
        let more = self
            .extras
            .peek(|extras| extras.map(|extras| std::mem::take(&mut extras.awaiting)))
            .unwrap_or_default();
        std::iter::once(first)
            .chain(more)
            .filter_map(|task| task.upgrade())
            .collect()
    }

    /// Renames the task, recording it in its loop's trace.
    pub(crate) fn rename(&self, name: String) {
        match self.core.upgrade() {
            Some(core) => core.rename_task(self, name),
            None => self.set_name(name),
        }
    }

    /// Runs `callback` soon after the task ends: on its loop, or at once if
    /// it has ended and its loop is gone or closed.
    pub(crate) fn when_done(&self, callback: DoneCallback) {
        if self.status() == Status::Pending {
            self.add_done_callback(callback);
            return;
        }
        let info = self.info();
        match self.core.upgrade() {
            Some(core) if !core.is_closed() => {
                core.call_soon(Box::new(move || callback(&info)));
            }
            _ => callback(&info),
        }
    }

    pub(crate) fn register_join(&self, waker: &Waker) {
        let slot = match self.join_waker.take() {
            Some(old) if old.will_wake(waker) => old,
            _ => waker.clone(),
        };
        self.join_waker.set(Some(slot));
    }

    pub(crate) fn add_done_callback(&self, callback: DoneCallback) {
        self.with_extras(|extras| extras.done_callbacks.push(callback));
    }

    /// Marks the task ended; returns the join waker, for the loop to wake,
    /// and whether there are done callbacks to take.
    pub(crate) fn end(&self, status: Status) -> (Option<Waker>, bool) {
        self.status.set(status);
        self.queued.set(false);
        let waker = self.join_waker.take();
        let callbacks = self
            .extras
            .peek(|extras| extras.is_some_and(|extras| !extras.done_callbacks.is_empty()));
        (waker, callbacks)
    }

    /// Takes the done callbacks.
    pub(crate) fn take_done_callbacks(&self) -> Vec<DoneCallback> {
        self.extras
            .peek(|extras| extras.map(|extras| std::mem::take(&mut extras.done_callbacks)))
            .unwrap_or_default()
    }
}

enum Stage<F: Future> {
    Running(F),
    Finished(Option<F::Output>),
    Cancelled,
}

/// A task: its header, then its body.
pub(crate) struct TaskCell<B: ?Sized> {
    pub(crate) header: TaskHeader,
    body: B,
}

/// Every task, whatever its future: what the loop, its ready queue and the
/// handles hold (in an `Rc`).
pub(crate) type RawTask = TaskCell<dyn Body>;

/// A task's future, then its output.
pub(crate) struct FutureBody<F: Future>(RefCell<Stage<F>>);

/// A new task's cell, knowing the type of its output: the only way to a
/// [`Task<T>`](crate::Task), which takes the output as that type.
pub(crate) struct Spawned<T> {
    cell: Rc<RawTask>,
    output: PhantomData<fn() -> T>,
}

impl<T> Spawned<T> {
    pub(crate) fn cell(&self) -> &Rc<RawTask> {
        &self.cell
    }

    pub(crate) fn into_cell(self) -> Rc<RawTask> {
        self.cell
    }
}

impl<F: Future + 'static> TaskCell<FutureBody<F>> {
    pub(crate) fn spawn(header: TaskHeader, future: F) -> Spawned<F::Output> {
        Spawned {
            cell: Rc::new(Self {
                header,
                body: FutureBody(RefCell::new(Stage::Running(future))),
            }),
            output: PhantomData,
        }
    }

    /// A task made outside any loop, where nothing can run it: its future
    /// is dropped at once and it is born cancelled with `message`.
    pub(crate) fn orphan(future: F, message: &str) -> Spawned<F::Output> {
        drop(future);
        Spawned {
            cell: Rc::new(Self {
                header: TaskHeader::orphan(message),
                body: FutureBody(RefCell::new(Stage::Cancelled)),
            }),
            output: PhantomData,
        }
    }
}

/// The raw waker of a task on single-threaded WebAssembly.
///
/// `Waker` is `Send + Sync`, and these functions touch a non-atomic `Rc`
/// count; that is sound only because, without the `atomics` target feature,
/// a wasm32 module has exactly one thread, so no waker can ever be used from
/// another. Every data pointer is a `*const TaskCell<FutureBody<F>>` from a
/// live `Rc`.
#[cfg(single_threaded_wasm)]
impl<F: Future + 'static> TaskCell<FutureBody<F>> {
    const WAKER_VTABLE: RawWakerVTable = RawWakerVTable::new(
        Self::waker_clone,
        Self::waker_wake,
        Self::waker_wake_by_ref,
        Self::waker_drop,
    );

    unsafe fn waker_clone(data: *const ()) -> RawWaker {
        // SAFETY: `data` is a pointer to a cell in a live `Rc` (see above);
        // the new waker owns the count taken here.
        unsafe { Rc::increment_strong_count(data.cast::<Self>()) };
        RawWaker::new(data, &Self::WAKER_VTABLE)
    }

    unsafe fn waker_wake(data: *const ()) {
        // SAFETY: an owned waker holds one count on the cell's `Rc`; waking
        // by value consumes the waker, so that count goes to the ready queue
        // (or is released here).
        let cell: Rc<RawTask> = unsafe { Rc::from_raw(data.cast::<Self>()) };
        if cell.header.wants_queueing() {
            if let Some(core) = cell.header.core.upgrade() {
                core.schedule_task(cell);
            }
        }
    }

    unsafe fn waker_wake_by_ref(data: *const ()) {
        // SAFETY: the waker being woken keeps the cell alive for this call.
        let header = unsafe { &(*data.cast::<Self>()).header };
        if !header.wants_queueing() {
            return;
        }
        let Some(core) = header.core.upgrade() else {
            return;
        };
        // SAFETY: `data` is a pointer to a cell in a live `Rc` (see above);
        // the count taken here is owned by the `Rc` rebuilt from it, which
        // goes to the ready queue.
        let cell: Rc<RawTask> = unsafe {
            Rc::increment_strong_count(data.cast::<Self>());
            Rc::from_raw(data.cast::<Self>())
        };
        core.schedule_task(cell);
    }

    unsafe fn waker_drop(data: *const ()) {
        // SAFETY: an owned waker holds one count on the cell's `Rc`, released
        // here as the waker is dropped.
        drop(unsafe { Rc::from_raw(data.cast::<Self>()) });
    }
}

/// What depends on a task's future type: polling it, dropping it, and its
/// output. Implemented only by [`FutureBody`].
pub(crate) trait Body {
    /// Polls the future once with the waker of `cell`, the cell whose body
    /// this is; returns true when it completed.
    fn poll(&self, cell: &RawTask) -> bool;
    /// Drops the future in place. Returns false if it was not running.
    fn drop_future(&self) -> bool;
    /// Drops the output of a future that completed (its task was cancelled
    /// as it returned). Returns false if there was none.
    fn drop_output(&self) -> bool;
    /// Moves the output, if it is there and not yet taken, into `slot`.
    ///
    /// # Safety
    /// `slot` must point to an `Option` of the output type of the future,
    /// valid for writes.
    unsafe fn take_output(&self, slot: *mut ());
    /// Runs `f` on the output (a reference to the output type) if it is
    /// there and not yet taken.
    fn peek_output(&self, f: &mut dyn FnMut(Option<&dyn Any>));
}

impl<F: Future + 'static> FutureBody<F> {
    /// Runs `f` with the waker of `cell`: the cell itself, borrowed.
    #[cfg(single_threaded_wasm)]
    fn with_waker<R>(cell: &RawTask, f: impl FnOnce(&Waker) -> R) -> R {
        let data = (cell as *const RawTask).cast::<()>();
        // SAFETY: `cell` is the `TaskCell<FutureBody<F>>` whose body this is
        // (the only caller, `RawTask::poll_future`, passes the cell it calls
        // through), seen as `RawTask`: `data` is its address, which lives in
        // an `Rc` (see the module invariants) for at least as long as this
        // borrow; the vtable's functions treat it as such a pointer.
        // `ManuallyDrop` keeps the borrowed waker from releasing a count it
        // never took.
        let waker = std::mem::ManuallyDrop::new(unsafe {
            Waker::from_raw(RawWaker::new(
                data,
                &TaskCell::<FutureBody<F>>::WAKER_VTABLE,
            ))
        });
        f(&waker)
    }

    /// Runs `f` with the waker of `cell`, made when the task was.
    #[cfg(not(single_threaded_wasm))]
    fn with_waker<R>(cell: &RawTask, f: impl FnOnce(&Waker) -> R) -> R {
        f(&cell.header.waker)
    }
}

impl<F: Future + 'static> Body for FutureBody<F> {
    fn poll(&self, cell: &RawTask) -> bool {
        debug_assert!(
            std::ptr::addr_eq(&cell.body, self),
            "a task was polled with another task's waker"
        );
        let Ok(mut stage) = self.0.try_borrow_mut() else {
            // Only reachable if a task's own poll re-enters the loop's poll
            // of the same task, which the loop never does. Release builds
            // report it pending rather than panic.
            debug_assert!(false, "a task was polled from inside its own poll");
            return false;
        };
        let Stage::Running(future) = &mut *stage else {
            return true;
        };
        // SAFETY: the future lives in this cell, inside an `Rc` allocation
        // that is never moved out of; it leaves `Stage::Running` only by
        // being dropped in place when the stage is overwritten below or in
        // `drop_future`. So it is never moved after this pin is created.
        let future = unsafe { Pin::new_unchecked(future) };
        let poll = Self::with_waker(cell, |waker| future.poll(&mut Context::from_waker(waker)));
        match poll {
            Poll::Ready(output) => {
                *stage = Stage::Finished(Some(output));
                true
            }
            Poll::Pending => false,
        }
    }

    fn drop_future(&self) -> bool {
        let Ok(mut stage) = self.0.try_borrow_mut() else {
            return false;
        };
        if matches!(*stage, Stage::Running(_)) {
            // Assignment drops the future in place: its destructors run now.
            *stage = Stage::Cancelled;
            true
        } else {
            false
        }
    }

    fn drop_output(&self) -> bool {
        let Ok(mut stage) = self.0.try_borrow_mut() else {
            return false;
        };
        if matches!(*stage, Stage::Finished(_)) {
            *stage = Stage::Cancelled;
            true
        } else {
            false
        }
    }

    unsafe fn take_output(&self, slot: *mut ()) {
        // SAFETY: the caller promises a valid `Option<F::Output>`.
        let slot = unsafe { &mut *slot.cast::<Option<F::Output>>() };
        if let Ok(mut stage) = self.0.try_borrow_mut() {
            if let Stage::Finished(output) = &mut *stage {
                *slot = output.take();
            }
        }
    }

    fn peek_output(&self, f: &mut dyn FnMut(Option<&dyn Any>)) {
        match self.0.try_borrow() {
            Ok(stage) => match &*stage {
                Stage::Finished(Some(output)) => f(Some(output)),
                _ => f(None),
            },
            Err(_) => f(None),
        }
    }
}

impl RawTask {
    /// Asks for the task to be cancelled (see [`LoopCore::cancel_task`]);
    /// false if it has ended or its loop is gone.
    pub(crate) fn cancel(self: &Rc<Self>, message: Option<String>) -> bool {
        match self.header.core.upgrade() {
            Some(core) => core.cancel_task(self, message),
            None => false,
        }
    }

    /// Polls the future once with the task's own waker; returns true when
    /// it completed.
    pub(crate) fn poll_future(&self) -> bool {
        self.body.poll(self)
    }

    /// Drops the future in place. Returns false if it was not running.
    pub(crate) fn drop_future(&self) -> bool {
        self.body.drop_future()
    }

    /// Drops the output of a future that completed. Returns false if there
    /// was none.
    pub(crate) fn drop_output(&self) -> bool {
        self.body.drop_output()
    }

    /// Takes the output once the task has ended.
    ///
    /// # Safety
    /// `T` must be the output type of the task's future: the `T` of the
    /// [`Spawned<T>`] the cell was made as.
    #[inline]
    pub(crate) unsafe fn poll_output<T>(&self, cx: &mut Context<'_>) -> Poll<Result<T, Cancelled>> {
        match self.header.status() {
            Status::Pending => {
                self.header.register_join(cx.waker());
                Poll::Pending
            }
            Status::Cancelled => Poll::Ready(Err(self.header.cancelled_error())),
            Status::Finished => {
                let mut slot: Option<T> = None;
                // SAFETY: `T` is the output type (the caller's promise), and
                // `slot` is a local `Option<T>`.
                unsafe { self.body.take_output((&raw mut slot).cast::<()>()) };
                match slot {
                    Some(value) => Poll::Ready(Ok(value)),
                    // Already taken (or the body is in use): a completed
                    // task polled again stays pending rather than panicking.
                    None => Poll::Pending,
                }
            }
        }
    }

    /// Runs `f` on the output (of type `T`, as for
    /// [`poll_output`](Self::poll_output)) if it is there and not yet taken.
    pub(crate) fn peek_output<T: 'static>(&self, f: &mut dyn FnMut(Option<&T>)) {
        self.body
            .peek_output(&mut |output| f(output.and_then(|output| output.downcast_ref::<T>())));
    }

    /// Ready once the task has ended; leaves the output in place.
    pub(crate) fn poll_ended(&self, cx: &mut Context<'_>) -> Poll<()> {
        if self.header.status() == Status::Pending {
            self.header.register_join(cx.waker());
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    }
}
