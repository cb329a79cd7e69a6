"""Parsed TOML back to TOML text, for the subset exercise files use.

The standard library reads TOML (tomllib) but does not write it. A variant of an exercise is its
parsed data with some numbers replaced, written back with `dumps`: tables as ``[table]`` headers,
lists of tables as ``[[array]]`` headers, other lists inline, strings as basic strings with every
character TOML forbids escaped, integers as they are and floats by `repr` (the shortest text that
reads back as the same float: 0.3, not 0.30000000000000004). ``tomllib.loads(dumps(data)) ==
data`` for any such data (tests/variants/test_toml_writer.py checks it under hypothesis).
"""

from __future__ import annotations

import math
import re

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def dumps(data: dict) -> str:
    """`data` (str keys; values str, int, float, bool, list, dict) as a TOML document.
    TypeError for any other value (a date: exercise files have none)."""
    lines: list[str] = []
    _table(data, (), lines)
    return "\n".join(lines).lstrip("\n") + "\n"


def _table(data: dict, path: tuple[str, ...], lines: list[str]) -> None:
    """The plain keys of `data` first (they belong to the header above them), then its tables
    and lists of tables, each under its own header."""
    nested = []
    for key, value in data.items():
        if isinstance(value, dict) or _is_table_list(value):
            nested.append((key, value))
        else:
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in nested:
        inner = (*path, key)
        header = ".".join(map(_key, inner))
        if isinstance(value, dict):
            lines += ["", f"[{header}]"]
            _table(value, inner, lines)
        else:
            for table in value:
                lines += ["", f"[[{header}]]"]
                _table(table, inner, lines)


def _is_table_list(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def _value(value) -> str:
    if isinstance(value, bool):  # before int: True is an int to Python
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }" if value else "{}"
    raise TypeError(f"cannot write a {type(value).__name__} as TOML")


def _string(text: str) -> str:
    """A TOML basic string: quotes and backslashes escaped, and every control character (which
    TOML refuses raw, except the tab) written as an escape."""
    return '"' + "".join(_ESCAPES.get(char) or (f"\\u{ord(char):04X}" if _control(char) else char)
                         for char in text) + '"'


def _control(char: str) -> bool:
    return ord(char) < 0x20 or ord(char) == 0x7F
