"""json: loads over serde_json; dumps spelled as CPython's encoder spells."""
import _aio


class JSONDecodeError(ValueError):
    pass


def loads(s, **kwargs):
    if isinstance(s, (bytes, bytearray)):
        s = s.decode()
    try:
        return _aio.json_loads(s)
    except ValueError as err:
        raise JSONDecodeError(str(err)) from None


def load(fp, **kwargs):
    return loads(fp.read())


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _string(s, ensure_ascii):
    out = ['"']
    for ch in s:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or (ensure_ascii and ord(ch) > 0x7E):
            code = ord(ch)
            if code > 0xFFFF:
                code -= 0x10000
                out.append("\\u%04x\\u%04x" % (0xD800 | (code >> 10), 0xDC00 | (code & 0x3FF)))
            else:
                out.append("\\u%04x" % code)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def dumps(obj, *, indent=None, separators=None, sort_keys=False, ensure_ascii=True, default=None, **kwargs):
    if separators is None:
        separators = (", ", ": ") if indent is None else (",", ": ")
    item_sep, key_sep = separators
    if isinstance(indent, int):
        indent = " " * indent

    def encode(o, level):
        if o is None:
            return "null"
        if o is True:
            return "true"
        if o is False:
            return "false"
        if isinstance(o, str):
            return _string(o, ensure_ascii)
        if isinstance(o, int):
            return int.__repr__(o)
        if isinstance(o, float):
            if o != o:
                return "NaN"
            if o in (float("inf"), float("-inf")):
                return "Infinity" if o > 0 else "-Infinity"
            return float.__repr__(o)
        if isinstance(o, (list, tuple)):
            if not o:
                return "[]"
            parts = [encode(v, level + 1) for v in o]
            return _wrap("[", "]", parts, level)
        if isinstance(o, dict):
            if not o:
                return "{}"
            items = sorted(o.items()) if sort_keys else o.items()
            parts = []
            for k, v in items:
                if isinstance(k, str):
                    key = k
                elif k is True or k is False or k is None or isinstance(k, (int, float)):
                    key = encode(k, level)
                else:
                    raise TypeError(f"keys must be str, int, float, bool or None, not {type(k).__name__}")
                parts.append(_string(key, ensure_ascii) + key_sep + encode(v, level + 1))
            return _wrap("{", "}", parts, level)
        if default is not None:
            return encode(default(o), level)
        raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")

    def _wrap(open_, close, parts, level):
        if indent is None:
            return open_ + item_sep.join(parts) + close
        inner = "\n" + indent * (level + 1)
        return open_ + inner + (item_sep + inner).join(parts) + "\n" + indent * level + close

    return encode(obj, 0)


def dump(obj, fp, **kwargs):
    fp.write(dumps(obj, **kwargs))
