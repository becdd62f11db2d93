//! Counted pointers to task cells: [`TaskRc`] (strong) and [`TaskWeak`].
//!
//! They count as `Rc` and `Weak` do, but their pointer is thin: it points
//! at the [`RawTask`] at the start of every cell, whose header is at a
//! fixed offset, and whose body is reached through the cell's own vtable.
//! (An `Rc<dyn Trait>` finds its value's offset from the vtable's
//! alignment on every access, and drops and frees the cell through two
//! more loads from it.)
//!
//! # Invariants
//! - Every `TaskRc` and `TaskWeak` points at the `RawTask` of a live
//!   allocation that [`TaskRc::new_cell`] took over (a `TaskCell<F>`, whose
//!   layout the vtable keeps), with the provenance of the whole allocation.
//! - `strong` counts the `TaskRc`s (and, on single-threaded WebAssembly,
//!   the tasks' own wakers, which are counted pointers too). `weak` counts
//!   the `TaskWeak`s plus one held by all the strong pointers together.
//! - The cell's header and body are dropped when `strong` reaches 0 (the
//!   body only if `body_live` says it holds something); the memory is
//!   freed when `weak` then reaches 0.

use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;
use std::ptr::NonNull;

use super::task_cell::RawTask;

/// A counted pointer to a task's cell, as `Rc<RawTask>`.
pub(crate) struct TaskRc {
    ptr: NonNull<RawTask>,
    /// Not `Send` or `Sync`, as `Rc`.
    _rc: PhantomData<*const RawTask>,
}

/// A pointer that does not keep the task's header and body alive, as
/// `Weak<RawTask>`.
pub(crate) struct TaskWeak {
    ptr: NonNull<RawTask>,
    _rc: PhantomData<*const RawTask>,
}

/// One more on a count. A count cannot reach `usize::MAX` in a working
/// program (as with `Rc`, only leaked pointers could get there); if it did,
/// going on would free a cell still in use, so the process stops instead.
#[inline]
fn increment(count: &Cell<usize>) {
    match count.get().checked_add(1) {
        Some(next) => count.set(next),
        None => std::process::abort(),
    }
}

impl TaskRc {
    /// Takes ownership of a cell just allocated with both counts at 1.
    ///
    /// # Safety
    /// `ptr` must be the `RawTask` at the start of a cell allocated as its
    /// vtable's `layout` says, with `strong` and `weak` both 1, and not
    /// owned by anything else.
    pub(crate) unsafe fn new_cell(ptr: NonNull<RawTask>) -> Self {
        TaskRc {
            ptr,
            _rc: PhantomData,
        }
    }

    /// The cell's address, with the provenance of the whole allocation.
    #[inline]
    pub(crate) fn as_non_null(this: &Self) -> NonNull<RawTask> {
        this.ptr
    }

    /// The cell's address (as `Rc::as_ptr`).
    #[inline]
    pub(crate) fn as_ptr(this: &Self) -> *const RawTask {
        this.ptr.as_ptr()
    }

    /// Whether two pointers point at the same task.
    #[inline]
    pub(crate) fn ptr_eq(a: &Self, b: &Self) -> bool {
        a.ptr == b.ptr
    }

    /// A weak pointer to the same task.
    pub(crate) fn downgrade(this: &Self) -> TaskWeak {
        let raw = &**this;
        increment(&raw.weak);
        TaskWeak {
            ptr: this.ptr,
            _rc: PhantomData,
        }
    }

    /// Takes back a strong count held without a pointer (by a waker).
    ///
    /// # Safety
    /// `ptr` must be a cell's address whose count was taken with
    /// [`increment_strong_count`](Self::increment_strong_count) (or kept by
    /// a pointer given up), and that count must not have been taken back
    /// already.
    #[cfg(single_threaded_wasm)]
    pub(crate) unsafe fn from_raw(ptr: *const RawTask) -> Self {
        TaskRc {
            // SAFETY: a cell's address is never null.
            ptr: unsafe { NonNull::new_unchecked(ptr.cast_mut()) },
            _rc: PhantomData,
        }
    }

