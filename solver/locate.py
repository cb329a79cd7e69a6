"""The line of a key path (``network.layers[1].weights``) in a TOML file's text, so that an error
found after the file was parsed can still name its line."""

from __future__ import annotations

import re


_DEEPEST = 8
_PATH_PART = re.compile(r"([^.\[\]]+)((?:\[\d+\])*)")


def locate(text: str, key: str) -> int | None:
    """The line of `key` (such as ``network.layers[1].weights``) in the TOML `text`, else of its
    nearest ancestor that can be found, else None. Best effort: it knows ``[table]`` and
    ``[[array]]`` headers and ``name =`` lines, which is how exercise files are written."""
    lines = text.splitlines()
    headers = _headers(lines)
    # exercise files nest a few levels; a key of thousands of parts from a hostile file would make
    # the search below quadratic, so only its first levels are looked for
    parts = [(name, [int(i) for i in re.findall(r"\d+", indexes[:40])])
             for name, indexes in _PATH_PART.findall(key[:2000])][:_DEEPEST]
    parts_asked = list(parts)
    asked = len(parts)
    while parts:
        found = _line_of(lines, headers, parts)
        if found is not None:
            return _inline_line(lines, found, parts[-1][1], [name for name, _ in parts_asked[len(parts):asked]])
        name, indexes = parts[-1]
        parts = [*parts[:-1], (name, [])] if indexes else parts[:-1]  # drop indexes, then the name
    return None


_INLINE_SCAN = 200_000
"""Characters of a multi-line inline list read to find one of its elements (a hostile file's
list of a million elements is not walked)."""


def _inline_line(lines: list[str], line: int, indexes: list[int], names: list[str]) -> int:
    """The line of element `indexes` of the inline list that starts on `line` (``layers = [`` with
    one ``{ … }`` per line), and within it of the key `names[0]`, when they can be found; else `line`."""
    if not indexes:
        return line
    text = "\n".join(lines[line - 1 :])[:_INLINE_SCAN]
    start = text.find("=")
    if start < 0:
        return line
    found = _element_span(text, start + 1, indexes)
    if found is None:
        return line
    begin, end = found
    if names:
        key = re.compile(rf"(?<![\w-])[\"']?{re.escape(names[0])}[\"']?\s*=")
        match = key.search(text, begin, end)
        if match:
            begin = match.start()
    return line + text.count("\n", 0, begin)


def _element_span(text: str, position: int, indexes: list[int]) -> tuple[int, int] | None:
    """Where element `indexes` (one index per level of nesting) of the TOML value at `position`
    starts and ends in `text`, or None. Strings and comments are skipped, so that brackets inside
    them do not count."""
    counts: list[int] = []  # the element being read at each open level
    started: list[bool] = []
    start, quote, at = None, "", position
    while at < len(text):
        char = text[at]
        if quote:
            if char == "\\" and quote == '"':
                at += 1
            elif char == quote:
                quote = ""
            at += 1
            continue
        if char == "#":
            newline = text.find("\n", at)
            at = len(text) if newline < 0 else newline
            continue
        if char in "]}" or (char == "," and counts):
            if start is not None and len(counts) == len(indexes):
                return start, at
            if char == ",":
                counts[-1] += 1
                started[-1] = False
            else:
                counts.pop()
                started.pop()
                if not counts:
                    return None
        elif not char.isspace():
            if counts and not started[-1]:
                started[-1] = True
                if start is None and counts == indexes:
                    start = at
            if char in "[{":
                if not counts and char == "{":
                    return None
                counts.append(0)
                started.append(False)
            elif char in "\"'":
                quote = char
        at += 1
    return None


def _headers(lines: list[str]) -> list[tuple[int, str, int | None]]:
    """(line, table, occurrence) of each header; occurrence counts [[arrays]], None for [tables]."""
    found, seen = [], {}
    for number, line in enumerate(lines, 1):
        header = _header(line)
        if header:
            array, name = header
            occurrence = None
            if array:
                occurrence = seen[name] = seen.get(name, -1) + 1
            found.append((number, name, occurrence))
    return found


def _header(line: str) -> tuple[bool, str] | None:
    """(is an [[array]], table name without spaces) when `line` is a table header, else None.
    Plain string operations, so the time is linear in the line (a regex with two ways to match a
    run of spaces took a minute on one line of 4,000)."""
    stripped = line.strip()
    array = stripped.startswith("[[")
    opener, closer = ("[[", "]]") if array else ("[", "]")
    if not stripped.startswith(opener):
        return None
    end = stripped.find(closer, len(opener))
    name = stripped[len(opener) : end]
    rest = stripped[end + len(closer) :].lstrip() if end >= 0 else "#"
    if end < 0 or (rest and not rest.startswith("#")) or not name.strip() or any(c in name for c in "[]#"):
        return None
    return array, "".join(name.split())


def _line_of(lines, headers, parts) -> int | None:
    path = ".".join(name for name, _ in parts)
    index = parts[-1][1][0] if parts[-1][1] else None
    for number, name, occurrence in headers:
        if name == path and (occurrence is None or index in (None, occurrence)):
            return number
    table, table_index = ".".join(name for name, _ in parts[:-1]), None
    if len(parts) > 1 and parts[-2][1]:
        table_index = parts[-2][1][0]
    span = _span(lines, headers, table, table_index)
    if span is None:
        return None
    key = re.compile(rf"\s*[\"']?{re.escape(parts[-1][0])}[\"']?\s*=")
    return next((number for number in range(*span) if key.match(lines[number - 1])), None)


def _span(lines, headers, table: str, index: int | None) -> tuple[int, int] | None:
    """The lines (start, stop) of `table`'s own keys, up to the next header."""
    starts = [number for number, _, _ in headers] + [len(lines) + 1]
    if table == "":
        return 1, starts[0]
    for position, (number, name, occurrence) in enumerate(headers):
        if name == table and (occurrence is None or index in (None, occurrence)):
            return number + 1, starts[position + 1]
    return None
