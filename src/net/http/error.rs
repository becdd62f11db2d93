//! What can go wrong with an HTTP request.

use std::error::Error;
use std::fmt;
use std::time::Duration;

/// Why a request gave no (usable) response.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HttpError {
    /// The URL could not be parsed, or is not `http:`/`https:`.
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The request could not be built: a bad header, method or body.
    InvalidRequest {
        /// What is wrong with it.
        reason: String,
    },
    /// `fetch` failed without a response. Browsers do not say why: the
    /// server may be down or unreachable, or the response was blocked by
    /// CORS.
    Network {
        /// The URL requested.
        url: String,
        /// The browser's message.
        message: String,
    },
    /// The request did not complete within its timeout; it was aborted.
    Timeout {
        /// The URL requested.
        url: String,
        /// The timeout.
        after: Duration,
    },
    /// The request was aborted from outside.
    Aborted {
        /// The URL requested.
        url: String,
    },
    /// The server answered with an error status ([`Response::error_for_status`](super::Response::error_for_status)).
    Status {
        /// The URL requested.
        url: String,
        /// The HTTP status code.
        status: u16,
        /// The status text.
        status_text: String,
    },
    /// The body could not be read or decoded.
    Body {
        /// The URL requested.
        url: String,
        /// What went wrong.
        message: String,
    },
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidUrl { url, reason } => write!(f, "invalid URL {url:?}: {reason}"),
            Self::InvalidRequest { reason } => write!(f, "invalid request: {reason}"),
            Self::Network { url, message } => write!(
                f,
                "network error fetching {url}: {message} (the server may be down or \
                 unreachable, or the browser blocked the response because of CORS; \
                 the browser does not say which)"
            ),
            Self::Timeout { url, after } => {
                write!(
                    f,
                    "request to {url} timed out after {} s",
                    after.as_secs_f64()
                )
            }
            Self::Aborted { url } => write!(f, "request to {url} was aborted"),
            Self::Status {
                url,
                status,
                status_text,
            } => write!(f, "{url} answered {status} {status_text}"),
            Self::Body { url, message } => {
                write!(f, "could not read the body from {url}: {message}")
            }
        }
    }
}

impl Error for HttpError {}
