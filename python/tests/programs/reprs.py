# What the objects print as.
import asyncio


async def napper():
    await asyncio.sleep(1)
    return 42


async def broken():
    raise KeyError("k")


async def main():
    task = asyncio.create_task(napper(), name="napper")
    print(task)
    fut = asyncio.get_running_loop().create_future()
    print(fut)
    fut.set_result([1, 2])
    print(fut)
    print(await task, task)
    bad = asyncio.create_task(broken())
    await asyncio.sleep(0)
    print(bad)
    print(bad.exception().__class__.__name__)
    print(asyncio.current_task().get_name())
    print(asyncio.Event(), asyncio.Lock(), asyncio.Semaphore(3), asyncio.Queue(4))
    cancelled = asyncio.get_running_loop().create_future()
    cancelled.cancel()
    print(cancelled)


asyncio.run(main())
