"""The arguments of the public functions, checked where they come in.

A wrong argument is a SolverError whose key is the parameter's own name (`count`, `sigfigs`):
from Python that is the name the caller wrote, and the CLI turns it into the option that set it
(`--count`, `--variants`), so that neither ever reads a raw TypeError or another command's option.
"""

from __future__ import annotations

import math
import os
from numbers import Integral, Real

import numpy as np

from solver.errors import SolverError
from solver.text import quoted


def whole_number(value: object, name: str, low: int, high: int | None = None, what: str = "a whole number") -> int:
    """`value` as an int when it is a whole number (an int, or NumPy's) from `low` to `high` (no upper
    bound when None); a bool is not a number."""
    if not isinstance(value, Integral) or isinstance(value, (bool, np.bool_)):
        raise SolverError(f"expected {what}, got {_described(value)}", key=name)
    value = int(value)
    if value < low or (high is not None and value > high):
        bounds = f"from {low:,} to {high:,}" if high is not None else f"of {low:,} or more"
        raise SolverError(f"expected {what} {bounds}, got {value:,}", key=name)
    return value


def real_number(value: object, name: str, low: float, below: float, what: str = "a number") -> float:
    """`value` as a float when it is a real number (NumPy's too) with low ≤ value < below."""
    if not isinstance(value, Real) or isinstance(value, (bool, np.bool_)):
        raise SolverError(f"expected {what}, got {_described(value)}", key=name)
    if not (math.isfinite(value) and low <= value < below):
        raise SolverError(f"expected {what} of at least {low:g} and below {below:g}, got {value:g}", key=name)
    return float(value)


def reference(value: object, name: str, what: str) -> str | os.PathLike:
    """A path or a name given as `name`: a str or an os.PathLike."""
    if not isinstance(value, (str, os.PathLike)):
        raise SolverError(f"expected {what}, got {_described(value)}", key=name)
    return value


def choice(value: object, name: str, options) -> str:
    """`value` when it is one of `options` (strings)."""
    if not isinstance(value, str) or value not in options:
        raise SolverError(f"expected one of {', '.join(options)}, got {_described(value)}", key=name)
    return value


def flag(value: object, name: str) -> bool:
    """`value` when it is True or False (NumPy's too)."""
    if not isinstance(value, (bool, np.bool_)):
        raise SolverError(f"expected True or False, got {_described(value)}", key=name)
    return bool(value)


def instance(value: object, name: str, kind: type, what: str):
    """`value` when it is a `kind`."""
    if not isinstance(value, kind):
        raise SolverError(f"expected {what}, got {_described(value)}", key=name)
    return value


def _described(value: object) -> str:
    """A value a caller passed, in words: None, True, str 'x', int 3, float64 2.5, a list."""
    if value is None or isinstance(value, (bool, np.bool_)):
        return repr(bool(value)) if value is not None else "None"
    if isinstance(value, str):
        return f"str {quoted(value)}"
    if isinstance(value, int) and value.bit_length() > 200:
        return quoted(value)  # described by its size
    if isinstance(value, Real):
        return f"{type(value).__name__} {quoted(value) if isinstance(value, int) else value}"
    name = type(value).__name__
    return f"{'an' if name[0].lower() in 'aeiou' else 'a'} {name}"
