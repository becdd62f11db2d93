//! The task cell: one allocation holding a task's header, its future and,
//! once it ends, its output.
//!
//! # Layout
//! A cell is a [`TaskCell<F>`]: a [`RawTask`] (the counts, the vtable of
//! the body, the [`TaskHeader`]), the slot for the output, then the
//! future. The loop and the handles see every task as a [`TaskRc`], a thin
//! counted pointer to the `RawTask`: the header is at a fixed offset, so
//! reading it costs no virtual call, and so is the output for a handle that
//! knows its type (the slot's offset depends on that type alone). Only
//! polling and dropping the future go through the cell's vtable.
//!
//! # State
//! A task is in exactly one [`Status`]:
//! - `Pending`: its future is alive in the cell. It may be
//!   `queued` (in the ready queue, at most once) and may have
//!   `cancel_requested`, in which case the loop drops the future at the
//!   task's next turn instead of polling it.
//! - `Finished`: the future returned; its output waits in
//!   the cell's output slot until a [`Task`](crate::Task) handle takes it.
//! - `Cancelled`: the future was dropped in place (its destructors ran).
//!
//! # Invariants
//! - A `TaskCell` is only ever reached through counted pointers
//!   ([`super::task_rc`]), made when [`TaskCell::spawn`] allocates it.
//! - The future is pinned: it lives inside the cell's allocation and is
//!   only ever dropped in place (by assigning `None` to its slot, or when
//!   the cell goes), never moved.
//! - Waking: on single-threaded WebAssembly the task's `Waker` is the cell
//!   itself (a counted pointer), so a task costs one allocation and a
//!   wake hands the cell straight to the ready queue. Where threads may
//!   exist (natively), it is an `Arc` holding only the loop's id and the
//!   task's key ([`super::waker`]), which is thread-safe.
//! - The body is borrowed mutably only while polling or ending the task,
//!   and the loop never polls a task from inside that task's own poll.
//! - `body_live` is false only when the body holds nothing: the future
//!   returned (its slot is `None`) and a handle took the output. Nothing
//!   fills either slot again, so the cell's last strong pointer skips the
//!   body's destructor then.
//! - What a task's last poll awaited: the first task in the header's
//!   `awaiting` slot, any others in the extras; the extras' list is empty
//!   whenever the header's slot is.

use std::alloc::Layout;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::ptr::NonNull;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll, Waker};
#[cfg(single_threaded_wasm)]
use std::task::{RawWaker, RawWakerVTable};

use super::core::LoopCore;
use super::slab::Key;
use super::task_rc::{TaskRc, TaskWeak};
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
    awaiting: Vec<TaskWeak>,
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
    awaiting: Cell<Option<TaskWeak>>,
    extras: ExtrasSlot,
}

/// A task's [`Extras`], allocated on first use. Taken out while in use and
/// put back, never borrowed: the closures given to it do not reach the
/// task's extras again.
#[derive(Default)]
struct ExtrasSlot(Cell<Option<Box<Extras>>>);

impl Drop for ExtrasSlot {
    #[inline]
    fn drop(&mut self) {
        // Most tasks have none: the check stays where the header is
        // dropped, and only extras to drop cost a call.
        if let Some(extras) = self.0.get_mut().take() {
            drop_extras(extras);
        }
    }
}

