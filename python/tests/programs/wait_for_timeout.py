# wait_for cancels the inner task at the deadline and raises TimeoutError
# once it has finished cancelling; asyncio.timeout does the same in place.
import asyncio

def elapsed():
    """Loop time since main() started (CPython's loop clock is absolute)."""
    return asyncio.get_running_loop().time() - START



async def slow(name, delay):
    try:
        await asyncio.sleep(delay)
        return f"{name} done"
    finally:
        print(f"{name}: finally at {elapsed():.1f}")


async def main():
    global START
    START = asyncio.get_running_loop().time()
    print(await asyncio.wait_for(slow("quick", 1), timeout=2))
    try:
        await asyncio.wait_for(slow("late", 5), timeout=1.5)
    except asyncio.TimeoutError:
        print("wait_for timed out at", round(elapsed(), 1))
    print("TimeoutError is asyncio.TimeoutError:", TimeoutError is asyncio.TimeoutError)
    try:
        async with asyncio.timeout(1):
            await slow("in timeout()", 3)
    except TimeoutError:
        print("timeout() expired at", round(elapsed(), 1))
    task = asyncio.create_task(slow("zero", 1))
    try:
        await asyncio.wait_for(task, 0)
    except TimeoutError:
        print("a zero timeout cancels a pending task:", task.cancelled())


asyncio.run(main())
