# Event loops over the runtime's EventLoop, and the runs that asyncio.run makes.
# (One part of the asyncio module: the parts run, in order, in one namespace.)


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
