import asyncio

import aiohttp

BASE_URL = "http://127.0.0.1:8000"


async def fetch_page(session, n, delay_ms):
    async with session.get(f"/api/page/{n}", params={"delay_ms": delay_ms}) as response:
        response.raise_for_status()
        body = await response.read()
        page = await response.json()
    print(f"page {n} arrived")
    return page, len(body)


async def main(pages=5):
    async with aiohttp.ClientSession(BASE_URL) as session:
        # Later pages answer sooner, so they arrive out of order...
        results = await asyncio.gather(
            *(fetch_page(session, n, (pages - n + 1) * 200) for n in range(1, pages + 1))
        )
    # ...but gather returns them in the order they were asked for.
    for page, size in results:
        print(f"{page['title']}: {len(page['items'])} items, {size} bytes")


asyncio.run(main())
