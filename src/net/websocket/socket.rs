//! The socket: connecting, sending, receiving, closing.
//!
//! # Invariants
//! - The browser's event handlers only push into [`Shared`] and wake the
//!   waiting task; they never run user code.
//! - A `Close` message is queued after every data message, exactly once;
//!   after it is taken, receiving gives [`WebSocketError::Closed`].
//! - Dropping the socket removes the handlers before their closures are
//!   freed, and closes the connection if it is still open.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::{Message, WebSocketError};
use crate::net::js;
use crate::runtime::context;
use crate::runtime::external::ExternalWait;
use crate::runtime::io_span::IoSpan;
use crate::trace::WaitReason;

/// Sends wait while more than this many bytes are queued in the browser.
pub const DEFAULT_SEND_THRESHOLD: u32 = 1 << 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Connecting,
    Open,
    Closed,
}

#[derive(Default)]
struct Shared {
    state: Cell<Option<State>>,
    queue: RefCell<VecDeque<Message>>,
    close: RefCell<Option<(u16, String)>>,
    waiters: RefCell<Vec<Waker>>,
}

impl Shared {
    fn state(&self) -> State {
        self.state.get().unwrap_or(State::Connecting)
    }

    fn wake_all(&self) {
        let waiters = std::mem::take(&mut *self.waiters.borrow_mut());
        for waker in waiters {
            waker.wake();
        }
    }

    fn wait(&self, cx: &Context<'_>) {
        let mut waiters = self.waiters.borrow_mut();
        if !waiters.iter().any(|w| w.will_wake(cx.waker())) {
            waiters.push(cx.waker().clone());
        }
    }
}

struct Handlers {
    _open: Closure<dyn FnMut()>,
    _message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _close: Closure<dyn FnMut(web_sys::CloseEvent)>,
    _error: Closure<dyn FnMut(JsValue)>,
}

/// An open WebSocket connection.
pub struct WebSocket {
    socket: web_sys::WebSocket,
    shared: Rc<Shared>,
    url: String,
    send_threshold: u32,
    span: RefCell<Option<IoSpan>>,
    _handlers: Handlers,
}

impl fmt::Debug for WebSocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebSocket")
            .field("url", &self.url)
            .field("state", &self.shared.state())
            .finish_non_exhaustive()
    }
}

/// Connects to `url` (`ws:`/`wss:`, or `http:`/`https:`, which browsers map
/// to them) and resolves once the connection is open.
///
/// # Errors
/// [`WebSocketError::InvalidUrl`], or [`WebSocketError::ConnectFailed`] when
/// the browser could not open it.
///
/// # Examples
/// ```no_run
/// use asyncio::net::websocket::{connect, Message};
///
/// # async fn demo() -> Result<(), asyncio::net::websocket::WebSocketError> {
/// let socket = connect("ws://127.0.0.1:8000/ws/echo").await?;
/// socket.send_text("hello").await?;
/// assert_eq!(socket.receive().await?, Message::Text("hello".into()));
/// socket.close(1000, "done").await?;
/// # Ok(())
/// # }
/// ```
pub async fn connect(url: &str) -> Result<WebSocket, WebSocketError> {
    let socket = web_sys::WebSocket::new(url).map_err(|err| WebSocketError::InvalidUrl {
        url: url.to_string(),
        reason: js::error_message(&err),
    })?;
    socket.set_binary_type(web_sys::BinaryType::Arraybuffer);
    let shared = Rc::new(Shared::default());
    let handlers = install(&socket, &shared);
    let span = IoSpan::start(|| format!("WebSocket {url}"));
    let socket = WebSocket {
        url: socket.url(),
        socket,
        shared,
        send_threshold: DEFAULT_SEND_THRESHOLD,
        span: RefCell::new(Some(span)),
        _handlers: handlers,
    };
    Opened {
        socket: &socket,
        outside: None,
    }
    .await?;
    Ok(socket)
}

