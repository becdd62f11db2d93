import asyncio


async def job(number, delay):
    print(f"job {number} started")
    await asyncio.sleep(delay)
    print(f"job {number} done")


async def one_after_another(tasks=5, delay=1):
    loop = asyncio.get_running_loop()
    start = loop.time()
    for number in range(1, tasks + 1):
        await job(number, delay)
    print(f"{tasks} jobs took {loop.time() - start:.1f} s")


async def together(tasks=5, delay=1):
    loop = asyncio.get_running_loop()
    start = loop.time()
    await asyncio.gather(*(job(n, delay) for n in range(1, tasks + 1)))
    print(f"{tasks} jobs took {loop.time() - start:.1f} s")


asyncio.run(together())
