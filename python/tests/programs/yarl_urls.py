# yarl's URL, as aiohttp programs build addresses with it.
from yarl import URL

base = URL("http://127.0.0.1:8000")
print(base, repr(base), base.scheme, base.host, base.port, repr(base.path))
print(base.join(URL("/ws/echo")).with_scheme({"http": "ws", "https": "wss"}[base.scheme]))
# A server address with a path and a query still gives /ws/echo on its host.
odd = URL("http://example.test:9000/app/?a=/ws/echo")
print(odd.join(URL("/ws/echo")).with_scheme("ws"))
print(URL("https://h.test/a") / "b")
print(URL("https://h.test/a/").join(URL("c?x=1")))
print(URL("/rel?q=1").path, URL("/rel?q=1").query_string, URL("/rel").scheme == "")
print(URL("https://h.test/") == URL("https://h.test/"), URL("https://h.test:443/").port)
