//! Aborting a fetch when its future is dropped.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use crate::runtime::context;
use crate::runtime::external::ExternalWait;
use crate::trace::WaitReason;

/// Aborts its controller when dropped, unless disarmed first.
#[derive(Debug)]
pub(crate) struct AbortOnDrop {
    controller: web_sys::AbortController,
    armed: bool,
}

impl AbortOnDrop {
    pub(crate) fn new() -> Result<AbortOnDrop, JsValue> {
        Ok(AbortOnDrop {
            controller: web_sys::AbortController::new()?,
            armed: true,
        })
    }

    pub(crate) fn signal(&self) -> web_sys::AbortSignal {
        self.controller.signal()
    }

    /// The operation is over: dropping no longer aborts anything.
    pub(crate) fn disarm(&mut self) {
        self.armed = false;
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if self.armed {
            self.controller.abort();
        }
    }
}

/// A JavaScript promise awaited by a task, labelled in the trace.
#[must_use = "futures do nothing unless awaited"]
pub(crate) struct Awaited {
    inner: JsFuture,
    reason: WaitReason,
    _outside: ExternalWait,
}

impl Awaited {
    pub(crate) fn new(promise: js_sys::Promise, reason: WaitReason) -> Self {
        Awaited {
            inner: JsFuture::from(promise),
            reason,
            _outside: ExternalWait::begin(),
        }
    }
}

impl Future for Awaited {
    type Output = Result<JsValue, JsValue>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let poll = Pin::new(&mut self.inner).poll(cx);
        if poll.is_pending() {
            context::note_wait(self.reason);
        }
        poll
    }
}
