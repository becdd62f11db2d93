"""asyncio for programs on the runtime: thin faces over the runtime's own
loop, tasks, futures, combinators and synchronisation primitives (the
natives in _aio). Nothing here schedules, waits or orders anything itself.
"""
import sys
import _aio
from _aio import CancelledError, InvalidStateError, QueueEmpty, QueueFull

TimeoutError = TimeoutError

FIRST_COMPLETED = "FIRST_COMPLETED"
FIRST_EXCEPTION = "FIRST_EXCEPTION"
ALL_COMPLETED = "ALL_COMPLETED"

_current_loop = None


class _Await:
    """Awaits one native operation: yields it to the task driver, which
    resumes with its outcome."""

    __slots__ = ("_op",)

    def __init__(self, op):
        self._op = op

    def __await__(self):
        return (yield self._op)

    __iter__ = __await__


def iscoroutine(obj):
    return type(obj).__name__ == "coroutine"


def iscoroutinefunction(func):
    code = getattr(func, "__code__", None)
    return code is not None and bool(code.co_flags & 0x80)


def isfuture(obj):
    return isinstance(obj, Future)


def _callback_source(func):
    name = getattr(func, "__qualname__", None) or getattr(func, "__name__", None) or repr(func)
    code = getattr(func, "__code__", None)
    text = f"{name}()"
    if code is not None:
        text += f" at {code.co_filename}:{code.co_firstlineno}"
    return text


def _format_callbacks(cbs):
    if not cbs:
        return ""
    shown = [_callback_source(cb) for cb in cbs]
    if len(shown) > 2:
        shown = [shown[0], f"<{len(shown) - 2} more>", shown[-1]]
    return f" cb=[{', '.join(shown)}]"


class Future:
    """asyncio.Future: the runtime's Future of Python objects."""

    _asyncio_future_blocking = False

    def __init__(self, *, loop=None):
        self._h = _aio.future_new()
        self._loop = loop if loop is not None else _running_loop_or_none()

    def done(self):
        return _aio.future_done(self._h)

    def cancelled(self):
        return _aio.future_cancelled(self._h)

    def result(self):
        return _aio.future_result(self._h)

    def exception(self):
        return _aio.future_exception(self._h)

    def set_result(self, result):
        _aio.future_set_result(self._h, result)

    def set_exception(self, exception):
        if isinstance(exception, type):
            exception = exception()
        _aio.future_set_exception(self._h, exception)

    def cancel(self, msg=None):
        return _aio.future_cancel(self._h, msg)

    def add_done_callback(self, fn, *, context=None):
        _aio.future_add_done_callback(self._h, fn, self)

    def remove_done_callback(self, fn):
        return _aio.future_remove_done_callback(self._h, fn)

    def get_loop(self):
        return self._loop

    def __await__(self):
        if _aio.future_done(self._h):
            return self.result()
        return (yield _aio.future_wait(self._h))

    __iter__ = __await__

    def __repr__(self):
        name = type(self).__name__
        if self.cancelled():
            return f"<{name} cancelled>"
        if not self.done():
            return f"<{name} pending{_format_callbacks(_aio.future_callbacks(self._h))}>"
        exc = self.exception()
        if exc is not None:
            return f"<{name} finished exception={exc!r}>"
        return f"<{name} finished result={self.result()!r}>"


def _coro_text(coro, done):
    code = getattr(coro, "cr_code", None)
    name = getattr(coro, "__qualname__", None) or getattr(coro, "__name__", "coroutine")
    if code is None:
        return repr(coro)
    if done:
        return f"{name}() done, defined at {code.co_filename}:{code.co_firstlineno}"
    frame = getattr(coro, "cr_frame", None)
    line = frame.f_lineno if frame is not None else code.co_firstlineno
    return f"{name}() running at {code.co_filename}:{line}"


class Task(Future):
    """asyncio.Task: a loop task of the runtime stepping this coroutine."""

    def __init__(self, coro, *, loop=None, name=None, context=None):
        if not iscoroutine(coro):
            raise TypeError(f"a coroutine was expected, got {coro!r}")
        self._loop = loop if loop is not None else get_running_loop()
        self._coro = coro
        self._h = _aio.task_new(coro, None if name is None else str(name),
                                None if loop is None else loop._h, self)

    def done(self):
        return _aio.task_done(self._h)

    def cancelled(self):
        return _aio.task_cancelled(self._h)

    def result(self):
        return _aio.task_result(self._h)

    def exception(self):
        return _aio.task_exception(self._h)

    def set_result(self, result):
        raise RuntimeError("Task does not support set_result operation")

    def set_exception(self, exception):
        raise RuntimeError("Task does not support set_exception operation")

    def cancel(self, msg=None):
        return _aio.task_cancel(self._h, msg)

    def cancelling(self):
        return _aio.task_cancelling(self._h)

    def uncancel(self):
        return _aio.task_uncancel(self._h)

    def get_name(self):
        return _aio.task_name(self._h)

    def set_name(self, value):
        _aio.task_set_name(self._h, str(value))

    def get_coro(self):
        return self._coro

    def add_done_callback(self, fn, *, context=None):
        _aio.task_add_done_callback(self._h, lambda: fn(self))

    def __await__(self):
        if _aio.task_done(self._h):
            return self.result()
        return (yield _aio.task_wait(self._h))

    __iter__ = __await__

    def __repr__(self):
        done = self.done()
        coro = _coro_text(self._coro, done)
        name = self.get_name()
        if not done:
            return f"<Task pending name={name!r} coro=<{coro}>>"
        if self.cancelled():
            return f"<Task cancelled name={name!r} coro=<{coro}>>"
        exc = self.exception()
        if exc is not None:
            return f"<Task finished name={name!r} coro=<{coro}> exception={exc!r}>"
        return f"<Task finished name={name!r} coro=<{coro}> result={self.result()!r}>"


class Handle:
    """What call_soon returns."""

    def __init__(self, h, callback, args):
        self._h = h
        self._callback = callback
        self._args = args

    def cancel(self):
        _aio.timer_cancel(self._h)

    def cancelled(self):
        return _aio.timer_cancelled(self._h)

    def __repr__(self):
        state = " cancelled" if self.cancelled() else ""
        return f"<{type(self).__name__}{state} {_callback_source(self._callback)}>"


class TimerHandle(Handle):
    """What call_later and call_at return."""

    def when(self):
        return _aio.timer_when(self._h)
