# Queue, LifoQueue, PriorityQueue over the runtime's.
# (One part of the asyncio module: the parts run, in order, in one namespace.)


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
