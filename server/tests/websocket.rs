//! `GET /ws/echo` against a real server with a WebSocket client.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use axum::http::StatusCode;
use common::{get, http_get, start_server, wait_for_stats};
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{CloseCode, Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
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

/// A data frame of a message sent in pieces.
fn piece(payload: Vec<u8>, opcode: Data, is_final: bool) -> Message {
    Message::Frame(Frame::message(payload, OpCode::Data(opcode), is_final))
}

#[tokio::test]
async fn a_message_of_exactly_64_kib_sent_in_pieces_is_echoed() {
    let addr = start_server().await;
    let mut client = connect(addr).await;
    let quarter = LIMIT / 4;
    client
        .send(piece(vec![b'a'; quarter], Data::Text, false))
        .await
        .expect("send");
    for last in [false, false, true] {
        client
            .send(piece(vec![b'a'; quarter], Data::Continue, last))
            .await
            .expect("send");
    }
    assert_eq!(next(&mut client).await, Message::text("a".repeat(LIMIT)));
}

#[tokio::test]
async fn a_message_in_pieces_is_refused_once_it_passes_64_kib() {
    let addr = start_server().await;
    let mut client = connect(addr).await;
    let half = LIMIT / 2;
    client
        .send(piece(vec![1; half], Data::Binary, false))
        .await
        .expect("send");
    client
        .send(piece(vec![2; half], Data::Continue, false))
        .await
        .expect("send");
    // One byte more, and the message is still not finished: the server
    // refuses it now rather than wait for its end.
    client
        .send(piece(vec![3; 1], Data::Continue, false))
        .await
        .expect("send");
    let frame = close_frame(&mut client).await;
    assert_eq!(frame.code, CloseCode::Size);
    assert!(frame.reason.contains("65536"), "{}", frame.reason);
    let stats = wait_for_stats(addr, |stats| stats.int("ws_oversize_closed") == 1).await;
    assert_eq!(stats.int("ws_oversize_closed"), 1);
    assert_eq!(stats.int("ws_messages"), 0);
}

/// Opens `/ws/echo` by hand, for a client that writes raw frames.
async fn raw_connect(addr: SocketAddr) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let request = format!(
        "GET /ws/echo HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\n\
         Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
         Sec-WebSocket-Version: 13\r\n\r\n"
    );
    stream
        .write_all(request.as_bytes())
        .await
        .expect("send the upgrade");
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let byte = stream.read_u8().await.expect("read the upgrade answer");
        head.push(byte);
    }
    let head = String::from_utf8_lossy(&head);
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    stream
}

/// Reads the server's close frame from a raw stream: unmasked, with a
/// code and a reason. Returns the code and the reason.
async fn raw_close_frame(stream: &mut TcpStream) -> std::io::Result<(u16, String)> {
    let mut header = [0_u8; 2];
    stream.read_exact(&mut header).await?;
    assert_eq!(header[0], 0x88, "a final close frame");
    let mut payload = vec![0_u8; usize::from(header[1] & 0x7f)];
    stream.read_exact(&mut payload).await?;
    let code = u16::from_be_bytes([payload[0], payload[1]]);
    Ok((code, String::from_utf8_lossy(&payload[2..]).into_owned()))
}

/// The start of a masked, final binary frame that announces `announced`
/// bytes, with `sent` of them.
fn frame_start(announced: u64, sent: usize) -> Vec<u8> {
    let mask = [0x11, 0x22, 0x33, 0x44];
    let mut frame = vec![0x82, 0x80 | 127];
    frame.extend_from_slice(&announced.to_be_bytes());
    frame.extend_from_slice(&mask);
    // Zeros, masked.
    frame.extend((0..sent).map(|i| mask[i % 4]));
    frame
}

#[tokio::test]
async fn a_frame_announcing_4_mib_is_refused_from_its_header() {
    let addr = start_server().await;
    let mut stream = raw_connect(addr).await;
    // Only the first kilobyte of 4 MiB: the server must not wait for (or
    // store) the rest.
    stream
        .write_all(&frame_start(4 * 1024 * 1024, 1024))
        .await
        .expect("send the frame's start");
    let (code, reason) = timeout(Duration::from_secs(10), raw_close_frame(&mut stream))
        .await
        .expect("a close frame within ten seconds, not a wait for the rest")
        .expect("a close frame");
    assert_eq!(code, 1009);
    assert!(reason.contains("65536"), "{reason}");
    let stats = wait_for_stats(addr, |stats| stats.int("ws_oversize_closed") == 1).await;
    assert_eq!(stats.int("ws_oversize_closed"), 1);
}

#[tokio::test]
async fn a_client_may_finish_sending_the_refused_message_then_read_1009() {
    let addr = start_server().await;
    let mut stream = raw_connect(addr).await;
    // One byte over the limit, sent in pieces as a busy client would: the
    // server refuses the frame from its header, while the client is still
    // writing the rest. Those writes must not meet a reset connection
    // (a browser would then report 1006, not the server's 1009).
    let frame = frame_start(LIMIT as u64 + 1, LIMIT + 1);
    let mut pieces = frame.chunks(16 * 1024);
    let first = pieces.next().expect("a first piece");
    stream.write_all(first).await.expect("send the first piece");
    for piece in pieces {
        tokio::time::sleep(Duration::from_millis(100)).await;
        stream
            .write_all(piece)
            .await
            .expect("the connection is still open for the rest");
    }
    let (code, reason) = timeout(Duration::from_secs(10), raw_close_frame(&mut stream))
        .await
        .expect("a close frame within ten seconds")
        .expect("a close frame");
    assert_eq!(code, 1009);
    assert!(reason.contains("65536"), "{reason}");
}
