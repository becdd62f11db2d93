# asyncio.Runner, the exceptions and events namespaces, and __all__.
# (One part of the asyncio module: the parts run, in order, in one namespace.)


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
