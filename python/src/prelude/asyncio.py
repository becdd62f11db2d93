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


class AbstractEventLoop:
    pass


class BaseEventLoop(AbstractEventLoop):
    """An event loop of the runtime."""

    def __init__(self):
        self._h = _aio.loop_new(self)
        self._default_executor = None
        self._debug = False

    def time(self):
        return _aio.loop_time(self._h)

    def is_running(self):
        return _aio.loop_is_running(self._h)

    def is_closed(self):
        return _aio.loop_is_closed(self._h)

    def close(self):
        _aio.loop_close(self._h)

    def stop(self):
        _aio.loop_stop(self._h)

    def get_debug(self):
        return self._debug

    def set_debug(self, enabled):
        self._debug = bool(enabled)

    def call_soon(self, callback, *args, context=None):
        return Handle(_aio.loop_call(self._h, None, None, callback, args), callback, args)

    def call_later(self, delay, callback, *args, context=None):
        return TimerHandle(_aio.loop_call(self._h, float(delay), None, callback, args), callback, args)

    def call_at(self, when, callback, *args, context=None):
        return TimerHandle(_aio.loop_call(self._h, None, float(when), callback, args), callback, args)

    def create_task(self, coro, *, name=None, context=None):
        return Task(coro, loop=self, name=name)

    def create_future(self):
        return Future(loop=self)

    def _target(self, future):
        if isinstance(future, _Gathering):
            return future._take_op()
        if isinstance(future, Future):
            return future._h
        if iscoroutine(future):
            return Task(future, loop=self)._h
        if hasattr(future, "__await__"):
            return Task(_wrap_awaitable(future), loop=self)._h
        raise TypeError("An asyncio.Future, a coroutine or an awaitable is required")

    def run_until_complete(self, future):
        self._check_runnable()
        return _aio.loop_run(self._h, self._target(future), True)

    def run_forever(self):
        self._check_runnable()
        _aio.loop_run_forever(self._h, True)

    async def _run_async(self, name, args):
        self._check_runnable()
        if name == "run_forever":
            return await _Await(_aio.loop_run_forever(self._h, False))
        (future,) = args
        return await _Await(_aio.loop_run(self._h, self._target(future), False))

    def _check_runnable(self):
        if self.is_closed():
            raise RuntimeError("Event loop is closed")
        if self.is_running():
            raise RuntimeError("This event loop is already running")
        if _running_loop_or_none() is not None:
            raise RuntimeError("Cannot run the event loop while another loop is running")

    def run_in_executor(self, executor, func, *args):
        if iscoroutine(func) or iscoroutinefunction(func):
            raise TypeError("coroutines cannot be used with run_in_executor()")
        if executor is None:
            executor = self._default_executor
        processes = executor is not None and getattr(executor, "_processes", False)
        future = Future(loop=self)
        _aio.run_in_executor(processes, func, args, future._h)
        return future

    def set_default_executor(self, executor):
        self._default_executor = executor

    async def shutdown_asyncgens(self):
        return None

    async def shutdown_default_executor(self, timeout=None):
        return None

    def __repr__(self):
        return (f"<_UnixSelectorEventLoop running={self.is_running()} "
                f"closed={self.is_closed()} debug={self._debug}>")


def _running_loop_or_none():
    return _aio.running_loop()


def get_running_loop():
    loop = _aio.running_loop()
    if loop is None:
        raise RuntimeError("no running event loop")
    return loop


def _get_running_loop():
    return _aio.running_loop()


def new_event_loop():
    return BaseEventLoop()


def set_event_loop(loop):
    global _current_loop
    _current_loop = loop


def get_event_loop():
    global _current_loop
    loop = _aio.running_loop()
    if loop is not None:
        return loop
    if _current_loop is None or _current_loop.is_closed():
        _aio.notice("get_event_loop",
                    "asyncio.get_event_loop() outside a running loop is an older spelling: "
                    "write asyncio.run(main()), or loop = asyncio.new_event_loop()")
        _current_loop = BaseEventLoop()
    return _current_loop


def _cancel_leftovers(loop, blocking):
    return _aio.loop_cancel_leftovers(loop._h, blocking)


def run(main, *, debug=None):
    if _aio.running_loop() is not None:
        raise RuntimeError("asyncio.run() cannot be called from a running event loop")
    if not iscoroutine(main):
        raise ValueError(f"a coroutine was expected, got {main!r}")
    loop = new_event_loop()
    try:
        return loop.run_until_complete(main)
    finally:
        try:
            _cancel_leftovers(loop, True)
        finally:
            loop.close()


async def _run_async(main, *, debug=None):
    if _aio.running_loop() is not None:
        raise RuntimeError("asyncio.run() cannot be called from a running event loop")
    if not iscoroutine(main):
        raise ValueError(f"a coroutine was expected, got {main!r}")
    loop = new_event_loop()
    try:
        return await _Await(_aio.loop_run(loop._h, loop._target(main), False))
    finally:
        try:
            await _Await(_cancel_leftovers(loop, False))
        finally:
            loop.close()


