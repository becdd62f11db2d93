# Event, Lock, Semaphore, BoundedSemaphore, Condition over the runtime's.
# (One part of the asyncio module: the parts run, in order, in one namespace.)


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
