"""random: CPython's algorithms over a Mersenne Twister, so a seeded run
repeats CPython's numbers."""
import _aio

_BPF = 53
_RECIP_BPF = 2 ** -_BPF


def seed(a=None, version=2):
    if a is None:
        a = int(_aio.wall_clock() * 1e6)
    elif isinstance(a, float):
        a = hash(a)
    elif isinstance(a, (str, bytes, bytearray)):
        a = int.from_bytes(a.encode() if isinstance(a, str) else bytes(a), "big")
    elif not isinstance(a, int):
        raise TypeError("The only supported seed types are: None,\nint, float, str, bytes, and bytearray.")
    n = abs(a)
    key = []
    while True:
        key.append(n & 0xFFFFFFFF)
        n >>= 32
        if not n:
            break
    _aio.rng_seed(key)


def random():
    a = _aio.rng_next32() >> 5
    b = _aio.rng_next32() >> 6
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)


def getrandbits(k):
    if k < 0:
        raise ValueError("number of bits must be non-negative")
    if k == 0:
        return 0
    if k <= 32:
        return _aio.rng_next32() >> (32 - k)
    result = 0
    shift = 0
    while k > 0:
        r = _aio.rng_next32()
        if k < 32:
            r >>= 32 - k
        result |= r << shift
        shift += 32
        k -= 32
    return result


def _randbelow(n):
    k = n.bit_length()
    r = getrandbits(k)
    while r >= n:
        r = getrandbits(k)
    return r


def randrange(start, stop=None, step=1):
    istart = int(start)
    if stop is None:
        if istart > 0:
            return _randbelow(istart)
        raise ValueError("empty range for randrange()")
    istop = int(stop)
    width = istop - istart
    istep = int(step)
    if istep == 1:
        if width > 0:
            return istart + _randbelow(width)
        raise ValueError("empty range for randrange() (%d, %d, %d)" % (istart, istop, width))
    if istep > 0:
        n = (width + istep - 1) // istep
    elif istep < 0:
        n = (width + istep + 1) // istep
    else:
        raise ValueError("zero step for randrange()")
    if n <= 0:
        raise ValueError("empty range for randrange()")
    return istart + istep * _randbelow(n)


def randint(a, b):
    return randrange(a, b + 1)


def choice(seq):
    if not len(seq):
        raise IndexError("Cannot choose from an empty sequence")
    return seq[_randbelow(len(seq))]


def shuffle(x):
    for i in reversed(range(1, len(x))):
        j = _randbelow(i + 1)
        x[i], x[j] = x[j], x[i]


def sample(population, k, *, counts=None):
    n = len(population)
    if not 0 <= k <= n:
        raise ValueError("Sample larger than population or is negative")
    result = [None] * k
    setsize = 21
    if k > 5:
        import math
        setsize += 4 ** math.ceil(math.log(k * 3, 4))
    if n <= setsize:
        pool = list(population)
        for i in range(k):
            j = _randbelow(n - i)
            result[i] = pool[j]
            pool[j] = pool[n - i - 1]
    else:
        selected = set()
        for i in range(k):
            j = _randbelow(n)
            while j in selected:
                j = _randbelow(n)
            selected.add(j)
            result[i] = population[j]
    return result


def uniform(a, b):
    return a + (b - a) * random()


seed()
