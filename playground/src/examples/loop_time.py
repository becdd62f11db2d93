import asyncio


async def main(delay=1, sleeps=3, alarm=1.5):
    loop = asyncio.get_running_loop()
    start = loop.time()
    print(f"start: loop.time() = {start:.3f}")

    when = start + alarm
    loop.call_at(when, lambda: print(f"alarm for {when:.3f}: loop.time() = {loop.time():.3f}"))

    before = start
    for _ in range(sleeps):
        await asyncio.sleep(delay)
        now = loop.time()
        print(f"slept: loop.time() = {now:.3f} (+{now - before:.3f})")
        before = now


asyncio.run(main())
