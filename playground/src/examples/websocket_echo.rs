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

/// Connects to the development server's echo endpoint, talks, closes.
pub async fn main(params: Params) {
    // The server's address, with `http` turned into `ws` (and https into wss).
    let url = format!("{}/ws/echo", params.base_url().replacen("http", "ws", 1));
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
