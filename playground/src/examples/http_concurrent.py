import asyncio
import time

import aiohttp

BASE_URL = "http://127.0.0.1:8000"


async def fetch(session, i, ms):
    async with session.get("/api/delay", params={"ms": ms}) as response:
        body = await response.text()
        print(f"response {i}: {response.status} {body}")


async def sequential(n=5, delay=3.0):
    start = time.perf_counter()
    async with aiohttp.ClientSession(BASE_URL) as session:
        for i in range(1, n + 1):
            await fetch(session, i, int(delay * 1000))  # one at a time
    print(f"{n} requests took {time.perf_counter() - start:.2f} s")


async def concurrent(n=5, delay=3.0):
    start = time.perf_counter()
    async with aiohttp.ClientSession(BASE_URL) as session:
        tasks = [
            asyncio.create_task(fetch(session, i, int(delay * 1000)), name=f"request {i}")
            for i in range(1, n + 1)
        ]
        await asyncio.gather(*tasks)  # all in flight at once
    print(f"{n} requests took {time.perf_counter() - start:.2f} s")


asyncio.run(sequential())  # One after another
asyncio.run(concurrent())  # Together
