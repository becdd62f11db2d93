//! Network I/O on the browser's own `fetch` and `WebSocket`, with real
//! cancellation: dropping a request's future (cancelling its task, or a
//! timeout) aborts the request in the same turn, and dropping a socket
//! closes it. Browser only.
//!
//! - [`http`]: an aiohttp-like client session.
//! - [`websocket`]: a WebSocket client.
//!
//! Browsers open at most 6 HTTP/1.1 connections per host: a seventh
//! concurrent request to the same host waits for one of the six to finish,
//! so many concurrent requests complete in waves.

mod abort;
pub mod http;
pub(crate) mod js;
pub mod websocket;
