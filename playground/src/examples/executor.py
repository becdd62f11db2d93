import asyncio
from concurrent.futures import ProcessPoolExecutor

CHUNK = 250_000


def count_primes(lo, hi):
    """Blocking, CPU-bound: it would freeze the loop if called directly."""
    return sum(
        1 for n in range(max(lo, 2), hi)
        if all(n % d for d in range(2, int(n ** 0.5) + 1))
    )


async def ticker(done):
    tick = 0
    while not done.is_set():
        await asyncio.sleep(0.25)
        tick += 1
        print(f"tick {tick}: the loop is free")


async def main(chunks=4):
    loop = asyncio.get_running_loop()
    done = asyncio.Event()
    ticking = asyncio.create_task(ticker(done))
    with ProcessPoolExecutor() as pool:
        jobs = [
            loop.run_in_executor(pool, count_primes, i * CHUNK, (i + 1) * CHUNK)
            for i in range(chunks)
        ]
        counts = await asyncio.gather(*jobs)
    done.set()
    await ticking
    for i, count in enumerate(counts):
        print(f"primes in chunk {i}: {count}")
    print(f"primes below {chunks * CHUNK}: {sum(counts)}")


asyncio.run(main())