#[inline(never)]
fn drop_extras(extras: Box<Extras>) {
    drop(extras);
}

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
    pub(crate) fn note_awaiting(&self, inner: &TaskRc) {
        let is_inner = |known: &TaskWeak| std::ptr::addr_eq(known.as_ptr(), TaskRc::as_ptr(inner));
        let first = self.awaiting.take();
        let Some(first) = first else {
            self.awaiting.set(Some(TaskRc::downgrade(inner)));
            return;
        };
        let seen = is_inner(&first);
        self.awaiting.set(Some(first));
        if !seen {
            self.with_extras(|extras| {
                if !extras.awaiting.iter().any(is_inner) {
                    extras.awaiting.push(TaskRc::downgrade(inner));
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
    pub(crate) fn take_awaiting(&self) -> Vec<TaskRc> {
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

/// A task's cell: the [`RawTask`] and the output's slot (an
/// [`OutputCell`]), then the future. A pointer to the cell is a pointer to
/// its `RawTask` and to its `OutputCell` (`repr(C)`, each the first
/// field): the vtable turns it back into the cell, and a handle that knows
/// the output's type reaches the output without it.
#[repr(C)]
pub(crate) struct TaskCell<F: Future> {
    head: OutputCell<F::Output>,
    /// The future while it runs; `None` once it returned or was dropped.
    future: RefCell<Option<F>>,
}

/// The start of a cell whose future's output is `T`: where that output
/// waits, from the moment the future returns it until a handle takes it.
/// Its offset depends only on `T`.
#[repr(C)]
pub(crate) struct OutputCell<T> {
    raw: RawTask,
    output: RefCell<Option<T>>,
}

/// The start of every task's cell, whatever its future: its counts, the
/// vtable of its body, and its header. The loop, its ready queue and the
/// handles point at it with a [`TaskRc`].
#[repr(C)]
pub(crate) struct RawTask {
    /// Strong pointers (see [`super::task_rc`]).
    pub(super) strong: Cell<usize>,
    /// Weak pointers, plus one for all the strong ones.
    pub(super) weak: Cell<usize>,
    pub(super) vtable: &'static BodyVtable,
    /// False once the body holds nothing to drop: the future returned and
    /// a handle took its output. The last strong pointer then frees the
    /// cell without calling into the body.
    pub(super) body_live: Cell<bool>,
    pub(crate) header: TaskHeader,
}

/// What depends on a task's future type: polling it, dropping it, and the
/// cell's layout. One static table per future type.
///
/// Every function takes the cell's address, with the provenance of the
/// whole cell, and must be called only while the cell is alive (and, for
/// `drop_body`, only once, when the last strong pointer goes).
pub(super) struct BodyVtable {
    /// Polls the future once with the task's waker; true when it completed
    /// (its output is then in the cell's output slot).
    poll: unsafe fn(NonNull<RawTask>) -> bool,
    /// Drops the future in place; false if it was not running.
    drop_future: unsafe fn(NonNull<RawTask>) -> bool,
    /// Drops the output of a future that completed (its task was cancelled
    /// as it returned); false if there was none.
    drop_output: unsafe fn(NonNull<RawTask>) -> bool,
    /// Drops the future and the output in place.
    pub(super) drop_body: unsafe fn(NonNull<RawTask>),
    /// The cell's layout, to free it.
    pub(super) layout: Layout,
}

/// A new task's cell, knowing the type of its output: the only way to a
/// [`Task<T>`](crate::Task), which takes the output as that type.
pub(crate) struct Spawned<T> {
    cell: TaskRc,
    output: PhantomData<fn() -> T>,
}

impl<T> Spawned<T> {
    pub(crate) fn cell(&self) -> &TaskRc {
        &self.cell
    }

    pub(crate) fn into_cell(self) -> TaskRc {
        self.cell
    }
}

impl<F: Future + 'static> TaskCell<F> {
    const VTABLE: BodyVtable = BodyVtable {
        poll: Self::poll,
        drop_future: Self::drop_future,
        drop_output: Self::drop_output,
        drop_body: Self::drop_body,
        layout: Layout::new::<Self>(),
    };

    fn allocate(header: TaskHeader, future: Option<F>) -> Spawned<F::Output> {
        let cell = Box::new(Self {
            head: OutputCell {
                raw: RawTask {
                    strong: Cell::new(1),
                    weak: Cell::new(1),
                    vtable: &Self::VTABLE,
                    body_live: Cell::new(true),
                    header,
                },
                output: RefCell::new(None),
            },
            future: RefCell::new(future),
        });
        let ptr = NonNull::from(Box::leak(cell)).cast::<RawTask>();
        Spawned {
            // SAFETY: a cell just allocated by `Box` (the global allocator,
            // with `Layout::new::<Self>()`, as `VTABLE.layout` says), both
            // counts 1, owned by nothing else; `RawTask` is its first field
            // (`repr(C)`, through `OutputCell`), so `ptr` is its address.
            cell: unsafe { TaskRc::new_cell(ptr) },
            output: PhantomData,
        }
    }

    pub(crate) fn spawn(header: TaskHeader, future: F) -> Spawned<F::Output> {
        Self::allocate(header, Some(future))
    }

    /// A task made outside any loop, where nothing can run it: its future
    /// is dropped at once and it is born cancelled with `message`.
    pub(crate) fn orphan(future: F, message: &str) -> Spawned<F::Output> {
        drop(future);
        Self::allocate(TaskHeader::orphan(message), None)
    }

    /// The cell at `ptr`.
    ///
    /// # Safety
    /// `ptr` must be the address of a live `TaskCell<F>` (with the
    /// provenance of the whole cell) for as long as the borrow is used.
    unsafe fn cell<'a>(ptr: NonNull<RawTask>) -> &'a Self {
        // SAFETY: the caller's promise; `RawTask` is the cell's first field.
        unsafe { ptr.cast::<Self>().as_ref() }
    }

    unsafe fn poll(ptr: NonNull<RawTask>) -> bool {
        // SAFETY: the vtable's contract: the cell is alive while it is polled.
        let cell = unsafe { Self::cell(ptr) };
        let Ok(mut slot) = cell.future.try_borrow_mut() else {
            // Only reachable if a task's own poll re-enters the loop's poll
            // of the same task, which the loop never does. Release builds
            // report it pending rather than panic.
            debug_assert!(false, "a task was polled from inside its own poll");
            return false;
        };
        let Some(future) = &mut *slot else {
            return true;
        };
        // SAFETY: the future lives in this cell, an allocation that is never
        // moved; it leaves the slot only by being dropped in place when the
        // slot is overwritten below or in `drop_future`, or when the cell's
        // body is dropped. So it is never moved after this pin is created.
        let future = unsafe { Pin::new_unchecked(future) };
        let poll = with_waker(ptr, |waker| future.poll(&mut Context::from_waker(waker)));
        match poll {
            Poll::Ready(output) => {
                // The future is dropped in place, then the output kept.
                *slot = None;
                drop(slot);
                // The slot is borrowed only by a handle reading an ended
                // task's output, and this task is pending until the loop
                // ends it after this poll: the borrow cannot fail.
                if let Ok(mut kept) = cell.head.output.try_borrow_mut() {
                    *kept = Some(output);
                } else {
                    debug_assert!(false, "a pending task's output was in use");
                }
                true
            }
            Poll::Pending => false,
        }
    }

    unsafe fn drop_future(ptr: NonNull<RawTask>) -> bool {
        // SAFETY: the vtable's contract.
        let Ok(mut slot) = unsafe { Self::cell(ptr) }.future.try_borrow_mut() else {
            return false;
        };
        if slot.is_none() {
            return false;
        }
        // Assignment drops the future in place, where it was pinned (never
        // `take`, which would move it first): its destructors run now.
        *slot = None;
        true
    }

    unsafe fn drop_output(ptr: NonNull<RawTask>) -> bool {
        // SAFETY: the vtable's contract.
        let Ok(mut output) = unsafe { Self::cell(ptr) }.head.output.try_borrow_mut() else {
            return false;
        };
        output.take().is_some()
    }

    unsafe fn drop_body(ptr: NonNull<RawTask>) {
        let cell = ptr.cast::<Self>().as_ptr();
        // SAFETY: the vtable's contract: the last strong pointer is going,
        // so nothing borrows the future or the output, and each is dropped
        // once, here.
        unsafe {
            std::ptr::drop_in_place(&raw mut (*cell).future);
            std::ptr::drop_in_place(&raw mut (*cell).head.output);
        }
    }
}

/// The waker of a task on single-threaded WebAssembly: the cell itself, a
/// counted pointer.
///
/// `Waker` is `Send + Sync`, and these functions touch a non-atomic count;
/// that is sound only because, without the `atomics` target feature, a
/// wasm32 module has exactly one thread, so no waker can ever be used from
/// another. Every data pointer is the address of a cell that a `TaskRc`
/// (or this waker's own count) keeps alive.
#[cfg(single_threaded_wasm)]
static TASK_WAKER: RawWakerVTable =
    RawWakerVTable::new(waker_clone, waker_wake, waker_wake_by_ref, waker_drop);

#[cfg(single_threaded_wasm)]
unsafe fn waker_clone(data: *const ()) -> RawWaker {
    // SAFETY: `data` is a live cell (see above); the new waker owns the
    // count taken here.
    unsafe { TaskRc::increment_strong_count(data.cast::<RawTask>()) };
    RawWaker::new(data, &TASK_WAKER)
}

#[cfg(single_threaded_wasm)]
unsafe fn waker_wake(data: *const ()) {
    // SAFETY: an owned waker holds one count on the cell; waking by value
    // consumes the waker, so that count goes to the ready queue (or is
    // released here).
    let cell = unsafe { TaskRc::from_raw(data.cast::<RawTask>()) };
    if cell.header.wants_queueing() {
        if let Some(core) = cell.header.core.upgrade() {
            core.schedule_task(cell);
        }
    }
}

#[cfg(single_threaded_wasm)]
unsafe fn waker_wake_by_ref(data: *const ()) {
    // SAFETY: the waker being woken keeps the cell alive for this call.
    let header = unsafe { &(*data.cast::<RawTask>()).header };
    if !header.wants_queueing() {
        return;
    }
    let Some(core) = header.core.upgrade() else {
        return;
    };
    // SAFETY: `data` is a live cell (see above); the count taken here is
    // owned by the pointer rebuilt from it, which goes to the ready queue.
    let cell = unsafe {
        TaskRc::increment_strong_count(data.cast::<RawTask>());
        TaskRc::from_raw(data.cast::<RawTask>())
    };
    core.schedule_task(cell);
}

#[cfg(single_threaded_wasm)]
unsafe fn waker_drop(data: *const ()) {
    // SAFETY: an owned waker holds one count on the cell, released here as
    // the waker is dropped.
    drop(unsafe { TaskRc::from_raw(data.cast::<RawTask>()) });
}

/// Runs `f` with the waker of the task at `ptr`: the cell itself, borrowed.
#[cfg(single_threaded_wasm)]
fn with_waker<R>(ptr: NonNull<RawTask>, f: impl FnOnce(&Waker) -> R) -> R {
    // SAFETY: `ptr` is a cell being polled, which the loop's pointer keeps
    // alive for at least as long as this borrow; the vtable's functions
    // treat it as such. `ManuallyDrop` keeps the borrowed waker from
    // releasing a count it never took.
    let waker = std::mem::ManuallyDrop::new(unsafe {
        Waker::from_raw(RawWaker::new(ptr.as_ptr().cast::<()>(), &TASK_WAKER))
    });
    f(&waker)
}

/// Runs `f` with the waker of the task at `ptr`, made when the task was.
#[cfg(not(single_threaded_wasm))]
fn with_waker<R>(ptr: NonNull<RawTask>, f: impl FnOnce(&Waker) -> R) -> R {
    // SAFETY: `ptr` is a cell being polled, kept alive by the loop.
    f(unsafe { &(*ptr.as_ptr()).header.waker })
}

impl TaskRc {
    /// Asks for the task to be cancelled (see [`LoopCore::cancel_task`]);
    /// false if it has ended or its loop is gone.
    pub(crate) fn cancel(&self, message: Option<String>) -> bool {
        match self.header.core.upgrade() {
            Some(core) => core.cancel_task(self, message),
            None => false,
        }
    }

    /// Polls the future once with the task's own waker; returns true when
    /// it completed.
    #[inline]
    pub(crate) fn poll_future(&self) -> bool {
        // SAFETY: this pointer keeps the cell alive during the call.
        unsafe { (self.vtable.poll)(TaskRc::as_non_null(self)) }
    }

    /// Drops the future in place. Returns false if it was not running.
    pub(crate) fn drop_future(&self) -> bool {
        // SAFETY: as in `poll_future`.
        unsafe { (self.vtable.drop_future)(TaskRc::as_non_null(self)) }
    }

    /// Drops the output of a future that completed. Returns false if there
    /// was none.
    pub(crate) fn drop_output(&self) -> bool {
        // SAFETY: as in `poll_future`.
        unsafe { (self.vtable.drop_output)(TaskRc::as_non_null(self)) }
    }

    /// The output's slot.
    ///
    /// # Safety
    /// `T` must be the output type of the task's future: the `T` of the
    /// [`Spawned<T>`] the cell was made as.
    #[inline]
    unsafe fn output<T>(&self) -> &RefCell<Option<T>> {
        // SAFETY: the cell is a `TaskCell<F>` with `F::Output = T` (the
        // caller's promise), which starts with an `OutputCell<T>`
        // (`repr(C)`); this pointer has the provenance of the whole cell and
        // keeps it alive for as long as `self` is borrowed.
        unsafe {
            &TaskRc::as_non_null(self)
                .cast::<OutputCell<T>>()
                .as_ref()
                .output
        }
    }

    /// Takes the output once the task has ended.
    ///
    /// # Safety
    /// As for [`output`](Self::output).
    #[inline]
    pub(crate) unsafe fn poll_output<T>(&self, cx: &mut Context<'_>) -> Poll<Result<T, Cancelled>> {
        match self.header.status() {
            Status::Pending => {
                self.header.register_join(cx.waker());
                Poll::Pending
            }
            Status::Cancelled => Poll::Ready(Err(self.header.cancelled_error())),
            // SAFETY: the caller's promise.
            Status::Finished => match unsafe { self.output::<T>() }.try_borrow_mut() {
                Ok(mut output) => match output.take() {
                    Some(value) => {
                        // A finished task's future was dropped as it
                        // returned, and its output is now taken.
                        self.body_live.set(false);
                        Poll::Ready(Ok(value))
                    }
                    // Already taken: a completed task polled again stays
                    // pending rather than panicking.
                    None => Poll::Pending,
                },
                // In use by a function given the output (a clone that
                // awaits the task): not there for now.
                Err(_) => Poll::Pending,
            },
        }
    }

    /// Runs `f` on the output if it is there and not yet taken.
    ///
    /// # Safety
    /// As for [`output`](Self::output).
    pub(crate) unsafe fn peek_output<T>(&self, f: impl FnOnce(Option<&T>)) {
        // SAFETY: the caller's promise.
        match unsafe { self.output::<T>() }.try_borrow() {
            Ok(output) => f(output.as_ref()),
            Err(_) => f(None),
        }
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
