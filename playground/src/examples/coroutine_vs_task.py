import asyncio


async def execute(number):
    print("Number:", number)
    return number


async def main():
    coroutine = execute(1)
    print("Coroutine:", coroutine)
    print("After calling execute")

    task = asyncio.create_task(coroutine, name="execute")
    print("Task:", task)

    await asyncio.wait([task])
    print("Task:", task)
    print("After running the task")


asyncio.run(main())
