import asyncio

import aiohttp
from yarl import URL

BASE_URL = "http://127.0.0.1:8000"


async def main(messages=3):
    # /ws/echo on the server's host, http turned into ws (https into wss).
    base = URL(BASE_URL)
    url = base.join(URL("/ws/echo")).with_scheme({"http": "ws", "https": "wss"}[base.scheme])
    print(f"connecting to {url}")
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(url) as ws:
            print("connected")
            for i in range(1, messages + 1):
                text = f"hello {i}"
                print(f"sent: {text}")
                await ws.send_str(text)
                reply = await ws.receive()
                print(f"received: {reply.data}")
            await ws.close(code=1000, message=b"done")
            print("closed with code 1000: done")


asyncio.run(main())
