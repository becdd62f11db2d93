"""yarl's URL, the URL type aiohttp takes: parsing, joining and changing the
scheme, over a WHATWG URL parser (what browsers use). A subset: `URL(text)`,
`scheme`, `host`, `port`, `path`, `query_string`, `join`, `with_scheme`,
`with_path`, the `/` operator, `str()`, comparison and hashing."""
import _aio


class URL:
    __slots__ = ("_text",)

    def __init__(self, val=""):
        self._text = val._text if isinstance(val, URL) else str(val)

    def _part(self, name):
        return _aio.url_part(self._text, name)

    @property
    def scheme(self):
        return self._part("scheme")

    @property
    def host(self):
        return self._part("host")

    @property
    def port(self):
        port = self._part("port")
        return None if port is None else int(port)

    @property
    def path(self):
        return self._part("path")

    @property
    def query_string(self):
        return self._part("query")

    @property
    def is_absolute(self):
        return self._part("scheme") != ""

    def join(self, url):
        """The reference `url` resolved against this URL (RFC 3986)."""
        if not isinstance(url, URL):
            raise TypeError("url should be URL")
        return URL(_aio.url_join(self._text, url._text))

    def with_scheme(self, scheme):
        if not isinstance(scheme, str):
            raise TypeError("Invalid scheme type")
        return URL(_aio.url_with(self._text, "scheme", scheme))

    def with_path(self, path):
        return URL(_aio.url_with(self._text, "path", path))

    def __truediv__(self, name):
        if not isinstance(name, str):
            return NotImplemented
        base = self.path if self.path.endswith("/") else self.path + "/"
        return self.with_path(base + name)

    def __str__(self):
        return self._text

    def __repr__(self):
        return f"URL({self._text!r})"

    def __eq__(self, other):
        return isinstance(other, URL) and other._text == self._text

    def __hash__(self):
        return hash(self._text)
