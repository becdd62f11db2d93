# asyncio.TaskGroup over the runtime's TaskGroup.
# (One part of the asyncio module: the parts run, in order, in one namespace.)


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