async def _block(func, *args, **kwargs):
    """Top-level runs suspend the program instead of blocking (see the
    compiler's rewrite). In an executor's worker, where the module body
    runs under __mp_main__ only to define the job's function, they are
    skipped, as a `__name__ == "__main__"` guard would skip them."""
    owner = getattr(func, "__self__", None)
    name = getattr(func, "__name__", "")
    is_run = func is run or (isinstance(owner, BaseEventLoop) and name in ("run_until_complete", "run_forever"))
    if is_run and _aio.job_mode():
        for arg in args:
            if iscoroutine(arg):
                arg.close()
        return None
    if func is run:
        return await _run_async(*args, **kwargs)
    if isinstance(owner, BaseEventLoop) and name in ("run_until_complete", "run_forever"):
        return await owner._run_async(name, args)
    return func(*args, **kwargs)


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


class Timeout:
    """asyncio.timeout(): at the deadline the task is cancelled through the
    loop, and the cancellation leaves the block as TimeoutError."""

    def __init__(self, when):
        self._when = when
        self._handle = None
        self._task = None
        self._expired = False

    def when(self):
        return self._when

    def reschedule(self, when):
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        self._when = when
        if when is not None and self._task is not None:
            self._handle = get_running_loop().call_at(when, self._on_timeout)

    def expired(self):
        return self._expired

    def _on_timeout(self):
        self._task.cancel()
        self._expired = True
        self._handle = None

    async def __aenter__(self):
        self._task = current_task()
        if self._task is None:
            raise RuntimeError("Timeout should be used inside a task")
        self._cancelling = self._task.cancelling()
        self.reschedule(self._when)
        return self

    async def __aexit__(self, exc_type, exc_val, exc_tb):
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        if self._expired and exc_type is CancelledError:
            if self._task.uncancel() <= self._cancelling:
                raise TimeoutError from exc_val
        return None


def timeout(delay):
    loop = get_running_loop()
    return Timeout(None if delay is None else loop.time() + delay)


def timeout_at(when):
    return Timeout(when)


class TaskGroup:
    """asyncio.TaskGroup over the runtime's TaskGroup."""

    def __init__(self):
        self._h = _aio.group_new()
        self._entered = False
        self._exiting = False

    def __repr__(self):
        running, aborting, _ = _aio.group_state(self._h)
        info = [""]
        if running:
            info.append(f"tasks={running}")
        if aborting:
            info.append("cancelling")
        elif self._entered:
            info.append("entered")
        return f"<TaskGroup{' '.join(info)}>"

    async def __aenter__(self):
        if self._entered:
            raise RuntimeError(f"TaskGroup {self!r} has already been entered")
        self._entered = True
        _aio.group_enter(self._h)
        return self

    async def __aexit__(self, et, exc, tb):
        self._exiting = True
        propagate = exc if et is not None and issubclass(et, CancelledError) else None
        if _aio.group_state(self._h)[2]:
            if current_task().uncancel() == 0:
                propagate = None
        if et is not None:
            _aio.group_abort(self._h)
        errors, cancelled = await _Await(_aio.group_join(self._h))
        if cancelled is not None:
            propagate = cancelled
        for error in errors:
            if isinstance(error, (SystemExit, KeyboardInterrupt)):
                raise error
        if exc is not None and isinstance(exc, (SystemExit, KeyboardInterrupt)):
            raise exc
        if propagate is not None:
            raise propagate
        if et is not None and not issubclass(et, CancelledError):
            errors.append(exc)
        if errors:
            raise BaseExceptionGroup("unhandled errors in a TaskGroup", errors) from None

    def create_task(self, coro, *, name=None, context=None):
        if not self._entered:
            raise RuntimeError(f"TaskGroup {self!r} has not been entered")
        running, aborting, _ = _aio.group_state(self._h)
        if self._exiting and not running:
            raise RuntimeError(f"TaskGroup {self!r} is finished")
        if aborting:
            raise RuntimeError(f"TaskGroup {self!r} is shutting down")
        if not iscoroutine(coro):
            raise TypeError(f"a coroutine was expected, got {coro!r}")
        task = Task.__new__(Task)
        task._loop = get_running_loop()
        task._coro = coro
        task._h = _aio.group_create_task(self._h, coro, None if name is None else str(name), task)
        return task


class Event:
    def __init__(self):
        self._h = _aio.event_new()

    def is_set(self):
        return _aio.event_op(self._h, "is_set")

    def set(self):
        _aio.event_op(self._h, "set")

    def clear(self):
        _aio.event_op(self._h, "clear")

    async def wait(self):
        if self.is_set():
            return True
        return await _Await(_aio.event_op(self._h, "wait"))

    def __repr__(self):
        return f"<asyncio.locks.Event object at {hex(id(self))} [{'set' if self.is_set() else 'unset'}]>"


