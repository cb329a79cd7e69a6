"""Exact rational values beside the float ones: any kind's engine may compute a step with SymPy
Rationals and record the result as `Step.exact`, an array of fractions.Fraction of the value's
shape. The float `value` stays what every comparison uses (the checker, JSON's "value"); the
fractions are what a sheet prints (solver/render/format.py) and JSON's "exact" strings.

A datum is "rational as written" when the file writes it as a whole number or as a short decimal:
0.25 is 1/4, 0.1 is 1/10 (read from the decimal text, not from the binary float nearest to it).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

SHORT_DECIMALS = 4
"""`exact = "auto"` works in fractions when every datum has at most this many decimals."""
SHORT_SIZE = 10**6


def to_fraction(value: float | int | Fraction) -> Fraction:
    """The rational a number is written as: a float by its shortest decimal text (repr), so 0.1 is 1/10."""
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    return Fraction(repr(float(value)))


def is_short_decimal(value: float | int) -> bool:
    """Whether `value` is a whole number or a decimal of at most SHORT_DECIMALS places, below a
    million in size: data a person would work in fractions by hand."""
    fraction = to_fraction(value)
    return abs(fraction) < SHORT_SIZE and (10**SHORT_DECIMALS) % fraction.denominator == 0


def all_short(values: Iterable[Any]) -> bool:
    return all(is_short_decimal(v) for v in values)


def rational_matrix(array: np.ndarray) -> sp.Matrix:
    """A float matrix as a SymPy matrix of Rationals, each entry the rational it is written as."""
    array = np.asarray(array, dtype=float)
    if array.ndim < 2:
        array = array.reshape(-1, 1)
    return sp.Matrix(array.shape[0], array.shape[1],
                     [sp.Rational(to_fraction(v).numerator, to_fraction(v).denominator) for v in array.ravel()])


def fractions(value: sp.Matrix | sp.Expr | Fraction | int) -> np.ndarray:
    """A SymPy Rational matrix (or one Rational) as a read-only object array of Fractions: a
    matrix keeps its shape, a single number has shape ()."""
    if isinstance(value, sp.MatrixBase):
        entries = [_fraction(v) for v in value]
        array = np.empty(len(entries), dtype=object)
        array[:] = entries
        array = array.reshape(value.shape)
    else:
        array = np.empty((), dtype=object)
        array[()] = _fraction(value)
    array.setflags(write=False)
    return array


def floats(exact: np.ndarray) -> np.ndarray:
    """The float values of an array of fractions; one too large for float64 is ±inf (which the
    recorder then refuses as it refuses any overflow)."""
    return np.vectorize(_float, otypes=[float])(exact) if exact.size else np.zeros(exact.shape)


def _float(value: Fraction) -> float:
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _fraction(value: Any) -> Fraction:
    if isinstance(value, (Fraction, int)) and not isinstance(value, bool):
        return Fraction(value)
    rational = sp.Rational(value)
    if not rational.is_Rational:
        raise ValueError(f"not a rational number: {value}")
    return Fraction(int(rational.p), int(rational.q))


def fractions_of(exact: Any) -> np.ndarray:
    """`exact` (a SymPy Rational matrix or number, or an array of Fractions) as a read-only object
    array of Fractions."""
    if isinstance(exact, np.ndarray) and exact.dtype == object:
        array = np.empty(exact.shape, dtype=object)
        for index in np.ndindex(exact.shape):
            array[index] = _fraction(exact[index])
        array.setflags(write=False)
        return array
    return fractions(exact)


def dependence(matrix: sp.Matrix) -> tuple[int, tuple[tuple[int, Fraction], ...]] | None:
    """One linear dependence among the columns of a Rational matrix, or None when they are
    independent: (j, ((i, c), …)) meaning column j = Σ c × column i (columns from 0; no terms when
    column j is all zeros). Column j is the last one the dependence involves."""
    null = matrix.nullspace()
    if not null:
        return None
    vector = null[0]
    j = max(i for i in range(len(vector)) if vector[i] != 0)
    terms = tuple((i, _fraction(-vector[i] / vector[j])) for i in range(j) if vector[i] != 0)
    return j, terms


WRITTEN_DECIMALS = 6
"""With number_format = "fraction", a given value is exact when it is a whole number or a decimal
of at most this many places, below 10^12 in size (a drawn random weight is not)."""


def as_written(value: Any) -> np.ndarray | None:
    """Every entry of `value` as the fraction it is written as, or None when some entry is not a
    short decimal (WRITTEN_DECIMALS places): the exact value of a given step."""
    array = np.asarray(value)
    if array.dtype.kind not in "iuf":
        return None
    exact = np.empty(array.shape, dtype=object)
    for index in np.ndindex(array.shape):
        entry = array[index]
        if not math.isfinite(entry):
            return None
        fraction = to_fraction(entry.item() if hasattr(entry, "item") else entry)
        if (10**WRITTEN_DECIMALS) % fraction.denominator or abs(fraction) >= 10**12:
            return None
        exact[index] = fraction
    exact.setflags(write=False)
    return exact


def substituted(expr: sp.Expr, values: dict[sp.Symbol, np.ndarray], shape: tuple[int, ...]) -> np.ndarray | None:
    """`expr` evaluated exactly, entry by entry, with each symbol replaced by the matching entry of
    its array of fractions (broadcast to `shape`); None unless every result is rational (an exp,
    a root or a symbol left over makes it None), so no float ever becomes a fraction here."""
    if expr.free_symbols - set(values):
        return None
    symbols = list(values)
    try:
        arrays = [np.broadcast_to(values[symbol], shape) for symbol in symbols]
    except ValueError:
        return None
    exact = np.empty(shape, dtype=object)
    known: dict[tuple, Fraction | None] = {}
    for index in np.ndindex(shape):
        key = tuple(array[index] for array in arrays)
        if key not in known:
            result = expr.subs({s: sp.Rational(v.numerator, v.denominator) for s, v in zip(symbols, key)})
            known[key] = Fraction(int(result.p), int(result.q)) if result.is_Rational else None
        if known[key] is None:
            return None
        exact[index] = known[key]
    exact.setflags(write=False)
    return exact


def agrees(exact: np.ndarray, value: Any) -> bool:
    """Whether fractions `exact` are the float `value` (to float rounding): a guard that a fraction
    printed on a sheet is the number the engine used."""
    value = np.asarray(value, dtype=float)
    return exact.shape == value.shape and bool(np.allclose(floats(exact), value, rtol=1e-9, atol=1e-12))


READABLE = 10**9
"""A fraction a sheet writes has a denominator (and numerator) of at most this size; a longer one
is written as a decimal, which a person can read."""


def readable(exact: np.ndarray) -> bool:
    return all(abs(f.numerator) <= READABLE * 10**6 and f.denominator <= READABLE for f in exact.flat)
