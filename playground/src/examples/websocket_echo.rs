//! `websocket-echo`: connect to an echo server, send messages, receive each
//! one back, and close.

use asyncio::net::websocket::{connect, Message, WebSocket, WebSocketError};
use asyncio::print;

use crate::catalogue::Params;

/// Sends `count` messages and prints each echo.
async fn converse(socket: &WebSocket, count: usize) -> Result<(), WebSocketError> {
    for i in 1..=count {
        let text = format!("hello {i}");
        print(format_args!("sent: {text}"));
        socket.send_text(&text).await?;
        match socket.receive().await? {
            Message::Text(echo) => print(format_args!("received: {echo}")),
            Message::Binary(bytes) => print(format_args!("received {} bytes", bytes.len())),
            Message::Close { code, reason } => {
                return Err(WebSocketError::Closed { code, reason });
            }
        }
    }
    Ok(())
}

/// The echo endpoint of the server at `base`, built with the URL API as the
/// HTTP client builds its URLs: `/ws/echo` on that host, with `http` turned
/// into `ws` and `https` into `wss`; `base`'s own path and query are left
/// behind.
fn echo_url(base: &str) -> Result<String, String> {
    let url = web_sys::Url::new_with_base("/ws/echo", base)
        .map_err(|_| format!("'{base}' is not a URL"))?;
    match url.protocol().as_str() {
        "http:" => url.set_protocol("ws:"),
        "https:" => url.set_protocol("wss:"),
        other => return Err(format!("'{base}' is a {other} URL, not http or https")),
    }
    Ok(url.href())
}

/// Connects to the development server's echo endpoint, talks, closes.
pub async fn main(params: Params) {
    let url = match echo_url(params.base_url()) {
        Ok(url) => url,
        Err(err) => return print(format_args!("no WebSocket address: {err}")),
    };
    print(format_args!("connecting to {url}"));
    let socket = match connect(&url).await {
        Ok(socket) => socket,
        Err(err) => {
            return print(format_args!(
                "{err}: this example needs the development server (start it with \
                 `cargo xtask serve`) or another base URL"
            ))
        }
    };
    print("connected");
    if let Err(err) = converse(&socket, params.count("messages")).await {
        print(format_args!("the conversation failed: {err}"));
    }
    // 1000 is a normal closure; the reason is free text. Closing waits for
    // the server's answer, which arrives as the last message.
    if let Err(err) = socket.close(1000, "done").await {
        return print(format_args!("could not close: {err}"));
    }
    match socket.receive().await {
        Ok(Message::Close { code, reason }) => {
            print(format_args!("closed with code {code}: {reason}"))
        }
        _ => print("closed"),
    }
}
