import asyncio


async def consumer(name, event):
    print(name, "waiting")
    await event.wait()
    print(name, "triggered")


def trigger(event):
    print("event set")
    event.set()


async def main(consumers=2, delay=3):
    event = asyncio.Event()
    names = [f"consumer {chr(ord('A') + i)}" for i in range(consumers)]
    tasks = [asyncio.create_task(consumer(n, event), name=n) for n in names]
    asyncio.get_running_loop().call_later(delay, trigger, event)
    await asyncio.gather(*tasks)


asyncio.run(main())