fn install(socket: &web_sys::WebSocket, shared: &Rc<Shared>) -> Handlers {
    let on_open = {
        let shared = Rc::clone(shared);
        Closure::<dyn FnMut()>::new(move || {
            shared.state.set(Some(State::Open));
            shared.wake_all();
        })
    };
    let on_message = {
        let shared = Rc::clone(shared);
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let data = event.data();
            let message = match data.as_string() {
                Some(text) => Message::Text(text),
                None => Message::Binary(js_sys::Uint8Array::new(&data).to_vec()),
            };
            shared.queue.borrow_mut().push_back(message);
            shared.wake_all();
        })
    };
    let on_close = {
        let shared = Rc::clone(shared);
        Closure::<dyn FnMut(web_sys::CloseEvent)>::new(move |event: web_sys::CloseEvent| {
            let (code, reason) = (event.code(), event.reason());
            if shared.state() != State::Closed {
                shared.state.set(Some(State::Closed));
                *shared.close.borrow_mut() = Some((code, reason.clone()));
                shared
                    .queue
                    .borrow_mut()
                    .push_back(Message::Close { code, reason });
            }
            shared.wake_all();
        })
    };
    // An error is always followed by a close event, which carries the code.
    let on_error = {
        let shared = Rc::clone(shared);
        Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| shared.wake_all())
    };
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    socket.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Handlers {
        _open: on_open,
        _message: on_message,
        _close: on_close,
        _error: on_error,
    }
}

struct Opened<'a> {
    socket: &'a WebSocket,
    outside: Option<ExternalWait>,
}

impl Future for Opened<'_> {
    type Output = Result<(), WebSocketError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let shared = &self.socket.shared;
        match shared.state() {
            State::Open => Poll::Ready(Ok(())),
            State::Closed => {
                let code = shared
                    .close
                    .borrow()
                    .as_ref()
                    .map_or(1006, |(code, _)| *code);
                self.socket.end_span(&format!("failed to connect ({code})"));
                Poll::Ready(Err(WebSocketError::ConnectFailed {
                    url: self.socket.url.clone(),
                    code,
                }))
            }
            State::Connecting => {
                shared.wait(cx);
                context::note_wait(WaitReason::WebSocket);
                self.outside.get_or_insert_with(ExternalWait::begin);
                Poll::Pending
            }
        }
    }
}

impl WebSocket {
    /// The URL, as the browser resolved it.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Bytes queued in the browser, not yet sent.
    pub fn buffered_amount(&self) -> u32 {
        self.socket.buffered_amount()
    }

    /// Sends wait while more than `bytes` are queued (default
    /// [`DEFAULT_SEND_THRESHOLD`]).
    pub fn set_send_threshold(&mut self, bytes: u32) {
        self.send_threshold = bytes;
    }

    /// Sends a text message, first waiting while the send buffer is full.
    ///
    /// # Errors
    /// [`WebSocketError::Closed`] once closed; [`WebSocketError::Send`] if
    /// the browser refuses.
    pub async fn send_text(&self, text: &str) -> Result<(), WebSocketError> {
        self.drain().await?;
        self.socket.send_with_str(text).map_err(send_error)
    }

    /// Sends a binary message, first waiting while the send buffer is full.
    ///
    /// # Errors
    /// As [`send_text`](Self::send_text).
    pub async fn send_binary(&self, bytes: &[u8]) -> Result<(), WebSocketError> {
        self.drain().await?;
        self.socket.send_with_u8_array(bytes).map_err(send_error)
    }

    /// Waits (polling every few milliseconds: browsers give no event for it)
    /// until the send buffer is at or under the threshold.
    async fn drain(&self) -> Result<(), WebSocketError> {
        // The buffer drains in real time: virtual time must wait for it.
        let _outside = ExternalWait::begin();
        loop {
            self.check_open()?;
            if self.socket.buffered_amount() <= self.send_threshold {
                return Ok(());
            }
            crate::sleep(Duration::from_millis(2)).await;
        }
    }

    fn check_open(&self) -> Result<(), WebSocketError> {
        if self.shared.state() == State::Closed {
            let (code, reason) = self
                .shared
                .close
                .borrow()
                .clone()
                .unwrap_or((1006, String::new()));
            return Err(WebSocketError::Closed { code, reason });
        }
        Ok(())
    }

