"""Key paths into parsed TOML, written as in error messages: ``network.layers[0].weights``.

A variants spec names the numbers that vary by such a path. `parse_path` splits one into keys
and indexes; `lookup` follows it; `replaced` makes a copy of the data with one value changed;
`all_paths` lists the paths a file has, for "did you mean …?".
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Collection
from typing import Any

_PART = re.compile(r"([^.\[\]]+)((?:\[\d{1,6}\])*)")
MAX_DEPTH = 12
MAX_SUGGESTED = 5000
"""Paths compared for a suggestion: a file's tables and lists of tables, not every number."""

Key = str | int


def parse_path(path: str) -> tuple[Key, ...] | None:
    """("network", "layers", 0, "weights") for ``network.layers[0].weights``; None when `path` is
    not written that way."""
    if len(path) > 500:
        return None
    parts = path.split(".")
    keys: list[Key] = []
    for part in parts:
        match = _PART.fullmatch(part)
        if not match:
            return None
        keys.append(match.group(1))
        keys += [int(index) for index in re.findall(r"\d+", match.group(2))]
    return tuple(keys) if len(keys) <= MAX_DEPTH else None


def show(keys: tuple[Key, ...]) -> str:
    """The path of `keys` as written: ``network.layers[0].weights``."""
    text = ""
    for key in keys:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else key)
    return text


def lookup(data: Any, keys: tuple[Key, ...]) -> tuple[bool, Any]:
    """(True, the value at `keys`) or (False, None) when the data has no such path."""
    node = data
    for key in keys:
        if isinstance(key, int) and isinstance(node, list) and key < len(node):
            node = node[key]
        elif isinstance(key, str) and isinstance(node, dict) and key in node:
            node = node[key]
        else:
            return False, None
    return True, node


def replaced(data: dict, values: dict[tuple[Key, ...], Any]) -> dict:
    """A deep copy of `data` with the value at each path set (a path's last key may be new to
    its table: a value the file left to its default)."""
    result = copy.deepcopy(data)
    for keys, value in values.items():
        _, parent = lookup(result, keys[:-1])
        parent[keys[-1]] = value
    return result


def all_paths(data: Any, leave_out: Collection[str] = ()) -> list[str]:
    """Every path to a table, a list of tables or a value in one: not into lists of numbers, nor
    under a top-level key in `leave_out`."""
    found: list[str] = []

    def walk(node: Any, keys: tuple[Key, ...]) -> None:
        if len(found) >= MAX_SUGGESTED or len(keys) > MAX_DEPTH or keys[:1] and keys[0] in leave_out:
            return
        if keys:
            found.append(show(keys))
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, (*keys, key))
        elif isinstance(node, list) and node and all(isinstance(item, dict) for item in node):
            for index, item in enumerate(node):
                walk(item, (*keys, index))

    walk(data, ())
    return found


def suggestion(path: str, data: Any, leave_out: Collection[str] = ()) -> str:
    """" (did you mean 'x'?)" with the closest path of `data` not under a top-level key in
    `leave_out`, or ""."""
    match = difflib.get_close_matches(path[:200], all_paths(data, leave_out), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""
