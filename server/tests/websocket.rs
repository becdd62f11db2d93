//! `GET /ws/echo` against a real server with a WebSocket client.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use axum::http::StatusCode;
use common::{get, http_get, start_server};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{connect_async, MaybeTlsStream, WebSocketStream};

type Client = WebSocketStream<MaybeTlsStream<TcpStream>>;

const LIMIT: usize = 64 * 1024;

async fn connect(addr: SocketAddr) -> Client {
    let (client, response) = connect_async(format!("ws://{addr}/ws/echo"))
        .await
        .expect("open the WebSocket");
    assert_eq!(response.status(), StatusCode::SWITCHING_PROTOCOLS);
    client
}

/// The next message, waiting at most five seconds.
async fn next(client: &mut Client) -> Message {
    timeout(Duration::from_secs(5), client.next())
        .await
        .expect("an answer within five seconds")
        .expect("the connection is open")
        .expect("a well-formed message")
}

/// Reads until the server's close frame, and returns it.
async fn close_frame(client: &mut Client) -> CloseFrame {
    loop {
        match next(client).await {
            Message::Close(Some(frame)) => return frame,
            Message::Close(None) => panic!("a close frame without a code"),
            _ => {}
        }
    }
}

#[tokio::test]
async fn text_and_binary_are_echoed() {
    let addr = start_server().await;
    let mut client = connect(addr).await;
    client
        .send(Message::text("hello, loop"))
        .await
        .expect("send");
    assert_eq!(next(&mut client).await, Message::text("hello, loop"));
    let bytes = vec![0_u8, 1, 2, 255];
    client
        .send(Message::binary(bytes.clone()))
        .await
        .expect("send");
    assert_eq!(next(&mut client).await, Message::binary(bytes));
    let largest = "x".repeat(LIMIT);
    client
        .send(Message::text(largest.clone()))
        .await
        .expect("send");
    assert_eq!(next(&mut client).await, Message::text(largest));
}

#[tokio::test]
async fn a_thousand_messages_come_back_in_order() {
    let addr = start_server().await;
    let mut client = connect(addr).await;
    for i in 0..1_000 {
        let message = if i % 2 == 0 {
            Message::text(i.to_string())
        } else {
            Message::binary(i.to_string().into_bytes())
        };
        client.feed(message).await.expect("queue a message");
    }
    client.flush().await.expect("send the messages");
    for i in 0..1_000 {
        let expected = if i % 2 == 0 {
            Message::text(i.to_string())
        } else {
            Message::binary(i.to_string().into_bytes())
        };
        assert_eq!(next(&mut client).await, expected, "message {i}");
    }
    let stats = http_get(addr, "/api/stats").await.expect("stats");
    assert_eq!(stats.int("ws_connections"), 1);
    assert_eq!(stats.int("ws_messages"), 1_000);
}

#[tokio::test]
async fn a_message_over_64_kib_closes_with_1009() {
    let addr = start_server().await;
    for oversize in [
        Message::text("y".repeat(LIMIT + 1)),
        Message::binary(vec![7_u8; LIMIT + 1]),
        Message::binary(vec![7_u8; 1024 * 1024]),
    ] {
        let mut client = connect(addr).await;
        client.send(Message::text("before")).await.expect("send");
        assert_eq!(next(&mut client).await, Message::text("before"));
        client.send(oversize).await.expect("send the large message");
        let frame = close_frame(&mut client).await;
        assert_eq!(frame.code, CloseCode::Size);
        assert!(frame.reason.contains("65536"), "{}", frame.reason);
        // The client answers the close; then the stream ends.
        let end = timeout(Duration::from_secs(5), client.next()).await;
        assert!(matches!(end, Ok(None | Some(Err(_)))), "{end:?}");
    }
    let stats = http_get(addr, "/api/stats").await.expect("stats");
    assert_eq!(stats.int("ws_oversize_closed"), 3);
    assert_eq!(stats.int("ws_messages"), 3);
}

#[tokio::test]
async fn the_clients_close_is_echoed() {
    let addr = start_server().await;
    let mut client = connect(addr).await;
    client.send(Message::text("ping")).await.expect("send");
    assert_eq!(next(&mut client).await, Message::text("ping"));
    let frame = CloseFrame {
        code: CloseCode::Library(4000),
        reason: "done here".into(),
    };
    client
        .send(Message::Close(Some(frame)))
        .await
        .expect("send the close");
    let echoed = close_frame(&mut client).await;
    assert_eq!(echoed.code, CloseCode::Library(4000));
    assert_eq!(echoed.reason.as_str(), "done here");
    let end = timeout(Duration::from_secs(5), client.next()).await;
    assert!(matches!(end, Ok(None | Some(Err(_)))), "{end:?}");
}

#[tokio::test]
async fn pings_are_answered() {
    let addr = start_server().await;
    let mut client = connect(addr).await;
    client
        .send(Message::Ping(b"are you there".to_vec().into()))
        .await
        .expect("send");
    assert_eq!(
        next(&mut client).await,
        Message::Pong(b"are you there".to_vec().into())
    );
}

#[tokio::test]
async fn a_plain_get_is_refused_with_a_json_error() {
    let answer = get("/ws/echo").await;
    assert!(answer.status.is_client_error(), "{}", answer.status);
    assert!(answer.error().contains("WebSocket"), "{}", answer.error());
}
