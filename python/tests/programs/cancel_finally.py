# Cancellation arrives as CancelledError at the await; except/finally run,
# may await, and `except CancelledError: raise` keeps the task cancelled.
import asyncio


async def worker(log):
    try:
        log.append("worker: sleeping")
        await asyncio.sleep(10)
    except asyncio.CancelledError as err:
        log.append(f"worker: cancelled with {err.args!r}")
        raise
    finally:
        await asyncio.sleep(0.5)
        log.append("worker: cleaned up after an await in finally")


async def stubborn():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        return "refused to stop"


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    log = []
    task = asyncio.create_task(worker(log))
    await asyncio.sleep(1)
    print("cancel() =", task.cancel("enough"), "cancelling() =", task.cancelling())
    try:
        await task
    except asyncio.CancelledError as err:
        print("awaiting the task raised CancelledError", err.args)
    print("\n".join(log))
    print("cancelled:", task.cancelled(), "done:", task.done())
    print(f"elapsed: {loop.time() - start:.1f}")

    other = asyncio.create_task(stubborn())
    await asyncio.sleep(0)
    other.cancel()
    print("stubborn returned", repr(await other), "cancelled:", other.cancelled())

    early = asyncio.create_task(worker([]))
    early.cancel()
    try:
        await early
    except asyncio.CancelledError:
        print("cancelled before it started: its body never ran")
    print("cancel() on a finished task =", early.cancel())


asyncio.run(main())
