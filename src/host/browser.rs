//! The browser host: `queueMicrotask`, `MessageChannel`, `setTimeout`,
//! `scheduler.postTask` and `performance.now()`.
//!
//! # Invariants
//! - One `setTimeout` at most is armed for the loop's wake-up; arming clears
//!   the previous one first.
//! - Browsers clamp a `setTimeout` set from inside a timer callback, five
//!   levels deep, to at least 4 ms. So when the loop re-arms for a deadline
//!   less than 4 ms away from inside its own wake-up, the host first hops
//!   through a `MessageChannel` message (which resets the nesting) and the
//!   loop arms the precise timeout from there; to the loop the hop is an
//!   early wake-up that finds nothing due.
//! - A JavaScript function that may still be called (a queued microtask or
//!   task) is never freed: if the host is dropped while one is pending, its
//!   closure is leaked instead, and calling it finds the loop gone and does
//!   nothing. Timers and the channel are cancelled on drop, so only the
//!   uncancellable microtask and `postTask` paths can leak, once per loop.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use js_sys::Function;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::backend::Backend;
use crate::error::LoopError;
use crate::runtime::host::{Host, HostedLoop, TurnCause, TurnKind};

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = queueMicrotask)]
    fn queue_microtask(callback: &Function);
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &Function, delay_ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue);
    /// The page's or worker's `performance`, looked up once per thread:
    /// `performance.now()` with the global looked up on every call costs
    /// about 200 ns in Chromium, and about 80 ns on the object kept here.
    #[wasm_bindgen(thread_local_v2, js_name = performance)]
    static PERFORMANCE: Option<Performance>;
    type Performance;
    #[wasm_bindgen(method, js_name = now)]
    fn now(this: &Performance) -> f64;
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;
    #[wasm_bindgen(js_namespace = scheduler, js_name = postTask)]
    fn post_task(callback: &Function) -> JsValue;
}

/// Milliseconds on the host's monotonic clock, `performance.now()`; on a
/// host without `performance`, `Date.now()`.
pub(crate) fn performance_now() -> f64 {
    PERFORMANCE.with(|performance| match performance {
        Some(performance) => performance.now(),
        None => date_now(),
    })
}

/// A Rust callback that JavaScript may call later, with a flag saying a call
/// is queued.
struct HostCallback {
    closure: Option<Closure<dyn FnMut()>>,
    pending: Rc<Cell<bool>>,
}

impl HostCallback {
    fn new(mut f: impl FnMut() + 'static) -> Self {
        let pending = Rc::new(Cell::new(false));
        let flag = Rc::clone(&pending);
        let closure = Closure::new(move || {
            flag.set(false);
            f();
        });
        Self {
            closure: Some(closure),
            pending,
        }
    }

    /// The JavaScript function, marked as queued; `None` if already queued.
    fn queue(&self) -> Option<&Function> {
        if self.pending.replace(true) {
            return None;
        }
        self.closure.as_ref().map(|c| c.as_ref().unchecked_ref())
    }

    fn function(&self) -> Option<&Function> {
        self.closure.as_ref().map(|c| c.as_ref().unchecked_ref())
    }
}

impl Drop for HostCallback {
    fn drop(&mut self) {
        if self.pending.get() {
            if let Some(closure) = self.closure.take() {
                closure.forget();
            }
        }
    }
}

/// A callback to run as a microtask (used by the virtual clock to resume).
pub(crate) struct MicrotaskCallback(HostCallback);

impl MicrotaskCallback {
    pub(crate) fn new(f: impl FnMut() + 'static) -> Self {
        Self(HostCallback::new(f))
    }

    pub(crate) fn queue(&self) {
        if let Some(function) = self.0.queue() {
            queue_microtask(function);
        }
    }
}

/// Whether `scheduler.postTask` exists in this browser.
pub(crate) fn post_task_available() -> bool {
    let global = js_sys::global();
    let Ok(scheduler) = js_sys::Reflect::get(&global, &JsValue::from_str("scheduler")) else {
        return false;
    };
    if scheduler.is_undefined() || scheduler.is_null() {
        return false;
    }
    js_sys::Reflect::get(&scheduler, &JsValue::from_str("postTask"))
        .map(|f| f.is_function())
        .unwrap_or(false)
}

/// Browsers clamp nested timeouts shorter than this.
const NESTED_TIMEOUT_CLAMP_MS: f64 = 4.0;

