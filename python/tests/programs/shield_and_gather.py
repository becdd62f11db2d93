# shield keeps the inner task running when the outer await is cancelled;
# gather's first exception propagates while the others go on, and
# return_exceptions collects them all.
import asyncio

def elapsed():
    """Loop time since main() started (CPython's loop clock is absolute)."""
    return asyncio.get_running_loop().time() - START



async def work(name, delay, fail=False):
    await asyncio.sleep(delay)
    if fail:
        raise RuntimeError(f"{name} failed")
    print(f"{name} done at {elapsed():.0f}")
    return name


async def main():
    global START
    START = asyncio.get_running_loop().time()
    inner = asyncio.create_task(work("inner", 2))
    outer = asyncio.create_task(asyncio.wait_for(asyncio.shield(inner), 1))
    try:
        await outer
    except TimeoutError:
        print("outer timed out; inner cancelled:", inner.cancelled())
    print("inner result:", await inner)

    slow = asyncio.create_task(work("slow", 3))
    try:
        await asyncio.gather(work("a", 1), work("b", 2, fail=True), slow)
    except RuntimeError as err:
        print("gather raised", repr(err), "at", round(elapsed()))
    print("slow still running:", not slow.done())
    print("slow result:", await slow)
    results = await asyncio.gather(work("c", 1), work("d", 1, fail=True), return_exceptions=True)
    print("return_exceptions:", results)
    print("empty gather:", await asyncio.gather())


asyncio.run(main())
