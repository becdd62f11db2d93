//! Which clock a loop runs on and how it asks the host for turns.

use std::fmt;

/// The clock a loop runs on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Clock {
    /// The host's real clock (`performance.now()`); timers wait for real.
    /// Browser only.
    #[default]
    Real,
    /// A deterministic clock that jumps to the next timer's deadline as soon
    /// as nothing is ready: a 15-second program finishes at once, with every
    /// timestamp exact. Natively, and in the browser.
    Virtual,
}

/// How a browser loop asks for its turns: the tutorials' "swap the event
/// loop implementation" lesson, made concrete.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Backend {
    /// Ready work runs in a `queueMicrotask` burst; a burst longer than the
    /// budget continues in a `MessageChannel` macrotask so the page can paint
    /// and take input; timers use one `setTimeout`.
    #[default]
    Microtask,
    /// Every turn is a `setTimeout(0)`: what a naive loop does. Browsers
    /// clamp nested timeouts to 4 ms, so task switches get slow.
    SetTimeout,
    /// Turns are `scheduler.postTask` tasks (Prioritized Task Scheduling).
    /// Feature-detected: building a loop with it where the browser lacks it
    /// is an error.
    PostTask,
}

impl Backend {
    /// Every backend, in a stable order.
    pub const ALL: [Backend; 3] = [Backend::Microtask, Backend::SetTimeout, Backend::PostTask];

    /// The backend's short name: `microtask`, `set-timeout`, `post-task`.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Microtask => "microtask",
            Backend::SetTimeout => "set-timeout",
            Backend::PostTask => "post-task",
        }
    }

    /// The backend with this short name.
    pub fn from_name(name: &str) -> Option<Backend> {
        Backend::ALL.into_iter().find(|b| b.name() == name)
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