pub(crate) struct BrowserHost {
    backend: Backend,
    turn: HostCallback,
    wake: HostCallback,
    /// Kept alive for the hop channel, which calls it.
    _hop_wake: HostCallback,
    channel: Option<web_sys::MessageChannel>,
    hop: Option<web_sys::MessageChannel>,
    in_wake: Rc<Cell<bool>>,
    timer: RefCell<Option<JsValue>>,
    wakes_armed: Cell<u64>,
}

impl BrowserHost {
    pub(crate) fn check(backend: Backend) -> Result<(), LoopError> {
        if backend == Backend::PostTask && !post_task_available() {
            return Err(LoopError::BackendUnavailable {
                backend: "post-task",
                reason: "this browser has no scheduler.postTask",
            });
        }
        Ok(())
    }

    pub(crate) fn new(core: Weak<dyn HostedLoop>, backend: Backend) -> Self {
        let turn_core = core.clone();
        let turn = HostCallback::new(move || {
            if let Some(core) = turn_core.upgrade() {
                core.turn(TurnCause::Requested);
            }
        });
        let in_wake = Rc::new(Cell::new(false));
        let flag = Rc::clone(&in_wake);
        let wake_core = core.clone();
        let wake = HostCallback::new(move || {
            if let Some(core) = wake_core.upgrade() {
                flag.set(true);
                core.turn(TurnCause::Wake);
                flag.set(false);
            }
        });
        // Not flagged as inside a wake: the turn it runs arms a real timeout.
        let hop_wake = HostCallback::new(move || {
            if let Some(core) = core.upgrade() {
                core.turn(TurnCause::Wake);
            }
        });
        let hop = web_sys::MessageChannel::new().ok();
        if let (Some(hop), Some(function)) = (&hop, hop_wake.function()) {
            hop.port1().set_onmessage(Some(function));
        }
        let channel = if backend == Backend::Microtask {
            web_sys::MessageChannel::new().ok()
        } else {
            None
        };
        if let (Some(channel), Some(function)) = (&channel, turn.function()) {
            channel.port1().set_onmessage(Some(function));
        }
        Self {
            backend,
            turn,
            wake,
            _hop_wake: hop_wake,
            channel,
            hop,
            in_wake,
            timer: RefCell::new(None),
            wakes_armed: Cell::new(0),
        }
    }
}

impl Host for BrowserHost {
    fn block(&self, ms: f64) {
        // A busy wait: the only way for code on the loop to hold it. On a
        // page's main thread it freezes the page, as blocking code does.
        let until = performance_now() + ms;
        while performance_now() < until {
            std::hint::spin_loop();
        }
    }

    fn now(&self) -> f64 {
        performance_now()
    }

    fn wall_ms(&self) -> f64 {
        performance_now()
    }

    fn request_turn(&self, kind: TurnKind) {
        let Some(function) = self.turn.queue() else {
            return;
        };
        match (self.backend, kind) {
            (Backend::Microtask, TurnKind::Microtask) => queue_microtask(function),
            (Backend::Microtask, TurnKind::Macrotask) => match &self.channel {
                Some(channel) => {
                    if channel.port2().post_message(&JsValue::NULL).is_err() {
                        set_timeout(function, 0.0);
                    }
                }
                None => {
                    set_timeout(function, 0.0);
                }
            },
            (Backend::SetTimeout, _) => {
                set_timeout(function, 0.0);
            }
            (Backend::PostTask, _) => {
                post_task(function);
            }
        }
    }

    fn arm_wake(&self, at_ms: f64) {
        self.disarm_wake();
        let delay = (at_ms - performance_now()).max(0.0);
        if self.in_wake.get() && delay < NESTED_TIMEOUT_CLAMP_MS {
            if let Some(hop) = &self.hop {
                if hop.port2().post_message(&JsValue::NULL).is_ok() {
                    return;
                }
            }
        }
        let Some(function) = self.wake.queue() else {
            return;
        };
        // Round up: a timeout that fires early finds nothing due and costs a
        // second arm.
        let delay = delay.ceil();
        let handle = set_timeout(function, delay);
        *self.timer.borrow_mut() = Some(handle);
        self.wakes_armed.set(self.wakes_armed.get() + 1);
    }

    fn disarm_wake(&self) {
        if let Some(handle) = self.timer.borrow_mut().take() {
            clear_timeout(&handle);
            self.wake.pending.set(false);
        }
    }

    fn wakes_armed(&self) -> u64 {
        self.wakes_armed.get()
    }
}

impl Drop for BrowserHost {
    fn drop(&mut self) {
        self.disarm_wake();
        for channel in [&self.channel, &self.hop].into_iter().flatten() {
            channel.port1().set_onmessage(None);
            channel.port1().close();
            channel.port2().close();
        }
    }
}
