# The modules around asyncio: random (seeded: CPython's numbers), json,
# functools.partial.
import functools
import json
import random

random.seed(42)
print(random.random(), random.randint(1, 6), random.choice("abc"), random.randrange(0, 100, 5))
items = list(range(10))
random.shuffle(items)
print(items, random.sample(range(100), 3), round(random.uniform(1, 2), 6))
random.seed(2**40 + 3)
print(random.getrandbits(70))

data = {"name": "Ada", "tags": ["x", "y"], "n": 1.5, "ok": True, "none": None, "ü": "é"}
text = json.dumps(data)
print(text)
print(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))
print(json.loads(text) == data, json.loads("[1, 2.5, null]"))
try:
    json.loads("{bad")
except json.JSONDecodeError:
    print("JSONDecodeError is a ValueError:", issubclass(json.JSONDecodeError, ValueError))

add = functools.partial(lambda a, b, c=0: a + b + c, 1, c=10)
print(add(2), functools.reduce(lambda x, y: x * y, [1, 2, 3, 4]))
