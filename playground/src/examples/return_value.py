import asyncio


async def greeting(name):
    return f"Hello, {name}!"


async def main():
    text = await greeting("world")
    print(text)


asyncio.run(main())