class _ContextManagerMixin:
    async def __aenter__(self):
        await self.acquire()
        return None

    async def __aexit__(self, exc_type, exc, tb):
        self.release()


class Lock(_ContextManagerMixin):
    def __init__(self):
        self._h = _aio.lock_new()

    async def acquire(self):
        return await _Await(_aio.lock_acquire(self._h))

    def release(self):
        _aio.lock_release(self._h)

    def locked(self):
        return _aio.lock_locked(self._h)

    def __repr__(self):
        return f"<asyncio.locks.Lock object at {hex(id(self))} [{'locked' if self.locked() else 'unlocked'}]>"


class Semaphore(_ContextManagerMixin):
    _bounded = False

    def __init__(self, value=1):
        self._h = _aio.semaphore_new(value, self._bounded)

    async def acquire(self):
        return await _Await(_aio.semaphore_acquire(self._h))

    def release(self):
        _aio.semaphore_release(self._h)

    def locked(self):
        return _aio.semaphore_state(self._h)[0]

    @property
    def _value(self):
        return _aio.semaphore_state(self._h)[1]

    def __repr__(self):
        state = "locked" if self.locked() else f"unlocked, value:{self._value}"
        return f"<asyncio.locks.{type(self).__name__} object at {hex(id(self))} [{state}]>"


class BoundedSemaphore(Semaphore):
    _bounded = True


class Condition(_ContextManagerMixin):
    def __init__(self, lock=None):
        self._h = _aio.condition_new(None if lock is None else lock._h)

    async def acquire(self):
        return await _Await(_aio.condition_acquire(self._h))

    def release(self):
        _aio.condition_release(self._h)

    def locked(self):
        return _aio.condition_locked(self._h)

    async def wait(self):
        return await _Await(_aio.condition_wait(self._h))

    async def wait_for(self, predicate):
        result = predicate()
        while not result:
            await self.wait()
            result = predicate()
        return result

    def notify(self, n=1):
        _aio.condition_notify(self._h, n)

    def notify_all(self):
        _aio.condition_notify(self._h, None)


class Queue:
    _kind = "fifo"

    def __init__(self, maxsize=0):
        self._maxsize = maxsize
        self._h = _aio.queue_new(self._kind, maxsize)

    def qsize(self):
        return _aio.queue_state(self._h)[0]

    @property
    def maxsize(self):
        return self._maxsize

    def empty(self):
        return _aio.queue_state(self._h)[2]

    def full(self):
        return _aio.queue_state(self._h)[3]

    async def put(self, item):
        return await _Await(_aio.queue_put(self._h, item, True))

    def put_nowait(self, item):
        _aio.queue_put(self._h, item, False)

    async def get(self):
        return await _Await(_aio.queue_get(self._h, True))

    def get_nowait(self):
        return _aio.queue_get(self._h, False)

    def task_done(self):
        _aio.queue_task_done(self._h)

    async def join(self):
        return await _Await(_aio.queue_join(self._h))

    def __repr__(self):
        return f"<{type(self).__name__} maxsize={self._maxsize}>"


class LifoQueue(Queue):
    _kind = "lifo"


class PriorityQueue(Queue):
    _kind = "priority"


class Runner:
    """asyncio.Runner (3.11): one loop for several runs."""

    def __init__(self, *, debug=None, loop_factory=None):
        self._factory = loop_factory or new_event_loop
        self._loop = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def get_loop(self):
        if self._loop is None:
            self._loop = self._factory()
        return self._loop

    def run(self, coro, *, context=None):
        return self.get_loop().run_until_complete(coro)

    def close(self):
        if self._loop is not None and not self._loop.is_closed():
            _cancel_leftovers(self._loop, True)
            self._loop.close()


class exceptions:
    CancelledError = CancelledError
    InvalidStateError = InvalidStateError
    TimeoutError = TimeoutError


class events:
    AbstractEventLoop = AbstractEventLoop
    get_event_loop = staticmethod(get_event_loop)
    new_event_loop = staticmethod(new_event_loop)


__all__ = [
    "run", "get_event_loop", "new_event_loop", "set_event_loop", "get_running_loop",
    "create_task", "ensure_future", "sleep", "gather", "wait", "wait_for", "timeout",
    "as_completed", "shield", "current_task", "all_tasks", "Future", "Task",
    "CancelledError", "TimeoutError", "InvalidStateError", "Event", "Lock", "Semaphore",
    "BoundedSemaphore", "Condition", "Queue", "LifoQueue", "PriorityQueue", "QueueEmpty",
    "QueueFull", "TaskGroup", "Timeout", "timeout_at", "FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED", "Runner",
]
