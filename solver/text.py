"""Text that came from a file someone else wrote, made safe to show on one terminal line.

Error messages and reports quote keys, values and file names taken from exercise and answers
files. Those can hold terminal escape sequences, newlines or thousands of characters; every such
text goes through `printable` or `one_line` before it is shown. Escaping for a sheet's format
(Markdown, LaTeX) is solver/render/environment.py's job.
"""

from __future__ import annotations

import datetime

QUOTE_LIMIT = 80


def printable(text: object) -> str:
    """Text with every control character (a terminal escape, a NUL, a line break) shown as "?",
    except line breaks and tabs, which are kept."""
    return "".join(char if char.isprintable() or char in "\n\t" else "?" for char in str(text))


def one_line(text: object, limit: int | None = None) -> str:
    """`printable` text on one line: each run of white space, line breaks included, becomes one
    space. With `limit`, text longer than that is cut and ends in "…"."""
    line = " ".join(printable(text).split())
    if limit is not None and len(line) > limit:
        return line[: limit - 1] + "…"
    return line


def quoted(value: object) -> str:
    """A value from a file as a message quotes it: its repr, on one line, at most QUOTE_LIMIT long
    (an integer too long to write out is described by its size)."""
    if isinstance(value, int) and value.bit_length() > 200:
        return f"an integer of about {int(value.bit_length() * 0.30103) + 1} digits"
    if isinstance(value, bool):  # as TOML writes it, not Python's True
        return "true" if value else "false"
    if isinstance(value, (datetime.date, datetime.time)):  # TOML's dates and times, in words, not Python's repr
        return f"{_TIME_WORDS[type(value)]} ({value.isoformat()})"
    return one_line(repr(value), QUOTE_LIMIT)


def counted(count: int, noun: str) -> str:
    """`count` and the noun, plural unless the count is 1: "1 row", "2 rows", "1,000 variants"."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def matrix_in_words(rows: int, columns: int) -> str:
    """A matrix's shape as a message says it: "a 1×2 matrix (1 row of 2 numbers)"."""
    return f"a {rows}×{columns} matrix ({counted(rows, 'row')} of {counted(columns, 'number')})"


_TIME_WORDS = {datetime.date: "a date", datetime.datetime: "a date and time", datetime.time: "a time of day"}
