"""aiohttp: a ClientSession over the runtime's fetch client (in a browser)."""


class ClientError(Exception):
    pass


class ClientSession:
    def __init__(self, base_url=None, **kwargs):
        raise RuntimeError("aiohttp needs a browser: run this program on the playground page")