    /// The next message. After the [`Message::Close`], receiving gives
    /// [`WebSocketError::Closed`]. A cancelled receive loses nothing: the
    /// message stays for the next one.
    pub fn receive(&self) -> Receive<'_> {
        Receive {
            socket: self,
            outside: None,
        }
    }

    fn poll_message(&self, cx: &mut Context<'_>) -> Poll<Result<Message, WebSocketError>> {
        if let Some(message) = self.shared.queue.borrow_mut().pop_front() {
            if let Message::Close { code, reason } = &message {
                self.end_span(&format!("closed {code} {reason}"));
            }
            return Poll::Ready(Ok(message));
        }
        if let Err(err) = self.check_open() {
            return Poll::Ready(Err(err));
        }
        self.shared.wait(cx);
        context::note_wait(WaitReason::WebSocket);
        Poll::Pending
    }

    /// Closes with `code` (1000, or 3000–4999) and `reason` (at most 123
    /// bytes of UTF-8), then waits until the close handshake is done.
    ///
    /// # Errors
    /// [`WebSocketError::InvalidClose`] for a code or reason the protocol
    /// does not allow.
    pub async fn close(&self, code: u16, reason: &str) -> Result<(), WebSocketError> {
        if code != 1000 && !(3000..=4999).contains(&code) {
            return Err(WebSocketError::InvalidClose {
                reason: format!("the close code must be 1000 or 3000–4999, not {code}"),
            });
        }
        if reason.len() > 123 {
            return Err(WebSocketError::InvalidClose {
                reason: format!("the reason must be at most 123 bytes, not {}", reason.len()),
            });
        }
        if self.shared.state() != State::Closed {
            self.socket
                .close_with_code_and_reason(code, reason)
                .map_err(|err| WebSocketError::InvalidClose {
                    reason: js::error_message(&err),
                })?;
        }
        Closed {
            socket: self,
            outside: None,
        }
        .await;
        let (code, reason) = self
            .shared
            .close
            .borrow()
            .clone()
            .unwrap_or((code, String::new()));
        self.end_span(&format!("closed {code} {reason}"));
        Ok(())
    }

    fn end_span(&self, outcome: &str) {
        if let Some(span) = self.span.borrow_mut().take() {
            span.end(|| outcome.to_string());
        }
    }
}

fn send_error(err: JsValue) -> WebSocketError {
    WebSocketError::Send {
        message: js::error_message(&err),
    }
}

/// The future returned by [`WebSocket::receive`].
#[must_use = "futures do nothing unless awaited"]
pub struct Receive<'a> {
    socket: &'a WebSocket,
    outside: Option<ExternalWait>,
}

impl fmt::Debug for Receive<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receive").finish_non_exhaustive()
    }
}

impl Future for Receive<'_> {
    type Output = Result<Message, WebSocketError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let poll = self.socket.poll_message(cx);
        if poll.is_pending() {
            self.outside.get_or_insert_with(ExternalWait::begin);
        } else {
            self.outside = None;
        }
        poll
    }
}

struct Closed<'a> {
    socket: &'a WebSocket,
    outside: Option<ExternalWait>,
}

impl Future for Closed<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.socket.shared.state() == State::Closed {
            return Poll::Ready(());
        }
        self.socket.shared.wait(cx);
        context::note_wait(WaitReason::WebSocket);
        self.outside.get_or_insert_with(ExternalWait::begin);
        Poll::Pending
    }
}

impl futures_core::Stream for WebSocket {
    type Item = Result<Message, WebSocketError>;

    /// Messages until the `Close`, then the end of the stream.
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match self.poll_message(cx) {
            Poll::Ready(Err(WebSocketError::Closed { .. })) => Poll::Ready(None),
            Poll::Ready(item) => Poll::Ready(Some(item)),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl Drop for WebSocket {
    fn drop(&mut self) {
        self.socket.set_onopen(None);
        self.socket.set_onmessage(None);
        self.socket.set_onclose(None);
        self.socket.set_onerror(None);
        if self.shared.state() != State::Closed {
            let _ = self.socket.close_with_code_and_reason(1000, "dropped");
            self.end_span("closed by drop");
        }
    }
}
