//! Counters a loop keeps about itself, for benchmarks and the playground.

/// A snapshot of a loop's counters, from [`EventLoop::stats`](crate::EventLoop::stats).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct LoopStats {
    /// Turns run (host callbacks that did work).
    pub turns: u64,
    /// Turns that ended because they used their budget, continuing in a macrotask.
    pub budget_yields: u64,
    /// Task polls.
    pub polls: u64,
    /// Tasks created.
    pub tasks_created: u64,
    /// Timers that fired.
    pub timers_fired: u64,
    /// Host timers (`setTimeout`s, or virtual wake-ups) armed so far.
    pub host_timers_armed: u64,
    /// When the host's one wake-up is armed for, in loop milliseconds.
    pub host_wake_at_ms: Option<f64>,
    /// The longest turn so far, in milliseconds.
    pub longest_turn_ms: f64,
    /// Tasks that have not ended.
    pub pending_tasks: usize,
    /// Timers that have neither fired nor been cancelled.
    pub pending_timers: usize,
    /// Items in the ready queue.
    pub ready: usize,
}
