import asyncio


async def job(name, delay):
    await asyncio.sleep(delay)
    print(name, "finished")
    return f"{name} after {delay} s"


async def one_after_another(first=1, second=2):
    results = [await job("first", first), await job("second", second)]
    print("results:", results)


async def together(first=1, second=2):
    results = await asyncio.gather(job("first", first), job("second", second))
    print("results:", results)


asyncio.run(together())
