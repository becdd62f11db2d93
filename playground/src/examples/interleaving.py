import asyncio


async def ticker(name, period, count):
    print(name, "start")
    for tick in range(count):
        await asyncio.sleep(period)
        print(name, tick)


async def main():
    await asyncio.gather(
        ticker("slow", 1.5, 10),
        ticker("fast", 1, 15),
    )


asyncio.run(main())
