//! `GET /ws/echo`: a WebSocket that sends every text and binary message
//! back, the echo server of the WebSocket example.
//!
//! A message longer than [`MAX_MESSAGE_LEN`] (64 KiB) is not echoed: the
//! server closes with code 1009 ("message too big") and a reason that
//! states the limit. The WebSocket layer enforces the limit on frames and
//! on messages as they arrive, so the server never holds more than that
//! of a client's message: a frame whose header announces more is refused
//! from its header, and a message sent in pieces as soon as the pieces
//! pass the limit, without waiting for the rest. After a refusal nothing
//! more is read (the rest of the refused frame is not wanted): the close
//! frame is sent, and the connection ends [`REFUSAL_LINGER`] later, once
//! the client has had time to read it. A close from the client is
//! answered with the same code and reason, as the protocol asks; pings
//! are answered by the WebSocket layer. A connection silent for
//! [`IDLE_LIMIT`] is closed with code 1001.

use std::error::Error as _;
use std::time::Duration;

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{close_code, CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use tokio::time::timeout;

use crate::api_error::ApiError;
use crate::state::AppState;

/// The longest message echoed, and the longest frame read, in bytes.
pub(crate) const MAX_MESSAGE_LEN: usize = 64 * 1024;

/// How long a connection may stay silent before it is closed.
pub(crate) const IDLE_LIMIT: Duration = Duration::from_secs(300);

/// How long the server waits for the client to answer its close.
const CLOSE_WAIT: Duration = Duration::from_secs(5);

/// How long a connection stays open, unread, after a refusal's close
/// frame. Closing a socket with the refused message's bytes still unread
/// resets the connection, and a reset can arrive before the client has
/// read the close frame (a browser then reports code 1006, not 1009);
/// meanwhile the client's bytes wait in the system's socket buffer, not
/// in the server's memory.
const REFUSAL_LINGER: Duration = Duration::from_secs(2);

/// The reason sent with close code 1009.
const TOO_BIG: &str = "message too big: the limit is 65536 bytes";

/// `GET /ws/echo`: upgrades the connection, or says why it cannot.
pub(crate) async fn upgrade(
    State(state): State<AppState>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    match upgrade {
        Ok(upgrade) => upgrade
            .max_message_size(MAX_MESSAGE_LEN)
            .max_frame_size(MAX_MESSAGE_LEN)
            .on_upgrade(move |socket| echo(socket, state))
            .into_response(),
        Err(rejection) => ApiError::new(
            rejection.status(),
            format!(
                "this address is a WebSocket endpoint: {}",
                rejection.body_text()
            ),
        )
        .into_response(),
    }
}

/// Echoes messages until the client closes, goes silent or sends one
/// too big.
async fn echo(mut socket: WebSocket, state: AppState) {
    state.stats.ws_connected();
    loop {
        let message = match timeout(IDLE_LIMIT, socket.recv()).await {
            Ok(Some(Ok(message))) => message,
            Ok(Some(Err(error))) if is_too_big(&error) => {
                state.stats.ws_oversize_closed();
                refuse_too_big(socket).await;
                return;
            }
            // The connection ended, cleanly or not.
            Ok(None | Some(Err(_))) => return,
            Err(_) => {
                close(socket, close_code::AWAY, "idle for too long").await;
                return;
            }
        };
        match message {
            Message::Text(_) | Message::Binary(_) => {}
            // The WebSocket layer answers pings, and answers a close with
            // the same code and reason; the next `recv` sends that answer
            // and then reports the end.
            Message::Ping(_) | Message::Pong(_) | Message::Close(_) => continue,
        }
        state.stats.ws_message();
        if socket.send(message).await.is_err() {
            return;
        }
    }
}

/// True if the WebSocket layer refused a frame or message over
/// [`MAX_MESSAGE_LEN`].
fn is_too_big(error: &axum::Error) -> bool {
    matches!(
        error
            .source()
            .and_then(|source| source.downcast_ref::<tungstenite::Error>()),
        Some(tungstenite::Error::Capacity(
            tungstenite::error::CapacityError::MessageTooLong { .. }
        ))
    )
}

/// Closes with code 1009 and the limit, reading nothing more: what the
/// client sends next is the rest of the refused message. The connection
/// ends [`REFUSAL_LINGER`] after the close frame is sent.
async fn refuse_too_big(mut socket: WebSocket) {
    let frame = CloseFrame {
        code: close_code::SIZE,
        reason: Utf8Bytes::from_static(TOO_BIG),
    };
    if socket.send(Message::Close(Some(frame))).await.is_ok() {
        tokio::time::sleep(REFUSAL_LINGER).await;
    }
}

/// Sends a close frame, then waits a little for the client's answer so
/// the close handshake completes.
async fn close(mut socket: WebSocket, code: u16, reason: &'static str) {
    let frame = CloseFrame {
        code,
        reason: Utf8Bytes::from_static(reason),
    };
    if socket.send(Message::Close(Some(frame))).await.is_err() {
        return;
    }
    let _ = timeout(CLOSE_WAIT, async {
        while let Some(Ok(_)) = socket.recv().await {}
    })
    .await;
}
