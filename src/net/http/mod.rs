//! An HTTP client on `fetch`, in the manner of aiohttp's `ClientSession`.
//!
//! Every request carries an `AbortController`: dropping the request's
//! future (cancelling its task, or a timeout) aborts the request in the same
//! turn, so the server sees the connection go away. Errors are typed
//! ([`HttpError`]); nothing panics on any input.
//!
//! Requests bypass the browser's HTTP cache (`cache: "no-store"`), as
//! aiohttp has none: otherwise browsers (Chromium and Firefox) hold
//! concurrent identical GETs back until the first answer shows whether it
//! can be cached, and five concurrent requests to one URL would run one
//! after another.
//!
//! Browsers (Chromium, Firefox and WebKit) open at most 6 HTTP/1.1
//! connections per host; with more
//! concurrent requests to one host, the others wait for a free connection
//! and the requests complete in waves.

mod error;
mod request;
mod response;
mod session;

pub use error::HttpError;
pub use request::RequestBuilder;
pub use response::Response;
pub use session::{ClientSession, SessionBuilder};
