//! The host interface: everything the loop needs from its platform.
//!
//! The loop's core knows nothing of the browser. It asks its host for the
//! time, for a turn soon (as a microtask or a macrotask), and for one wake-up
//! at a deadline. The host answers by calling [`HostedLoop::turn`] through
//! the weak reference it was built with, and sees the loop through nothing
//! else.
//!
//! # Invariants
//! - At most one wake-up is armed at a time; arming replaces it.
//! - The host never calls back into the loop re-entrantly from inside one of
//!   these methods: turns happen later, from the host's own queue, or (the
//!   virtual clock) from [`Host::drive`], which the loop calls only when it is
//!   not inside a turn.

use std::rc::Rc;

/// The loop as its host sees it: the host's only way back in. A host holds
/// a weak reference to it and calls it from its own queue.
pub(crate) trait HostedLoop {
    /// Runs one turn.
    fn turn(self: Rc<Self>, cause: TurnCause);
    /// Lets a synchronous host run turns now (see [`Host::drive`]): how the
    /// virtual clock resumes in the browser when outside work comes in.
    #[cfg(target_arch = "wasm32")]
    fn drive(&self) -> DriveOutcome;
    /// Whether the loop is inside a run (turns do nothing otherwise).
    fn is_running(&self) -> bool;
    /// Whether operations outside the loop (I/O, worker jobs) are in flight.
    fn external_pending(&self) -> bool;
}

/// How soon a requested turn should run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TurnKind {
    /// Before the host does anything else (a microtask in the browser).
    Microtask,
    /// After the host has had a chance to paint and take input.
    Macrotask,
}

/// Why the host is calling the loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TurnCause {
    /// A requested turn.
    Requested,
    /// The armed wake-up went off.
    Wake,
}

/// What [`Host::drive`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DriveOutcome {
    /// The host runs turns by itself, later (the browser).
    Detached,
    /// The loop stopped running (its main task ended, or it was stopped).
    Stopped,
    /// Nothing is ready and no timer is set. With no way for work to arrive
    /// from outside, the loop can never make progress.
    Stalled,
    /// Nothing is ready and no timer is set, but something outside the loop
    /// (I/O) may still wake it; the host will resume driving when it does.
    Waiting,
}

/// The platform under a loop.
pub(crate) trait Host {
    /// Milliseconds on this host's monotonic clock.
    fn now(&self) -> f64;
    /// Milliseconds on the wall clock, whatever the loop's clock: how long
    /// work really took (the virtual clock does not move while a step
    /// computes).
    fn wall_ms(&self) -> f64;
    /// Asks for a turn soon. Called at most once until that turn starts.
    fn request_turn(&self, kind: TurnKind);
    /// Arms the single wake-up for host time `at_ms`, replacing any armed one.
    fn arm_wake(&self, at_ms: f64);
    /// Disarms the wake-up, if armed.
    fn disarm_wake(&self);
    /// Runs turns synchronously until the loop stops or has nothing to do.
    /// Hosts that run turns from their own queue return `Detached`.
    fn drive(&self) -> DriveOutcome {
        DriveOutcome::Detached
    }
    /// The longest delay one wake-up may be armed for; the loop chains longer
    /// ones. Browsers treat `setTimeout` delays over 2^31-1 ms as zero.
    fn max_wake_delay_ms(&self) -> f64 {
        MAX_TIMEOUT_MS
    }
    /// Host timers armed so far (each `arm_wake` that reached the platform).
    fn wakes_armed(&self) -> u64;
    /// Holds the loop for `ms` milliseconds without returning, as blocking
    /// code does: the real clock waits; the virtual clock moves on.
    fn block(&self, ms: f64);
}

/// The largest delay `setTimeout` honours: 2^31-1 ms (about 24.8 days).
pub(crate) const MAX_TIMEOUT_MS: f64 = 2_147_483_647.0;
