"""A student's answers file (TOML): step ids → the values the student wrote.

Keys are step ids, quoted (``"a.z1" = [0.2, 0.2, 0.2]``) or as TOML tables (``[a]`` then
``z1 = …``; ``b.q1.class = 1``). Values are numbers, lists for vectors (one per entry of a
column) and lists of rows for matrices, or strings: a fraction ``"1/3"``, a decimal ``"0.50"``, or
a number with its thousands grouped, ``"60,000"`` or ``"60 000"`` (groups of exactly three digits,
one kind of separator; a comma is never a decimal point, so ``"1,5"`` is refused). A number is
judged as written, in quotes or not: 0.50 to two decimals, 6e4 as 6 · 10⁴. An empty string means
"not answered". A problem with one entry is kept on that entry, so the rest of the file is still
checked.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from solver.arguments import reference
from solver.errors import AnswersError
from solver.fields import read_toml
from solver.limits import Limits
from solver.text import QUOTE_LIMIT, quoted

MAX_NUMBER_LENGTH = 64  # characters of one written number: hand-written numbers are short
MAX_NESTING = 2  # a list of rows: every step is a number, a column or a matrix
SMALLEST_UNIT = 1e-300  # the finest digit judged; float64 cannot tell finer ones apart from 0
WRITTEN_LIMIT = 1000  # characters of an unreadable entry shown back to the student

# one way to match each digit, so that a long run of digits cannot make the match slow
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_FRACTION = re.compile(r"\s*([+-]?\d+)\s*/\s*(\d+)\s*")
# thousands grouped by one kind of separator, a comma or a space, in groups of exactly three
# digits after a first group that does not start with 0: 60,000, 122 304, 1,500.25; anything
# else with a comma (1,5, or 0,500: a decimal comma, never a thousands number) is refused, not guessed
_GROUPED = re.compile(r"([+-]?[1-9]\d{0,2})((?:,\d{3})+|(?: \d{3})+)(\.\d*)?")
# grouped thousands after a first group with a leading 0: 060,000, -01,728, 0,001,728, 01 728 (but 0,500
# alone is a decimal comma)
_LEADING_ZERO_GROUPED = re.compile(r"([+-]?)(0\d*)((?:,\d{3})+|(?: \d{3})+)(\.\d*)?")


@dataclass(frozen=True)
class Number:
    """One number as the student wrote it. `unit` is the place value of the last digit written
    (0.5498 → 0.0001); None for a fraction, which is exact."""

    value: float
    text: str
    unit: float | None


@dataclass(frozen=True)
class Entry:
    """One answered step: its numbers in the shape written, or the problem that stops a check and
    `written`, each value as the student wrote it in TOML ("1,5" in quotes, nan), in the nesting
    written."""

    step_id: str
    numbers: Number | tuple | None
    problem: str | None = None
    written: str | tuple | None = None

    @property
    def values(self) -> np.ndarray:
        """The numbers as an array, in the nesting written."""
        return np.array(_nested(self.numbers, lambda number: number.value, list), dtype=float)

    @property
    def written_flat(self) -> list[str]:
        """Each value as written in row-major order: the numbers' texts, or an unreadable entry's
        values in TOML."""
        if self.numbers is not None:
            return [number.text for number in self.flat]
        found: list[str] = []
        _nested_text(self.written, found.append, lambda items: None)
        return found

    @property
    def flat(self) -> list[Number]:
        """The numbers in row-major order; empty when the entry has a problem."""
        found: list[Number] = []
        _nested(self.numbers, found.append, lambda items: None)
        return found

    @property
    def text(self) -> str:
        """The numbers as the student wrote them, in the nesting they used; an entry that could
        not be read as it was written in TOML."""
        def bracketed(items):
            return "[" + ", ".join(items) + "]"
        if self.numbers is None:
            return "—" if self.written is None else _nested_text(self.written, lambda text: text, bracketed)
        return _nested(self.numbers, lambda number: number.text, bracketed)


@dataclass(frozen=True)
class Answers:
    path: str
    entries: tuple[Entry, ...]


def _nested(numbers, leaf, join):
    """Walk the nesting of written numbers: `leaf` for each Number, `join` for each list."""
    if numbers is None:
        return None
    if isinstance(numbers, Number):
        return leaf(numbers)
    return join([_nested(item, leaf, join) for item in numbers])


def _nested_text(written, leaf, join):
    """`_nested` for the texts of an entry that could not be read."""
    if isinstance(written, str):
        return leaf(written)
    return join([_nested_text(item, leaf, join) for item in written])


class WrittenFloat(float):
    """A TOML float that keeps the text it was written with: 1e400 reads as inf, and a report
    shows what the student wrote, not inf."""

    text: str


def _written_float(text: str) -> WrittenFloat:
    value = WrittenFloat(text)
    value.text = text
    return value


def load_answers(path: str | Path, limits: Limits = Limits()) -> Answers:
    """Read an answers file; AnswersError only when the file as a whole cannot be used."""
    path = reference(path, "path", "an answers file's path")
    data, _ = read_toml(path, AnswersError, "an answers file", parse_float=_written_float)
    return parse_answers(data, str(path), limits)


def parse_answers(data: dict, path: str = "<answers>", limits: Limits = Limits()) -> Answers:
    """Entries from parsed TOML, nested tables flattened into dotted step ids. More entries than
    a solution may have steps, or more numbers than it may hold, is an AnswersError."""
    entries = []
    numbers = 0
    for step_id, raw in _flatten(data, ""):
        if raw == "":
            continue
        numbers += _count(raw)
        if len(entries) >= limits.steps or numbers > limits.values:
            raise AnswersError(f"more than {limits.steps:,} answers or {limits.values:,} numbers, more than a "
                               "solution may have; raise the limits with --max-steps and --max-values", file=path)
        try:
            entries.append(Entry(step_id, _numbers(raw)))
        except ValueError as problem:
            entries.append(Entry(step_id, None, str(problem), as_written(raw)))
    return Answers(path, tuple(entries))


def as_written(raw: Any, depth: int = 0) -> str | tuple:
    """A value from the answers file as TOML writes it, "1,5" in quotes, nan, a list as a tuple
    of its items, so that a report can show an entry it could not read. A long string and a
    long or deep list are cut short with "…"; a huge integer is described by its size."""
    if isinstance(raw, list):
        if depth == MAX_NESTING:  # a list inside a row: deeper than any step
            return "…"
        parts: list = []
        shown = 0
        for item in raw:
            if shown > WRITTEN_LIMIT:
                parts.append("…")
                break
            parts.append(as_written(item, depth + 1))
            shown += len(str(parts[-1])) + 2  # and its ", "
        return tuple(parts)
    if isinstance(raw, bool):
        return str(raw).lower()
    if isinstance(raw, str):
        return json.dumps(raw[:QUOTE_LIMIT], ensure_ascii=False) + ("…" if len(raw) > QUOTE_LIMIT else "")
    if isinstance(raw, int):
        return quoted(raw)
    if isinstance(raw, dict):
        return "{…}"
    if isinstance(raw, float):
        return getattr(raw, "text", str(raw))  # as written: 1e400, not the inf it reads as
    return str(raw)  # a TOML date or time


def _count(raw: Any) -> int:
    """How many numbers `raw` holds, at most one level below a matrix (deeper is refused anyway)."""
    if not isinstance(raw, list):
        return 1
    return sum(len(item) if isinstance(item, list) else 1 for item in raw)


def _flatten(data: dict, prefix: str):
    """(dotted step id, value) of every leaf, without recursion: a key of a thousand dotted parts
    is a thousand nested tables."""
    stack = [(prefix, iter(data.items()))]
    while stack:
        prefix, items = stack[-1]
        item = next(items, None)
        if item is None:
            stack.pop()
        elif isinstance(item[1], dict):
            stack.append((f"{prefix}{item[0]}.", iter(item[1].items())))
        else:
            yield f"{prefix}{item[0]}", item[1]


def _numbers(raw: Any, depth: int = 0):
    """Numbers in the nesting written; ValueError saying what is wrong."""
    if isinstance(raw, list):
        if not raw:
            raise ValueError("expected numbers, got an empty list")
        if depth == MAX_NESTING:
            raise ValueError("lists nested deeper than a matrix (a list of rows); expected a number, "
                             "a list of numbers or a list of rows")
        numbers = [_numbers(item, depth + 1) for item in raw]
        kinds = {isinstance(n, Number) for n in numbers}
        if len(kinds) > 1 or (kinds == {False} and len({len(row) for row in numbers}) > 1):
            raise ValueError("expected a list of numbers or a list of rows of equal length")
        return tuple(numbers)
    return _number(raw)


def _number(raw: Any) -> Number:
    if isinstance(raw, bool):
        raise ValueError(f"expected a number, got {str(raw).lower()}")
    if isinstance(raw, int):
        if raw.bit_length() > 212 or len(str(raw)) > MAX_NUMBER_LENGTH:  # 2^212 ≈ 1e64
            raise ValueError(f"a number of more than {MAX_NUMBER_LENGTH} characters: {quoted(raw)}")
        return Number(float(raw), str(raw), 1.0)
    if isinstance(raw, float):
        written = getattr(raw, "text", str(raw))
        if math.isinf(raw) and "inf" not in written:  # 1e400: a number, but beyond float64
            raise ValueError(f"{written} is {_out_of_range}")
        if not np.isfinite(raw):
            raise ValueError(f"expected a finite number, got {written}")
        return _decimal(written)  # 6e4 as written: judged to the digits written, shown as written
    if isinstance(raw, str):
        text = raw.strip()
        if len(text) > MAX_NUMBER_LENGTH:
            raise ValueError(f"a number of more than {MAX_NUMBER_LENGTH} characters: {quoted(raw)}")
        fraction = _FRACTION.fullmatch(text)
        if fraction:
            return _fraction(*fraction.groups())
        if _DECIMAL.fullmatch(text):
            return _decimal(text)
        grouped = _GROUPED.fullmatch(text)
        if grouped:
            return replace(_decimal(text.replace(",", "").replace(" ", "")), text=text)
        leading_zero = _LEADING_ZERO_GROUPED.fullmatch(text)
        if leading_zero:
            sign, first, groups, decimals = leading_zero.groups()
            separator = groups[0]
            if first.strip("0") or groups.count(separator) > 1:  # 060,000, 0,001,728; 0,500 is a decimal comma
                digits = (first + groups.replace(separator, "")).lstrip("0") or "0"
                regrouped = f"{int(digits):,}".replace(",", separator)
                raise ValueError(f"{as_written(raw)}: a number with its thousands grouped does not start with 0; "
                                 f"write {sign}{regrouped}{decimals or ''}")
        if "," in text:
            pointed = text.replace(",", ".")
            example = (pointed, text) if _DECIMAL.fullmatch(pointed) else ("1.5", "1,5")  # the student's own, if one comma
            raise ValueError(f"{as_written(raw)}: a comma is read only between thousands (60,000, groups of three "
                             f"digits); write a decimal point, {example[0]}, not {example[1]}")
    raise ValueError(f"expected a number, a fraction such as \"1/3\" or a list, got {quoted(raw)}")


def _fraction(numerator: str, denominator: str) -> Number:
    exact = " ".join((numerator, "/", denominator))
    if int(denominator) == 0:
        raise ValueError(f"a fraction with denominator 0: {exact}")
    value = Fraction(int(numerator), int(denominator))
    if value != 0 and not SMALLEST_UNIT <= abs(value) <= _LARGEST:
        raise ValueError(f"{exact} is {_out_of_range}")
    return Number(float(value), f"{numerator}/{denominator}", None)


def _decimal(text: str) -> Number:
    """A decimal as written; its unit is the place value of its last digit."""
    mantissa, _, exponent = text.lower().replace("_", "").partition("e")  # TOML's 0.251_692: six decimals
    decimals = len(mantissa.partition(".")[2])
    place = int(exponent or 0) - decimals
    value = float(text)
    out_of_range = not abs(value) <= _LARGEST or (value != 0 and abs(value) < SMALLEST_UNIT)
    if out_of_range or not math.log10(SMALLEST_UNIT) <= place <= math.log10(_LARGEST):
        raise ValueError(f"{text} is {_out_of_range}")
    return Number(value, text, 10.0**place)


_LARGEST = 1e300
_out_of_range = "beyond what byhand can judge: numbers from 1e-300 to 1e300 in size, with no digit finer than 1e-300"
