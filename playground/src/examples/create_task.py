import asyncio


async def greeter(delay):
    print("greeter: started")
    await asyncio.sleep(delay)
    print("greeter: finished")
    return "hello"


async def main(delay=1, work=2):
    task = asyncio.create_task(greeter(delay), name="greeter")
    print(f"main: created {task}")

    print("main: doing other work")
    await asyncio.sleep(work)

    print(f"main: awaiting the greeter; done() = {task.done()}")
    greeting = await task
    print(f"main: the greeter returned {greeting!r}")


asyncio.run(main())
