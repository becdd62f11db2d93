//! The virtual clock: a deterministic host whose time jumps straight to the
//! next deadline whenever nothing is ready.
//!
//! # Invariants
//! - Time only moves forward, and only inside [`Host::drive`], to the armed
//!   wake-up when no turn is requested, or when a step blocks
//!   ([`Host::block`]): otherwise it stands still within a turn, so every
//!   timestamp is exact and runs are reproducible.
//! - In the browser, work that arrives from outside (I/O completing) while
//!   nobody is driving requests a turn; the clock then queues a microtask that
//!   resumes driving. Natively nothing arrives from outside, so running out of
//!   work with the main task still waiting is a stall.
//! - While the loop has operations in flight outside it (fetches, sockets,
//!   worker jobs), time does not jump: the clock waits for them, so they take
//!   no virtual time, and a task that sleeps in a loop cannot spin through
//!   virtual time without ever letting their results in.

use std::cell::Cell;
use std::rc::Weak;

use crate::runtime::host::{DriveOutcome, Host, HostedLoop, TurnCause, TurnKind};

/// Real milliseconds since an arbitrary start.
#[cfg(not(target_arch = "wasm32"))]
fn wall_ms() -> f64 {
    use std::sync::OnceLock;
    use std::time::Instant;
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
}

#[cfg(target_arch = "wasm32")]
fn wall_ms() -> f64 {
    crate::host::browser::performance_now()
}

pub(crate) struct VirtualClock {
    core: Weak<dyn HostedLoop>,
    now: Cell<f64>,
    wake_at: Cell<Option<f64>>,
    turn_requested: Cell<bool>,
    driving: Cell<bool>,
    wakes_armed: Cell<u64>,
    #[cfg(target_arch = "wasm32")]
    resume: crate::host::browser::MicrotaskCallback,
}

impl VirtualClock {
    pub(crate) fn new(core: Weak<dyn HostedLoop>) -> Self {
        Self {
            #[cfg(target_arch = "wasm32")]
            resume: crate::host::browser::MicrotaskCallback::new({
                let core = core.clone();
                move || {
                    if let Some(core) = core.upgrade() {
                        let _ = core.drive();
                    }
                }
            }),
            core,
            now: Cell::new(0.0),
            wake_at: Cell::new(None),
            turn_requested: Cell::new(false),
            driving: Cell::new(false),
            wakes_armed: Cell::new(0),
        }
    }
}

impl Host for VirtualClock {
    fn now(&self) -> f64 {
        self.now.get()
    }

    fn wall_ms(&self) -> f64 {
        wall_ms()
    }

    fn request_turn(&self, _kind: TurnKind) {
        self.turn_requested.set(true);
        #[cfg(target_arch = "wasm32")]
        if !self.driving.get() {
            self.resume.queue();
        }
    }

    fn arm_wake(&self, at_ms: f64) {
        self.wake_at.set(Some(at_ms));
        self.wakes_armed.set(self.wakes_armed.get() + 1);
    }

    fn disarm_wake(&self) {
        self.wake_at.set(None);
    }

    fn drive(&self) -> DriveOutcome {
        if self.driving.replace(true) {
            return DriveOutcome::Detached;
        }
        let outcome = loop {
            let Some(core) = self.core.upgrade() else {
                break DriveOutcome::Stopped;
            };
            if !core.is_running() {
                break DriveOutcome::Stopped;
            }
            if self.turn_requested.replace(false) {
                core.turn(TurnCause::Requested);
            } else if self.wake_at.get().is_some() && core.external_pending() {
                break DriveOutcome::Waiting;
            } else if let Some(at) = self.wake_at.take() {
                if at > self.now.get() {
                    self.now.set(at);
                }
                core.turn(TurnCause::Wake);
            } else if cfg!(target_arch = "wasm32") {
                break DriveOutcome::Waiting;
            } else {
                break DriveOutcome::Stalled;
            }
        };
        self.driving.set(false);
        outcome
    }

    fn wakes_armed(&self) -> u64 {
        self.wakes_armed.get()
    }

    fn block(&self, ms: f64) {
        // The one other place time moves: a step that blocks takes its
        // time, with nothing else running meanwhile.
        if ms > 0.0 {
            self.now.set(self.now.get() + ms);
        }
    }
}
