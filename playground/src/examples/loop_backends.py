import asyncio
import time

import uvloop  # pip install uvloop: a drop-in loop on libuv


async def workload(switches=200_000, sleeps=200_000):
    async def player(turns):
        for _ in range(turns):
            await asyncio.sleep(0)  # hand the loop to the other task

    start = time.perf_counter()
    await asyncio.gather(player(switches // 2), player(switches - switches // 2))
    switched = time.perf_counter()
    for _ in range(sleeps):
        await asyncio.sleep(0)
    return (switched - start) * 1000, (time.perf_counter() - switched) * 1000


print(f"{'loop':<12} {'switches':>14} {'sleep(0) chain':>16}")
for name, factory in [("asyncio", asyncio.new_event_loop), ("uvloop", uvloop.new_event_loop)]:
    # The same coroutine, on a different loop implementation.
    with asyncio.Runner(loop_factory=factory) as runner:
        switches_ms, sleeps_ms = runner.run(workload())
    print(f"{name:<12} {switches_ms:>11.1} ms {sleeps_ms:>13.1} ms")
