"""Typed values read out of parsed TOML, each failure located by file and key path.

A key path reads like the file: ``network.layers[1].weights[2][0]``.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from pathlib import Path
from typing import Any

import numpy as np

from solver.arrays import read_only
from solver.errors import ExerciseError, Location, SolverError
from solver.locate import locate
from solver.text import matrix_in_words, quoted


MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_MAGNITUDE = 1e12
"""The largest number (in size) an exercise or answers file may give: products and powers of a few
such numbers stay far inside float64, so an overflow is refused at the key that caused it."""


def read_toml(path: str | Path, error: type[SolverError], what: str, parse_float=float) -> tuple[dict, str]:
    """Parse a TOML file and return it with its text; any reason it cannot be read becomes
    `error` naming the file. `parse_float` makes a float from its text, as tomllib's does."""
    name = str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise error("file not found", file=name) from None
    except IsADirectoryError:
        raise error(f"expected {what}, got a directory", file=name) from None
    except OSError as problem:
        raise error(f"cannot read the file ({problem.strerror})", file=name) from None
    if len(raw) > MAX_FILE_BYTES:
        raise error(f"larger than {MAX_FILE_BYTES // 2**20} MiB; expected {what} of a hand-sized exercise", file=name)
    try:
        text = raw.decode("utf-8")
        return tomllib.loads(text, parse_float=parse_float), text
    except UnicodeDecodeError:
        raise error("not a text file in UTF-8", file=name) from None
    except tomllib.TOMLDecodeError as problem:
        raise error(f"invalid TOML: {problem}", file=name) from None
    except RecursionError:
        raise error("invalid TOML: lists or tables nested too deeply", file=name) from None
    except ValueError:  # Python refuses to read an integer of more than 4,300 digits
        raise error("invalid TOML: a number with thousands of digits", file=name) from None


