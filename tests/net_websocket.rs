//! The WebSocket client against the development server's echo endpoint, in
//! every engine the tests run in. `cargo xtask test` starts the server and
//! passes its URL in `ASYNCIO_TEST_SERVER` when building these tests.
#![cfg(target_arch = "wasm32")]

use asyncio::net::websocket::{connect, Message, WebSocketError};
use asyncio::EventLoop;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const SERVER: &str = match option_env!("ASYNCIO_TEST_SERVER") {
    Some(url) => url,
    None => "http://127.0.0.1:8000",
};

fn echo_url() -> String {
    format!("{}/ws/echo", SERVER.replacen("http", "ws", 1))
}

#[wasm_bindgen_test]
async fn text_and_binary_are_echoed() {
    let lp = EventLoop::new();
    lp.run_until_complete(async {
        let socket = connect(&echo_url()).await.unwrap();
        socket.send_text("hello").await.unwrap();
        assert_eq!(
            socket.receive().await.unwrap(),
            Message::Text("hello".into())
        );
        socket.send_binary(&[0, 1, 2, 255]).await.unwrap();
        assert_eq!(
            socket.receive().await.unwrap(),
            Message::Binary(vec![0, 1, 2, 255])
        );
        socket.close(1000, "done").await.unwrap();
    })
    .await
    .unwrap();
}

#[wasm_bindgen_test]
async fn a_thousand_messages_come_back_in_order() {
    let lp = EventLoop::new();
    lp.run_until_complete(async {
        let socket = connect(&echo_url()).await.unwrap();
        for i in 0..1000 {
            socket.send_text(&i.to_string()).await.unwrap();
        }
        for i in 0..1000 {
            assert_eq!(
                socket.receive().await.unwrap(),
                Message::Text(i.to_string())
            );
        }
    })
    .await
    .unwrap();
}

#[wasm_bindgen_test]
async fn an_oversize_message_closes_the_connection_with_1009() {
    let lp = EventLoop::new();
    lp.run_until_complete(async {
        let socket = connect(&echo_url()).await.unwrap();
        socket.send_binary(&vec![7u8; 64 * 1024 + 1]).await.unwrap();
        match socket.receive().await.unwrap() {
            Message::Close { code, .. } => assert_eq!(code, 1009),
            other => panic!("expected a close, got {other:?}"),
        }
        let err = socket.receive().await.unwrap_err();
        assert!(
            matches!(err, WebSocketError::Closed { code: 1009, .. }),
            "{err:?}"
        );
        assert!(socket.send_text("late").await.is_err());
    })
    .await
    .unwrap();
}

#[wasm_bindgen_test]
async fn the_close_code_and_reason_come_back() {
    let lp = EventLoop::new();
    lp.run_until_complete(async {
        let socket = connect(&echo_url()).await.unwrap();
        socket.send_text("last").await.unwrap();
        // Browsers drop data that arrives once a close has begun, so take
        // the echo first.
        assert_eq!(
            socket.receive().await.unwrap(),
            Message::Text("last".into())
        );
        socket.close(4000, "bye now").await.unwrap();
        assert_eq!(
            socket.receive().await.unwrap(),
            Message::Close {
                code: 4000,
                reason: "bye now".into()
            }
        );
        let err = socket.receive().await.unwrap_err();
        assert!(
            matches!(err, WebSocketError::Closed { code: 4000, .. }),
            "{err:?}"
        );
    })
    .await
    .unwrap();
}

#[wasm_bindgen_test]
async fn bad_closes_urls_and_servers_give_typed_errors() {
    let lp = EventLoop::new();
    lp.run_until_complete(async {
        let err = connect("ftp://127.0.0.1/echo").await.unwrap_err();
        assert!(matches!(err, WebSocketError::InvalidUrl { .. }), "{err:?}");
        let err = connect("ws://127.0.0.1:9/").await.unwrap_err();
        assert!(
            matches!(err, WebSocketError::ConnectFailed { .. }),
            "{err:?}"
        );
        let socket = connect(&echo_url()).await.unwrap();
        let err = socket.close(1001, "going away").await.unwrap_err();
        assert!(
            matches!(err, WebSocketError::InvalidClose { .. }),
            "{err:?}"
        );
        let err = socket.close(1000, &"x".repeat(200)).await.unwrap_err();
        assert!(
            matches!(err, WebSocketError::InvalidClose { .. }),
            "{err:?}"
        );
    })
    .await
    .unwrap();
}

#[wasm_bindgen_test]
async fn a_cancelled_receive_loses_no_message() {
    let lp = EventLoop::new();
    lp.run_until_complete(async {
        let socket = connect(&echo_url()).await.unwrap();
        // A receive that times out (is dropped) before the echo arrives...
        let early = asyncio::timeout(std::time::Duration::ZERO, socket.receive()).await;
        assert!(early.is_err());
        socket.send_text("kept").await.unwrap();
        // ...takes nothing: the next receive gets the message.
        assert_eq!(
            socket.receive().await.unwrap(),
            Message::Text("kept".into())
        );
    })
    .await
    .unwrap();
}
