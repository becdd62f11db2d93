import asyncio


async def straggler(delay=10):
    print(f"straggler: started, needs {delay} s")
    await asyncio.sleep(delay)
    print("straggler: finished")


async def main(work=1):
    loop = asyncio.get_running_loop()
    print(f"the running loop: running={loop.is_running()}, closed={loop.is_closed()}")
    task = asyncio.create_task(straggler(), name="straggler")
    await asyncio.sleep(work)
    print(f"main: returning; the straggler is done: {task.done()}")


loop = asyncio.new_event_loop()
print(f"a new loop: running={loop.is_running()}, closed={loop.is_closed()}")
loop.run_until_complete(main())

# What asyncio.run() does before closing: cancel whatever is still pending.
leftovers = asyncio.all_tasks(loop)
for task in leftovers:
    task.cancel()
loop.run_until_complete(asyncio.gather(*leftovers, return_exceptions=True))
loop.close()
print(f"after close(): closed={loop.is_closed()}")
