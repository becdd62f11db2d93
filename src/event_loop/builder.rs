//! Building a loop: its clock, backend, budget and tracing.

use std::time::Duration;

use super::EventLoop;
use crate::backend::{Backend, Clock};
use crate::error::LoopError;
use crate::runtime::core::{LoopConfig, LoopCore};
use crate::runtime::host::Host;
use crate::runtime::units::duration_ms;

/// The default turn budget: a burst of ready work longer than this continues
/// in a macrotask, so the page can paint and take input.
pub const DEFAULT_BUDGET: Duration = Duration::from_millis(4);

/// Builds an [`EventLoop`] with a chosen clock, backend, budget and tracing.
///
/// # Examples
/// ```
/// use asyncio::{Clock, EventLoop};
///
/// let lp = EventLoop::builder().clock(Clock::Virtual).trace(true).build().unwrap();
/// assert_eq!(lp.clock(), Clock::Virtual);
/// ```
#[derive(Clone, Debug)]
pub struct LoopBuilder {
    clock: Clock,
    backend: Backend,
    budget: Duration,
    trace: bool,
    slow_step: Option<Duration>,
}

impl Default for LoopBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl LoopBuilder {
    /// Real clock, default backend, default budget, no tracing.
    pub fn new() -> Self {
        Self {
            clock: Clock::Real,
            backend: Backend::Microtask,
            budget: DEFAULT_BUDGET,
            trace: false,
            slow_step: None,
        }
    }

    /// The clock to run on.
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The scheduling backend (real clock only).
    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// How long a burst of ready work may run before the loop yields to the
    /// page (real clock only). A task whose last step the loop timed, and
    /// which could take the burst past the budget (its next step allowed
    /// twice its last), waits at the head of the queue and starts the next
    /// burst (the order of steps is unchanged).
    pub fn budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// Whether to record a trace from the start.
    pub fn trace(mut self, on: bool) -> Self {
        self.trace = on;
        self
    }

    /// The slow-step threshold (see [`EventLoop::set_slow_step`]).
    pub fn slow_step(mut self, threshold: Duration) -> Self {
        self.slow_step = Some(threshold);
        self
    }

    /// Builds the loop.
    ///
    /// # Errors
    /// [`LoopError::RealClockUnavailable`] for the real clock outside a
    /// browser; [`LoopError::BackendUnavailable`] for a backend the browser
    /// lacks.
    pub fn build(self) -> Result<EventLoop, LoopError> {
        if self.clock == Clock::Real {
            #[cfg(target_arch = "wasm32")]
            crate::host::browser::BrowserHost::check(self.backend)?;
            #[cfg(not(target_arch = "wasm32"))]
            return Err(LoopError::RealClockUnavailable);
        }
        Ok(self.build_infallible())
    }

    pub(super) fn build_infallible(self) -> EventLoop {
        let config = LoopConfig {
            clock: self.clock,
            backend: self.backend,
            budget_ms: duration_ms(self.budget),
        };
        let core = LoopCore::new(config, move |weak| -> Box<dyn Host> {
            match config.clock {
                #[cfg(target_arch = "wasm32")]
                Clock::Real => {
                    Box::new(crate::host::browser::BrowserHost::new(weak, config.backend))
                }
                _ => Box::new(crate::host::virtual_clock::VirtualClock::new(weak)),
            }
        });
        core.tracer().set_enabled(self.trace);
        if let Some(threshold) = self.slow_step {
            core.tracer().set_slow_step_ms(duration_ms(threshold));
        }
        EventLoop::from_core(core)
    }
}