class FieldReader:
    """Reads values out of parsed TOML, raising ExerciseError with the file and key path."""

    def __init__(self, path: str, source: str | None = None):
        self.path = path
        self.source = source

    def error(self, key: str, message: str) -> ExerciseError:
        return ExerciseError(message, file=self.path, key=key, line=self.location(key).line)

    def location(self, key: str) -> Location:
        """`key` with its line in the file, when the file's text is known: for an error found later."""
        return Location(key, locate(self.source, key) if self.source is not None else None)

    def table(self, data: Any, key: str, allowed: set[str]) -> dict:
        if not isinstance(data, dict):
            raise self.error(key, f"expected a table, got {describe(data)}")
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise self.error(join(key, unknown[0]),
                             f"unknown key{closest(unknown[0], allowed)}; expected one of {', '.join(sorted(allowed))}")
        return data

    def text(self, data: dict, key: str, where: str, default: str | None = None, maximum: int | None = None) -> str:
        value = data.get(key, default)
        if not isinstance(value, str):
            raise self.error(join(where, key), f"expected text, got {describe(value)}")
        if maximum is not None and len(value) > maximum:
            raise self.error(join(where, key), f"expected at most {maximum:,} characters, got {len(value):,}")
        return value

    def choice(self, data: dict, key: str, where: str, options, default: str) -> str:
        """One of `options`; written in other capitals ("L1" for "l1") it is that option."""
        value = self.text(data, key, where, default)
        same = [option for option in options if str(option).casefold() == value.casefold()]
        if value not in options and len(same) == 1:
            return same[0]
        if value not in options:
            raise self.error(join(where, key), f"expected one of {', '.join(map(repr, options))}, got "
                                               f"{quoted(value)}{closest(value, options)}")
        return value

    def boolean(self, data: dict, key: str, where: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            raise self.error(join(where, key), f"expected true or false, got {describe(value)}")
        return value

    def integer(self, data: dict, key: str, where: str, default: int | None = None, minimum: int = 1,
                maximum: int | None = None) -> int:
        value = data.get(key, default)
        bounds = f"from {minimum} to {maximum}" if maximum is not None else f"≥ {minimum}"
        if (isinstance(value, bool) or not isinstance(value, int) or value < minimum
                or (maximum is not None and value > maximum)):
            raise self.error(join(where, key), f"expected a whole number {bounds}, got {describe(value)}")
        return value

    def symbol(self, data: dict, key: str, where: str) -> str:
        """A math symbol for the sheet, in SYMBOL_GRAMMAR, so that an exercise file cannot reach
        LaTeX commands such as \\input or \\write18, nor make a sheet that does not compile."""
        value = self.text(data, key, where)
        if len(value) > MAX_SYMBOL_LENGTH or not SYMBOL_GRAMMAR.fullmatch(value):
            raise self.error(join(where, key), "expected a symbol: a letter or Greek letter (\\theta), with at most "
                             "one accent or font (\\hat{y}, \\mathcal{L}), primes and sub/superscripts of letters "
                             f"and digits (W_{{ij}}), at most {MAX_SYMBOL_LENGTH} characters; got {quoted(value)}")
        return value

    def bracket(self, data: dict, key: str, where: str) -> str:
        """What stands around a layer number: one of LAYER_BRACKETS."""
        return self.choice(data, key, where, LAYER_BRACKETS, LAYER_BRACKETS[0])

    def number(self, value: Any, key: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.error(key, f"expected a number, got {describe(value)}")
        if isinstance(value, int) and abs(value) > 2**53:  # TOML integers are unbounded; float64 is not
            raise self.error(key, f"expected a number below 2^53 in size, got {huge_integer(value)}")
        if not math.isfinite(value):
            raise self.error(key, f"expected a finite number, got {value}")
        if abs(value) > MAX_MAGNITUDE:
            raise self.error(key, f"expected a number of at most 10^12 in size, got {value:.3g}: a hand exercise's "
                                  "numbers are far smaller, and larger ones overflow the calculation")
        return float(value)

    def vector(self, value: Any, key: str, length: int, what: str) -> np.ndarray:
        """A list of `length` numbers, as a column."""
        if not isinstance(value, list) or len(value) != length:
            raise self.error(key, f"expected {length} numbers ({what}), got {describe(value)}")
        fast = _plain_numbers(value)
        if fast is not None:
            return read_only(fast.reshape(-1, 1))
        return read_only([[self.number(v, f"{key}[{i}]")] for i, v in enumerate(value)])

    def matrix_or_constant(self, value: Any, key: str, rows: int, columns: int) -> np.ndarray:
        """A number filling a rows × columns matrix, or the matrix written as a list of rows."""
        if not isinstance(value, list):
            return read_only(np.full((rows, columns), self.number(value, key)))
        expected = f"a number or {matrix_in_words(rows, columns)}"
        if len(value) != rows or not all(isinstance(row, list) and len(row) == columns for row in value):
            raise self.error(key, f"expected {expected}, got {describe(value)}")
        fast = _plain_numbers([v for row in value for v in row])
        if fast is not None:
            return read_only(fast.reshape(rows, columns))
        return read_only([[self.number(v, f"{key}[{i}][{j}]") for j, v in enumerate(row)] for i, row in enumerate(value)])


def _plain_numbers(values: list) -> np.ndarray | None:
    """`values` as float64 when every one is a number `FieldReader.number` accepts, checked all at
    once (a 784-wide matrix is read in a blink); else None, and the caller finds the one to name."""
    if not all(type(v) is float or type(v) is int for v in values):  # bool is not int here, by design
        return None
    if any(type(v) is int and abs(v) > 2**53 for v in values):
        return None
    array = np.array(values, dtype=np.float64)
    if not np.all(np.abs(array) <= MAX_MAGNITUDE):  # NaN and inf fail this too
        return None
    return array


def closest(name: str, options) -> str:
    """", did you mean 'x'?" when one of `options` is close to `name`, else ""."""
    written = str(name)[:100].casefold()
    by_folded = {str(option).casefold(): str(option) for option in options}
    # a word of four letters or fewer with one wrong ("maks" for "max") scores below difflib's usual 0.6
    cutoff = 0.55 if len(written) <= 4 else 0.6
    match = difflib.get_close_matches(written, list(by_folded), n=1, cutoff=cutoff)
    return f" (did you mean {by_folded[match[0]]!r}?)" if match else ""


def huge_integer(value: int) -> str:
    """An integer too large for float64 (or for str()), described by its number of digits."""
    return f"an integer of about {int(value.bit_length() * 0.30103) + 1} digits"


def join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, list):
        shape = shape_of(value)
        if len(shape) == 1:
            return f"a list of {shape[0]}"
        return f"a {'×'.join(map(str, shape))} list" if shape else "a list"
    if isinstance(value, dict):
        return "a table"
    return quoted(value)


def shape_of(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list):
        return ()
    inner = {shape_of(v) for v in value}
    return (len(value), *inner.pop()) if len(inner) == 1 else (len(value),)


_GREEK = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi varpi rho "
    "varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi "
    "Psi Omega ell nabla"
).split()
_ACCENTS = "hat tilde bar vec dot ddot check breve widehat widetilde overline".split()
_FONTS = "mathbf mathrm mathit mathcal mathsf boldsymbol".split()
_LETTER = r"(?:[A-Za-z]|\\(?:" + "|".join(_GREEK) + r")(?![A-Za-z]))"
_FONTED = r"(?:\\(?:" + "|".join(_FONTS) + r")\{" + _LETTER + r"{1,3}\}|" + _LETTER + ")"
_BASE = r"(?:\\(?:" + "|".join(_ACCENTS) + r")\{" + _FONTED + r"\}|" + _FONTED + ")"
_SCRIPT = r"(?:[_^](?:[A-Za-z0-9]|\{[A-Za-z0-9()\[\],+\-]{1,8}\}))"
MAX_SYMBOL_LENGTH = 40
_SUB, _SUP = _SCRIPT.replace("[_^]", "_"), _SCRIPT.replace("[_^]", r"\^")
# at most one subscript and one superscript, in either order: TeX refuses y_{i}_{j}
SYMBOL_GRAMMAR = re.compile(_BASE + "'{0,2}" + f"(?:{_SUB}?{_SUP}?|{_SUP}{_SUB})")
"""A notation symbol: one base letter (Latin, or a Greek letter by its LaTeX name), in at most one
font (\\mathbf{…}, up to three letters) and under at most one accent (\\hat{…}), then up to two
primes and at most one subscript and one superscript of letters, digits and ( ) [ ] , + -: ``t``, ``\\hat{y}``,
``\\theta``, ``\\mathcal{L}``, ``W_{ij}``, ``y^{(k)}``, ``y'``. Nothing else reaches LaTeX: no other
command, no ``^^`` (TeX's way of writing any character, a backslash included), no space, no
unbalanced brace."""
LAYER_BRACKETS = ("", "(", ")", "[", "]", "<", ">", "|")
"""What may stand around a layer number (the `layer_open` and `layer_close` symbols)."""
