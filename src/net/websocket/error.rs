//! What can go wrong with a WebSocket.

use std::error::Error;
use std::fmt;

/// A WebSocket failure.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebSocketError {
    /// The URL is not a valid `ws:`/`wss:` URL.
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The connection could not be opened. Browsers do not say why: the
    /// server may be down, refuse the upgrade, or be unreachable.
    ConnectFailed {
        /// The URL.
        url: String,
        /// The close code the browser reported (1006 when it just failed).
        code: u16,
    },
    /// The socket is closed; this is how it closed.
    Closed {
        /// The close code.
        code: u16,
        /// The close reason.
        reason: String,
    },
    /// A close code or reason the protocol does not allow.
    InvalidClose {
        /// What is wrong.
        reason: String,
    },
    /// The browser refused to send.
    Send {
        /// The browser's message.
        message: String,
    },
}

impl fmt::Display for WebSocketError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidUrl { url, reason } => {
                write!(f, "invalid WebSocket URL {url:?}: {reason}")
            }
            Self::ConnectFailed { url, code } => write!(
                f,
                "could not connect to {url} (close code {code}): the server may be down, \
                 unreachable, or have refused the connection"
            ),
            Self::Closed { code, reason } if reason.is_empty() => {
                write!(f, "the WebSocket is closed (code {code})")
            }
            Self::Closed { code, reason } => {
                write!(f, "the WebSocket is closed (code {code}: {reason})")
            }
            Self::InvalidClose { reason } => write!(f, "invalid close: {reason}"),
            Self::Send { message } => write!(f, "could not send: {message}"),
        }
    }
}

impl Error for WebSocketError {}
