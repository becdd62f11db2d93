"""aiohttp's client over the runtime's fetch client and WebSocket: a
ClientSession with async with, get/post/request, params, json=,
status, text(), json(), read(), raise_for_status(), and ws_connect."""
import json as _json
import _aio
from asyncio import _Await
from _aio import ClientError, ClientResponseError


class ClientConnectionError(ClientError):
    pass


class ClientTimeout:
    def __init__(self, total=None, **kwargs):
        self.total = total


class WSMsgType:
    TEXT = 1
    BINARY = 2
    CLOSE = 8
    CLOSED = 257
    ERROR = 258


class WSMessage:
    def __init__(self, type, data, extra):
        self.type = type
        self.data = data
        self.extra = extra

    def json(self):
        return _json.loads(self.data)

    def __repr__(self):
        return f"WSMessage(type={self.type!r}, data={self.data!r}, extra={self.extra!r})"


def _flat(mapping):
    """{name: value} as [name, value, ...] strings."""
    flat = []
    for name, value in (mapping or {}).items():
        flat += [str(name), str(value)]
    return flat


def _require_browser():
    if not hasattr(_aio, "http_session"):
        raise RuntimeError("aiohttp needs a browser: run this program on the playground page")


class ClientSession:
    def __init__(self, base_url=None, *, headers=None, timeout=None, **kwargs):
        _require_browser()
        total = timeout.total if isinstance(timeout, ClientTimeout) else timeout
        self._h = _aio.http_session(None if base_url is None else str(base_url), _flat(headers), total)
        self._closed = False

    @property
    def closed(self):
        return self._closed

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.close()

    async def close(self):
        self._closed = True

    def request(self, method, url, *, params=None, json=None, data=None, headers=None, **kwargs):
        if self._closed:
            raise RuntimeError("Session is closed")
        pairs = _flat(params)
        head = _flat(headers)
        body = None
        if json is not None:
            body = _json.dumps(json)
            head += ["Content-Type", "application/json"]
        elif data is not None:
            body = data.decode() if isinstance(data, (bytes, bytearray)) else str(data)
        return _RequestContext(_aio.http_send(self._h, method.upper(), str(url), pairs, head, body))

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url, **kwargs):
        return self.request("POST", url, **kwargs)

    def put(self, url, **kwargs):
        return self.request("PUT", url, **kwargs)

    def delete(self, url, **kwargs):
        return self.request("DELETE", url, **kwargs)

    def head(self, url, **kwargs):
        return self.request("HEAD", url, **kwargs)

    def ws_connect(self, url, **kwargs):
        return _WSContext(str(url))


class _RequestContext:
    """What session.get() returns: awaitable, and an async context manager."""

    def __init__(self, op):
        self._op = op
        self._response = None

    async def _send(self):
        self._response = ClientResponse(await _Await(self._op))
        return self._response

    def __await__(self):
        return self._send().__await__()

    async def __aenter__(self):
        return await self._send()

    async def __aexit__(self, *exc):
        self._response.release()


class ClientResponse:
    def __init__(self, h):
        self._h = h
        self.status, self.reason, url, headers = _aio.http_response(h)
        self.url = url
        self.headers = dict(zip(headers[::2], headers[1::2]))
        self.ok = self.status < 400

    async def read(self):
        return await _Await(_aio.http_read(self._h))

    async def text(self, encoding="utf-8"):
        return (await self.read()).decode(encoding)

    async def json(self, **kwargs):
        return _json.loads(await self.text())

    def raise_for_status(self):
        if self.status >= 400:
            raise ClientResponseError(self.status, self.reason, self.url)

    def release(self):
        _aio.http_release(self._h)

    def __repr__(self):
        return f"<ClientResponse({self.url}) [{self.status} {self.reason}]>"


class ClientWebSocketResponse:
    def __init__(self, h):
        self._h = h
        self.closed = False
        self.close_code = None

    async def send_str(self, data):
        await _Await(_aio.ws_send(self._h, str(data)))

    async def send_bytes(self, data):
        await _Await(_aio.ws_send(self._h, bytes(data)))

    async def send_json(self, data):
        await self.send_str(_json.dumps(data))

    async def receive(self):
        kind, data, extra = await _Await(_aio.ws_receive(self._h))
        if kind == "text":
            return WSMessage(WSMsgType.TEXT, data, None)
        if kind == "binary":
            return WSMessage(WSMsgType.BINARY, data, None)
        if kind == "close":
            self.closed = True
            self.close_code = data
            return WSMessage(WSMsgType.CLOSE, data, extra)
        return WSMessage(WSMsgType.ERROR, data, None)

    async def receive_str(self):
        return (await self.receive()).data

    async def receive_json(self):
        return _json.loads(await self.receive_str())

    async def close(self, *, code=1000, message=b""):
        if self.closed:
            return False
        reason = message.decode() if isinstance(message, (bytes, bytearray)) else str(message)
        await _Await(_aio.ws_close(self._h, code, reason))
        self.closed = True
        self.close_code = code
        return True

    def __aiter__(self):
        return self

    async def __anext__(self):
        message = await self.receive()
        if message.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.ERROR):
            raise StopAsyncIteration
        return message


class _WSContext:
    def __init__(self, url):
        self._url = url
        self._ws = None

    async def _connect(self):
        self._ws = ClientWebSocketResponse(await _Await(_aio.ws_connect(self._url)))
        return self._ws

    def __await__(self):
        return self._connect().__await__()

    async def __aenter__(self):
        return await self._connect()

    async def __aexit__(self, *exc):
        await self._ws.close()
