# sleep, create_task, gather, wait, wait_for, shield, as_completed: faces over the runtime's combinators.
# (One part of the asyncio module: the parts run, in order, in one namespace.)


async def sleep(delay, result=None):
    await _Await(_aio.sleep(float(delay)))
    return result


def create_task(coro, *, name=None, context=None):
    get_running_loop()
    return Task(coro, name=name)


async def _wrap_awaitable(awaitable):
    return await awaitable


def ensure_future(coro_or_future, *, loop=None):
    if isinstance(coro_or_future, Future):
        return coro_or_future
    if iscoroutine(coro_or_future):
        _aio.notice("ensure_future",
                    "asyncio.ensure_future(coroutine) is an older spelling: "
                    "write asyncio.create_task(coroutine)")
    return _as_future(coro_or_future, loop)


def _loop_for_new_task(loop):
    """The loop a task made outside a running loop goes to: Python 3.7's
    get_event_loop(), for older tutorial code."""
    if loop is not None or _aio.running_loop() is not None:
        return loop
    return get_event_loop()


def _as_future(obj, loop=None):
    if isinstance(obj, Future):
        return obj
    if iscoroutine(obj):
        return Task(obj, loop=_loop_for_new_task(loop))
    if hasattr(obj, "__await__"):
        return Task(_wrap_awaitable(obj), loop=_loop_for_new_task(loop))
    raise TypeError("An asyncio.Future, a coroutine or an awaitable is required")


class _Gathering:
    """What gather returns: awaitable once, and cancellable."""

    def __init__(self, children, return_exceptions):
        self._children = children
        self._op = _aio.gather([c._h for c in children], bool(return_exceptions))

    def _take_op(self):
        op, self._op = self._op, None
        if op is None:
            raise RuntimeError("cannot reuse already awaited gather")
        return op

    def cancel(self, msg=None):
        cancelled = False
        for child in self._children:
            cancelled = child.cancel(msg) or cancelled
        return cancelled

    def __await__(self):
        return (yield self._take_op())

    __iter__ = __await__


def gather(*coros_or_futures, return_exceptions=False):
    children = [_as_future(arg) for arg in coros_or_futures]
    return _Gathering(children, return_exceptions)


async def wait(fs, *, timeout=None, return_when=ALL_COMPLETED):
    if isfuture(fs) or iscoroutine(fs):
        raise TypeError(f"expect a list of futures, not {type(fs).__name__}")
    fs = list(fs)
    if not fs:
        raise ValueError("Set of Tasks/Futures is empty.")
    if return_when not in (FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED):
        raise ValueError(f"Invalid return_when value: {return_when}")
    if any(iscoroutine(f) for f in fs):
        _aio.notice("wait_coroutines",
                    "asyncio.wait() was given coroutines, which Python 3.11 refuses: "
                    "wrap each in asyncio.create_task()")
    futures = [_as_future(f) for f in fs]
    done_ix, pending_ix = await _Await(_aio.wait([f._h for f in futures], timeout, return_when))
    return {futures[i] for i in done_ix}, {futures[i] for i in pending_ix}


async def wait_for(fut, timeout):
    fut = _as_future(fut)
    if timeout is None:
        return await fut
    return await _Await(_aio.wait_for(fut._h, float(timeout)))


def shield(arg):
    inner = _as_future(arg)
    return _Await(_aio.shield(inner._h))


def as_completed(fs, *, timeout=None):
    if isfuture(fs) or iscoroutine(fs):
        raise TypeError(f"expect an iterable of futures, not {type(fs).__name__}")
    futures = [_as_future(f) for f in fs]
    h = _aio.as_completed([f._h for f in futures], timeout)
    for _ in futures:
        yield _next_completed(h)


async def _next_completed(h):
    return await _Await(_aio.as_completed_next(h))


def current_task(loop=None):
    return _aio.current_task()


def all_tasks(loop=None):
    return set(_aio.all_tasks(None if loop is None else loop._h))
