//! A message received on a WebSocket.

/// What [`WebSocket::receive`](super::WebSocket::receive) gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// A text message.
    Text(String),
    /// A binary message.
    Binary(Vec<u8>),
    /// The connection closed, with this code and reason. The last message.
    Close {
        /// The close code (1000 is a normal closure; 1006 means it was lost).
        code: u16,
        /// The reason the closing side gave.
        reason: String,
    },
}
