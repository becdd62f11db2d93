# A Semaphore lets at most two jobs in at once; a BoundedSemaphore refuses
# one release too many; Lock and Event in passing.
import asyncio

running = 0
peak = 0

def elapsed():
    """Loop time since main() started (CPython's loop clock is absolute)."""
    return asyncio.get_running_loop().time() - START



async def job(sem, n):
    global running, peak
    async with sem:
        running += 1
        peak = max(peak, running)
        print(f"job {n} in at {elapsed():.0f}, {running} running")
        await asyncio.sleep(1)
        running -= 1


async def main():
    global START
    START = asyncio.get_running_loop().time()
    sem = asyncio.Semaphore(2)
    await asyncio.gather(*(job(sem, n) for n in range(5)))
    print("peak:", peak, "locked:", sem.locked())
    bounded = asyncio.BoundedSemaphore(1)
    await bounded.acquire()
    bounded.release()
    try:
        bounded.release()
    except ValueError as err:
        print("ValueError:", err)
    lock = asyncio.Lock()
    async with lock:
        print("inside the lock:", lock.locked())
    print("after it:", lock.locked())
    try:
        lock.release()
    except RuntimeError as err:
        print("RuntimeError:", err)


asyncio.run(main())
