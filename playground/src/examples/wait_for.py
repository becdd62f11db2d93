import asyncio


async def slow_job(delay):
    print(f"slow job: started, needs {delay} s")
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print("slow job: cancelled")
        raise
    print("slow job: finished")
    return "the slow job's result"


async def main(work=2, timeout=1):
    task = asyncio.create_task(slow_job(work), name="slow job")
    print(f"main: waiting at most {timeout} s")
    try:
        result = await asyncio.wait_for(task, timeout)
        print(f"main: got {result!r}")
    except TimeoutError:
        print(f"main: timed out after {timeout} s")


asyncio.run(main())
