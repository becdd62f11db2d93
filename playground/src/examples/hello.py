import asyncio


async def main(delay=1.0):
    print("Hello")
    await asyncio.sleep(delay)
    print("World")


asyncio.run(main())
