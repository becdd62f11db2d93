# CPython's order of events: FIFO ready queue, call_soon callbacks in
# order, done callbacks before the awaiting task resumes, wait and
# as_completed, time.sleep stalling the loop.
import asyncio
import time
from functools import partial

def elapsed():
    """Loop time since main() started (CPython's loop clock is absolute)."""
    return asyncio.get_running_loop().time() - START



async def step(name, n):
    for i in range(n):
        print(f"{name} {i}")
        await asyncio.sleep(0)


async def finisher(delay, value):
    await asyncio.sleep(delay)
    return value


async def main():
    global START
    START = asyncio.get_running_loop().time()
    loop = asyncio.get_running_loop()
    loop.call_soon(print, "callback 1")
    loop.call_soon(partial(print, "callback", 2))
    handle = loop.call_soon(print, "never")
    handle.cancel()
    await asyncio.gather(step("a", 2), step("b", 2))

    fut = loop.create_future()
    fut.add_done_callback(lambda f: print("done callback sees", f.result()))

    async def waiter():
        print("waiter resumed with", await fut)

    w = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    fut.set_result("value")
    await w

    tasks = [asyncio.create_task(finisher(d, d)) for d in (3, 1, 2)]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print("first completed:", [t.result() for t in done], "pending:", len(pending))
    for next_done in asyncio.as_completed(tasks):
        print("as_completed:", await next_done)

    async def ticker():
        for i in range(3):
            print(f"tick {i} at {elapsed():.1f}")
            await asyncio.sleep(0.1)

    start = loop.time()
    t = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    time.sleep(0.5)
    print(f"time.sleep held the loop for {loop.time() - start:.1f} s")
    await t


asyncio.run(main())
