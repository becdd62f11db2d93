import asyncio


async def job(delay):
    await asyncio.sleep(delay)
    return delay


async def main(tasks=4, step=1, timeout=2.5):
    jobs = [
        asyncio.create_task(job(step * n), name=f"job {n}")
        for n in range(1, tasks + 1)
    ]
    done, pending = await asyncio.wait(jobs, timeout=timeout)
    print("done:", ", ".join(sorted(t.get_name() for t in done)) or "none")
    print("pending:", ", ".join(sorted(t.get_name() for t in pending)) or "none")

    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending)
    for task in pending:
        print(task)


asyncio.run(main())
