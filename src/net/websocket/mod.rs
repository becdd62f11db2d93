//! A WebSocket client on the browser's `WebSocket`.
//!
//! [`connect`] resolves once the socket is open. Messages arrive in order
//! and wait in a queue until [`WebSocket::receive`] takes them, so a receive
//! that is cancelled loses nothing. Sends wait while the browser's send
//! buffer is over a threshold (back-pressure). Dropping the socket closes
//! it.

mod error;
mod message;
mod socket;

pub use error::WebSocketError;
pub use message::Message;
pub use socket::{connect, Receive, WebSocket, DEFAULT_SEND_THRESHOLD};
