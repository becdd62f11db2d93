import asyncio
from concurrent.futures import ProcessPoolExecutor

TICK = 0.1


def count_primes(lo, hi):
    """CPU-bound: while it runs, the thread that called it does nothing else."""
    return sum(
        1 for n in range(max(lo, 2), hi)
        if all(n % d for d in range(2, int(n ** 0.5) + 1))
    )


async def ticker(state):
    while not state["done"]:
        await asyncio.sleep(TICK)
        state["ticks"] += 1
        print(f"tick {state['ticks']}")


async def compare(offload, limit=1_000_000):
    loop = asyncio.get_running_loop()
    state = {"ticks": 0, "done": False}
    ticking = asyncio.create_task(ticker(state), name="ticker")
    await asyncio.sleep(TICK * 3)
    before = state["ticks"]
    print(f"counting the primes below {limit}...")
    if offload:
        with ProcessPoolExecutor() as pool:
            count = await loop.run_in_executor(pool, count_primes, 0, limit)
    else:
        count = count_primes(0, limit)  # the loop is frozen until it returns
    print(f"primes below {limit}: {count}")
    print(f"ticks while the work ran: {state['ticks'] - before}")
    await asyncio.sleep(TICK * 3)
    state["done"] = True
    await ticking


asyncio.run(compare(offload=False))  # Blocking
asyncio.run(compare(offload=True))   # Offloaded
