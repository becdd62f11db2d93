//! `GET /ws/echo`: a WebSocket that sends every text and binary message
//! back, the echo server of the WebSocket example.
//!
//! A message longer than [`MAX_MESSAGE_LEN`] (64 KiB) is not echoed: the
//! server closes with code 1009 ("message too big") and a reason that
//! states the limit. The WebSocket layer itself accepts messages up to
//! [`TRANSPORT_LIMIT`] so that such a message reaches this check; one
//! over that limit ends the connection without a close frame. A close
//! from the client is answered with the same code and reason, as the
//! protocol asks; pings are answered by the WebSocket layer. A
//! connection silent for [`IDLE_LIMIT`] is closed with code 1001.

use std::time::Duration;

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{close_code, CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use tokio::time::timeout;

use crate::api_error::ApiError;
use crate::state::AppState;

/// The longest message echoed, in bytes.
pub(crate) const MAX_MESSAGE_LEN: usize = 64 * 1024;

/// The longest message or frame the WebSocket layer reads, in bytes.
pub(crate) const TRANSPORT_LIMIT: usize = 4 * 1024 * 1024;

/// How long a connection may stay silent before it is closed.
pub(crate) const IDLE_LIMIT: Duration = Duration::from_secs(300);

/// How long the server waits for the client to answer its close.
const CLOSE_WAIT: Duration = Duration::from_secs(5);

/// The reason sent with close code 1009.
const TOO_BIG: &str = "message too big: the limit is 65536 bytes";

/// `GET /ws/echo`: upgrades the connection, or says why it cannot.
pub(crate) async fn upgrade(
    State(state): State<AppState>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    match upgrade {
        Ok(upgrade) => upgrade
            .max_message_size(TRANSPORT_LIMIT)
            .max_frame_size(TRANSPORT_LIMIT)
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
            // The connection ended, cleanly or not.
            Ok(None | Some(Err(_))) => return,
            Err(_) => {
                close(socket, close_code::AWAY, "idle for too long").await;
                return;
            }
        };
        let too_big = match &message {
            Message::Text(text) => text.len() > MAX_MESSAGE_LEN,
            Message::Binary(bytes) => bytes.len() > MAX_MESSAGE_LEN,
            // The WebSocket layer answers pings, and answers a close with
            // the same code and reason; the next `recv` sends that answer
            // and then reports the end.
            Message::Ping(_) | Message::Pong(_) | Message::Close(_) => continue,
        };
        if too_big {
            state.stats.ws_oversize_closed();
            close(socket, close_code::SIZE, TOO_BIG).await;
            return;
        }
        state.stats.ws_message();
        if socket.send(message).await.is_err() {
            return;
        }
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
