import asyncio


def answer(call):
    try:
        return f"= {call()!r}"
    except (asyncio.InvalidStateError, asyncio.CancelledError) as err:
        return f"raised: {err!r}"


def ask(future):
    print(f"{future}: done() = {future.done()}")
    print("  result()", answer(future.result))
    print("  exception()", answer(future.exception))


def watched():
    future = asyncio.get_running_loop().create_future()
    future.add_done_callback(lambda f: print("callback:", f))
    return future


async def set_after(future, delay):
    await asyncio.sleep(delay)
    print('setter: set_result("42")')
    future.set_result("42")


async def main(delay=1):
    answer = watched()
    ask(answer)
    setter = asyncio.create_task(set_after(answer, delay), name="setter")

    other = watched()
    print("cancel() =", other.cancel())
    print("cancel() again =", other.cancel())
    ask(other)

    await setter
    ask(answer)


asyncio.run(main())
