//! `aiohttp`'s client over the runtime's fetch client and WebSocket
//! (browser only): `ClientSession` requests and `ws_connect`.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use asyncio::net::http::{ClientSession, HttpError, Response};
use asyncio::net::websocket::{self, Message, WebSocket, WebSocketError};
use rustpython_vm::builtins::PyDictRef;
use rustpython_vm::{PyObjectRef, PyRef, PyResult, VirtualMachine};

use crate::handle::{op, Handle, Kind, Resume};
use crate::natives::def;

/// A session, a response, or a socket.
pub(crate) enum NetFace {
    Session(ClientSession),
    Response(ResponseFace),
    Socket(Rc<WebSocket>),
}

/// A response, and its body once read (aiohttp reads it once and keeps it).
pub(crate) struct ResponseFace {
    response: RefCell<Option<Response>>,
    body: RefCell<Option<Vec<u8>>>,
    status: u16,
    reason: String,
    url: String,
    headers: Vec<(String, String)>,
}

fn http_error(vm: &VirtualMachine, err: &HttpError) -> rustpython_vm::builtins::PyBaseExceptionRef {
    crate::errors::new(vm, crate::errors::Kind::ClientError, &err.to_string())
}

fn ws_error(
    vm: &VirtualMachine,
    err: &WebSocketError,
) -> rustpython_vm::builtins::PyBaseExceptionRef {
    crate::errors::new(vm, crate::errors::Kind::ClientError, &err.to_string())
}

fn session<'a>(vm: &VirtualMachine, h: &'a PyRef<Handle>) -> PyResult<&'a ClientSession> {
    match &h.kind {
        Kind::Net(NetFace::Session(session)) => Ok(session),
        _ => Err(vm.new_type_error("expected a client session")),
    }
}