    /// Takes one more strong count, for a pointer made later with
    /// [`from_raw`](Self::from_raw).
    ///
    /// # Safety
    /// `ptr` must be the address of a cell that a strong pointer keeps
    /// alive during this call.
    #[cfg(single_threaded_wasm)]
    pub(crate) unsafe fn increment_strong_count(ptr: *const RawTask) {
        // SAFETY: the cell is alive (the caller's promise).
        let raw = unsafe { &*ptr };
        increment(&raw.strong);
    }

    /// Drops the header and body; frees the cell unless weak pointers
    /// remain. Called when the last strong count goes.
    ///
    /// # Safety
    /// The strong count has just reached 0 through this pointer.
    #[inline(never)]
    unsafe fn drop_slow(&mut self) {
        let ptr = self.ptr.as_ptr();
        // SAFETY: the cell is allocated (the weak count the strong pointers
        // shared is still held) and no strong pointer is left, so nothing
        // uses the header or the body any more; each is dropped once, here.
        // A destructor that upgrades a weak pointer to this task finds the
        // strong count at 0 and gets nothing. Once the header is dropped,
        // only the counts, the vtable and `body_live`, which have no
        // destructor, are read, through the raw pointer. A body that
        // `body_live` says is empty has nothing to drop (see its invariant).
        unsafe {
            let vtable = (*ptr).vtable;
            let body_live = (*ptr).body_live.get();
            std::ptr::drop_in_place(&raw mut (*ptr).header);
            if body_live {
                (vtable.drop_body)(self.ptr);
            }
            release_weak(self.ptr);
        }
    }
}

/// Releases one weak count; frees the cell when it was the last.
///
/// # Safety
/// `ptr` must hold a weak count (its own or the one the strong pointers
/// share) that is not used again.
unsafe fn release_weak(ptr: NonNull<RawTask>) {
    let raw = ptr.as_ptr();
    // SAFETY: the weak count held keeps the allocation; the header and body
    // may have been dropped, so only the count and the vtable are read.
    let (count, vtable) = unsafe { (&(*raw).weak, (*raw).vtable) };
    let weak = count.get() - 1;
    count.set(weak);
    if weak == 0 {
        let layout = vtable.layout;
        // SAFETY: no pointer is left; the cell was allocated with the
        // global allocator and this layout (see `new_cell`), and its header
        // and body were dropped when the strong count reached 0.
        unsafe { std::alloc::dealloc(ptr.as_ptr().cast::<u8>(), layout) };
    }
}

impl Clone for TaskRc {
    #[inline]
    fn clone(&self) -> Self {
        let raw = &**self;
        increment(&raw.strong);
        TaskRc {
            ptr: self.ptr,
            _rc: PhantomData,
        }
    }
}

impl Drop for TaskRc {
    #[inline]
    fn drop(&mut self) {
        let raw = &**self;
        let strong = raw.strong.get() - 1;
        raw.strong.set(strong);
        if strong == 0 {
            // SAFETY: that was the last strong count.
            unsafe { self.drop_slow() };
        }
    }
}

impl Deref for TaskRc {
    type Target = RawTask;

    #[inline]
    fn deref(&self) -> &RawTask {
        // SAFETY: a strong pointer keeps the cell and its header alive.
        unsafe { self.ptr.as_ref() }
    }
}

impl fmt::Debug for TaskRc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.header, f)
    }
}

impl TaskWeak {
    /// A strong pointer, if the task's cell is still alive.
    pub(crate) fn upgrade(&self) -> Option<TaskRc> {
        // SAFETY: a weak count keeps the allocation and its counts.
        let raw = unsafe { self.ptr.as_ref() };
        if raw.strong.get() == 0 {
            return None;
        }
        increment(&raw.strong);
        Some(TaskRc {
            ptr: self.ptr,
            _rc: PhantomData,
        })
    }

    /// The cell's address.
    pub(crate) fn as_ptr(&self) -> *const RawTask {
        self.ptr.as_ptr()
    }
}

impl Drop for TaskWeak {
    fn drop(&mut self) {
        // SAFETY: this pointer's own weak count, released once.
        unsafe { release_weak(self.ptr) };
    }
}
