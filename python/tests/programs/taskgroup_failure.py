# TaskGroup: the first failure cancels the siblings (their finally blocks
# run) and the task in the group; leaving raises an ExceptionGroup.
import asyncio

def elapsed():
    """Loop time since main() started (CPython's loop clock is absolute)."""
    return asyncio.get_running_loop().time() - START



async def sibling(name, delay):
    try:
        await asyncio.sleep(delay)
        print(f"{name} finished")
    except asyncio.CancelledError:
        print(f"{name} cancelled")
        raise
    finally:
        print(f"{name} finally")


async def failing(delay):
    await asyncio.sleep(delay)
    raise ValueError("bad value")


async def main():
    global START
    START = asyncio.get_running_loop().time()
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(sibling("fast", 0.5))
            tg.create_task(sibling("slow", 5))
            tg.create_task(failing(1))
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                print("the body was cancelled by the failure")
                raise
    except* ValueError as group:
        print("caught", type(group).__name__, [repr(e) for e in group.exceptions])
    print("left the group at", round(elapsed(), 1))

    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(sibling(f"ok {i}", i)) for i in (1, 2)]
    print("all done:", [t.done() for t in tasks], "at", round(elapsed(), 1))


asyncio.run(main())
