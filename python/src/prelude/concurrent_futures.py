"""concurrent.futures executors for loop.run_in_executor: jobs run on the
runtime's Web Worker pool in a browser, inline elsewhere."""


class Executor:
    _processes = False

    def __init__(self, max_workers=None, *args, **kwargs):
        self._max_workers = max_workers

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.shutdown()
        return False

    def shutdown(self, wait=True, *, cancel_futures=False):
        return None


class ThreadPoolExecutor(Executor):
    pass


class ProcessPoolExecutor(Executor):
    _processes = True
