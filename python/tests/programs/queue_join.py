# Producer/consumer over a bounded Queue with task_done and join; the
# LIFO and priority orders; QueueEmpty and QueueFull.
import asyncio

def elapsed():
    """Loop time since main() started (CPython's loop clock is absolute)."""
    return asyncio.get_running_loop().time() - START



async def producer(queue, n):
    for i in range(n):
        await queue.put(i)
        print(f"put {i} (size {queue.qsize()})")


async def consumer(name, queue):
    while True:
        item = await queue.get()
        await asyncio.sleep(0.5)
        print(f"{name} got {item}")
        queue.task_done()


async def main():
    global START
    START = asyncio.get_running_loop().time()
    queue = asyncio.Queue(maxsize=2)
    consumers = [asyncio.create_task(consumer(f"c{i}", queue)) for i in range(2)]
    await producer(queue, 5)
    await queue.join()
    print("joined at", round(elapsed(), 1))
    for c in consumers:
        c.cancel()
    await asyncio.gather(*consumers, return_exceptions=True)

    lifo = asyncio.LifoQueue()
    prio = asyncio.PriorityQueue()
    for item in [3, 1, 2]:
        lifo.put_nowait(item)
        prio.put_nowait((item, f"job {item}"))
    print("lifo:", [lifo.get_nowait() for _ in range(3)])
    print("priority:", [prio.get_nowait()[1] for _ in range(3)])
    try:
        lifo.get_nowait()
    except asyncio.QueueEmpty:
        print("QueueEmpty")
    full = asyncio.Queue(1)
    full.put_nowait("x")
    try:
        full.put_nowait("y")
    except asyncio.QueueFull:
        print("QueueFull", full.full(), full.maxsize)
    try:
        full.task_done()
        full.task_done()
    except ValueError as err:
        print("ValueError:", err)


asyncio.run(main())
