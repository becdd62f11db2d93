//! The memory budget's counter: a global allocator that counts the bytes
//! in use, and refuses an allocation that would pass a hard ceiling.
//!
//! Install it in a binary (the command-line runner, the worker's module):
//! ```ignore
//! #[global_allocator]
//! static ALLOCATOR: asyncio_python::BudgetAllocator = asyncio_python::BudgetAllocator::new();
//! ```
//! A run checks the count at its budget checks and stops the program with
//! a `MemoryError` past [`RunOptions::max_memory`](crate::RunOptions). A
//! single allocation past the ceiling ([`BudgetAllocator::set_ceiling`])
//! is refused: Rust then aborts the process (natively) or traps the
//! module (in a worker, which the page restarts), after this allocator
//! has written why to standard error.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
static CEILING: AtomicUsize = AtomicUsize::new(usize::MAX);

/// Bytes allocated through [`BudgetAllocator`] and not yet freed (0 when
/// it is not the global allocator).
pub fn allocated_bytes() -> usize {
    ALLOCATED.load(Ordering::Relaxed)
}

/// The system allocator, counting.
#[derive(Debug, Default)]
pub struct BudgetAllocator;

impl BudgetAllocator {
    /// The allocator.
    pub const fn new() -> Self {
        BudgetAllocator
    }

    /// Refuses single allocations that would take the total past `bytes`.
    pub fn set_ceiling(bytes: usize) {
        CEILING.store(bytes, Ordering::Relaxed);
    }

    fn refuse(size: usize) -> bool {
        let now = ALLOCATED.load(Ordering::Relaxed);
        if now.saturating_add(size) <= CEILING.load(Ordering::Relaxed) {
            return false;
        }
        report_refusal();
        true
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn report_refusal() {
    use std::io::Write;
    // No allocation here: a fixed message to the unbuffered stream.
    let _ = std::io::stderr().write_all(
        b"MemoryError: the program asked for more memory than its budget allows and was stopped\n",
    );
}

#[cfg(target_arch = "wasm32")]
fn report_refusal() {}

// SAFETY: every method forwards to `System` with the caller's layout and
// pointer unchanged, so `System`'s guarantees hold; the counter is only
// bookkeeping, and a refusal returns null, which `GlobalAlloc` allows.
unsafe impl GlobalAlloc for BudgetAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if Self::refuse(layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded with the caller's layout (see the impl's note).
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if Self::refuse(layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded with the caller's layout (see the impl's note).
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        ALLOCATED.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() && Self::refuse(new_size - layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: `ptr` came from this allocator with `layout`.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            ALLOCATED.fetch_add(new_size, Ordering::Relaxed);
            ALLOCATED.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        new
    }
}