/// Installs the network natives.
pub(crate) fn install(vm: &VirtualMachine, d: &PyDictRef) -> PyResult<()> {
    // Names and values travel as flat lists: [name, value, name, value…].
    def(
        vm,
        d,
        "http_session",
        |base_url: Option<String>,
         headers: Vec<String>,
         timeout: Option<f64>,
         vm: &VirtualMachine|
         -> PyResult {
            let mut builder = ClientSession::builder();
            if let Some(base) = &base_url {
                builder = builder.base_url(base);
            }
            for pair in headers.chunks_exact(2) {
                builder = builder.header(&pair[0], &pair[1]);
            }
            if let Some(secs) = timeout.filter(|t| t.is_finite() && *t > 0.0) {
                builder = builder.timeout(Duration::from_secs_f64(secs));
            }
            let session = builder
                .build()
                .map_err(|err| vm.new_value_error(err.to_string()))?;
            Ok(Handle::new(vm, Kind::Net(NetFace::Session(session))).into())
        },
    )?;
    def(
        vm,
        d,
        "http_send",
        |h: PyRef<Handle>,
         method: String,
         url: String,
         params: Vec<String>,
         headers: Vec<String>,
         body: Option<String>,
         vm: &VirtualMachine|
         -> PyResult {
            let mut request = session(vm, &h)?.request(&method, &url);
            for pair in params.chunks_exact(2) {
                request = request.query(&pair[0], &pair[1]);
            }
            for pair in headers.chunks_exact(2) {
                request = request.header(&pair[0], &pair[1]);
            }
            if let Some(body) = body {
                request = request.text(body);
            }
            Ok(Handle::op(
                vm,
                op(async move {
                    let sent = request.send().await;
                    Resume::Build(Box::new(move |vm| match sent {
                        Ok(response) => {
                            let face = ResponseFace {
                                status: response.status(),
                                reason: response.status_text().to_string(),
                                url: response.url().to_string(),
                                headers: response.headers().to_vec(),
                                response: RefCell::new(Some(response)),
                                body: RefCell::new(None),
                            };
                            Ok(Handle::new(vm, Kind::Net(NetFace::Response(face))).into())
                        }
                        Err(err) => Err(http_error(vm, &err)),
                    }))
                }),
            ))
        },
    )?;
    def(
        vm,
        d,
        "http_response",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult {
            let Kind::Net(NetFace::Response(face)) = &h.kind else {
                return Err(vm.new_type_error("expected a response"));
            };
            let headers: Vec<PyObjectRef> = face
                .headers
                .iter()
                .flat_map(|(name, value)| {
                    [
                        vm.ctx.new_str(name.as_str()).into(),
                        vm.ctx.new_str(value.as_str()).into(),
                    ]
                })
                .collect();
            Ok(vm
                .ctx
                .new_tuple(vec![
                    vm.ctx.new_int(face.status).into(),
                    vm.ctx.new_str(face.reason.as_str()).into(),
                    vm.ctx.new_str(face.url.as_str()).into(),
                    vm.ctx.new_list(headers).into(),
                ])
                .into())
        },
    )?;
    def(
        vm,
        d,
        "http_read",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult {
            let Kind::Net(NetFace::Response(face)) = &h.kind else {
                return Err(vm.new_type_error("expected a response"));
            };
            let handle = h.clone();
            let pending = face.response.borrow_mut().take();
            Ok(Handle::op(
                vm,
                op(async move {
                    let read = match pending {
                        Some(response) => Some(response.bytes().await),
                        None => None,
                    };
                    Resume::Build(Box::new(move |vm| {
                        let Kind::Net(NetFace::Response(face)) = &handle.kind else {
                            return Ok(vm.ctx.none());
                        };
                        match read {
                            Some(Ok(bytes)) => *face.body.borrow_mut() = Some(bytes),
                            Some(Err(err)) => return Err(http_error(vm, &err)),
                            None => {}
                        }
                        match face.body.borrow().as_ref() {
                            Some(bytes) => Ok(vm.ctx.new_bytes(bytes.clone()).into()),
                            None => Err(crate::errors::new(
                                vm,
                                crate::errors::Kind::ClientError,
                                "Connection closed",
                            )),
                        }
                    }))
                }),
            ))
        },
    )?;
    def(vm, d, "http_release", |h: PyRef<Handle>| {
        if let Kind::Net(NetFace::Response(face)) = &h.kind {
            // Dropping an unread response aborts its body's download.
            face.response.borrow_mut().take();
        }
    })?;
    def(
        vm,
        d,
        "ws_connect",
        |url: String, vm: &VirtualMachine| -> PyResult {
            Ok(Handle::op(
                vm,
                op(async move {
                    let connected = websocket::connect(&url).await;
                    Resume::Build(Box::new(move |vm| match connected {
                        Ok(socket) => {
                            Ok(Handle::new(vm, Kind::Net(NetFace::Socket(Rc::new(socket)))).into())
                        }
                        Err(err) => Err(ws_error(vm, &err)),
                    }))
                }),
            ))
        },
    )?;
    def(
        vm,
        d,
        "ws_send",
        |h: PyRef<Handle>, data: PyObjectRef, vm: &VirtualMachine| -> PyResult {
            let Kind::Net(NetFace::Socket(socket)) = &h.kind else {
                return Err(vm.new_type_error("expected a WebSocket"));
            };
            let socket = Rc::clone(socket);
            let text = data
                .downcast_ref::<rustpython_vm::builtins::PyStr>()
                .map(|s| s.to_string());
            let bytes = match &text {
                Some(_) => None,
                None => Some(
                    rustpython_vm::function::ArgBytesLike::try_from_object(vm, data)?
                        .borrow_buf()
                        .to_vec(),
                ),
            };
            Ok(Handle::op(
                vm,
                op(async move {
                    let sent = match (&text, &bytes) {
                        (Some(text), _) => socket.send_text(text).await,
                        (None, Some(bytes)) => socket.send_binary(bytes).await,
                        (None, None) => Ok(()),
                    };
                    Resume::Build(Box::new(move |vm| match sent {
                        Ok(()) => Ok(vm.ctx.none()),
                        Err(err) => Err(ws_error(vm, &err)),
                    }))
                }),
            ))
        },
    )?;
    def(
        vm,
        d,
        "ws_receive",
        |h: PyRef<Handle>, vm: &VirtualMachine| -> PyResult {
            let Kind::Net(NetFace::Socket(socket)) = &h.kind else {
                return Err(vm.new_type_error("expected a WebSocket"));
            };
            let socket = Rc::clone(socket);
            Ok(Handle::op(
                vm,
                op(async move {
                    let message = socket.receive().await;
                    Resume::Build(Box::new(move |vm| {
                        let (kind, data, extra): (&str, PyObjectRef, PyObjectRef) = match message {
                            Ok(Message::Text(text)) => {
                                ("text", vm.ctx.new_str(text).into(), vm.ctx.none())
                            }
                            Ok(Message::Binary(bytes)) => {
                                ("binary", vm.ctx.new_bytes(bytes).into(), vm.ctx.none())
                            }
                            Ok(Message::Close { code, reason }) => (
                                "close",
                                vm.ctx.new_int(code).into(),
                                vm.ctx.new_str(reason).into(),
                            ),
                            Err(err) => ("error", ws_error(vm, &err).into(), vm.ctx.none()),
                        };
                        Ok(vm
                            .ctx
                            .new_tuple(vec![vm.ctx.new_str(kind).into(), data, extra])
                            .into())
                    }))
                }),
            ))
        },
    )?;
    def(
        vm,
        d,
        "ws_close",
        |h: PyRef<Handle>, code: u16, reason: String, vm: &VirtualMachine| -> PyResult {
            let Kind::Net(NetFace::Socket(socket)) = &h.kind else {
                return Err(vm.new_type_error("expected a WebSocket"));
            };
            let socket = Rc::clone(socket);
            Ok(Handle::op(
                vm,
                op(async move {
                    let closed = socket.close(code, &reason).await;
                    Resume::Build(Box::new(move |vm| match closed {
                        Ok(()) => Ok(vm.ctx.new_bool(true).into()),
                        Err(err) => Err(ws_error(vm, &err)),
                    }))
                }),
            ))
        },
    )?;
    Ok(())
}

use rustpython_vm::TryFromObject as _;
