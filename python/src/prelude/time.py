"""time on the run's clock: the loop's time while a loop runs."""
import _aio


def time():
    return _aio.wall_clock()


def time_ns():
    return int(_aio.wall_clock() * 1e9)


def monotonic():
    return _aio.now()


def monotonic_ns():
    return int(_aio.now() * 1e9)


perf_counter = monotonic
perf_counter_ns = monotonic_ns


def sleep(secs):
    """Blocks the loop (nothing else runs); on the virtual clock, time moves on."""
    _aio.blocking_sleep(float(secs))
