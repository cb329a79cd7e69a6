"""The only place where numbers and matrices become text: LaTeX for a sheet, plain text for a
check report, TOML for an answers key. Formulas and expressions are printed by formula_latex.py,
which takes every number it writes from here.

Numbers get `precision` significant figures with trailing zeros dropped (0.549834, 0.1, 1);
anything smaller in size than `zero_tolerance` is floating-point noise and prints as 0;
very large or small numbers print as a × 10^k; counts have their thousands grouped. One rule
(`plain_digits`) decides a number's digits; LaTeX and plain text only spell them differently.
"""

from __future__ import annotations

import math
from fractions import Fraction
from dataclasses import dataclass
from typing import Any

import numpy as np

from solver.engine.steps import Step

DEFAULT_ZERO_TOLERANCE = 1e-12


WHOLE_LIMIT = 2**53
"""Whole numbers up to this are exact in float64, so `whole_numbers` can write every digit."""


@dataclass(frozen=True)
class NumberFormat:
    """`whole_numbers`: a whole number (below WHOLE_LIMIT) is written with every digit, grouped by
    thousands (138{,}357{,}544), not rounded to `precision` significant figures: for counts."""

    precision: int = 6
    zero_tolerance: float = DEFAULT_ZERO_TOLERANCE
    whole_numbers: bool = False
    elide: bool = False
    """Write a matrix with more than ELIDE_ABOVE rows or columns by its first and last EDGE_ITEMS of
    them, as NumPy prints a large array (⋮, ⋯, ⋱ between)."""
    fractions: bool = False
    """number_format = "fraction": a constant in a formula (η) written as a short decimal is
    written as its fraction too, beside the steps' fractions."""
    group_thousands: bool = True
    """With `whole_numbers`, a count's thousands are grouped, 105,705,600 (105{,}705{,}600 in LaTeX);
    False for a TOML file, whose numbers cannot hold a comma."""


def number(value: float | Fraction, style: NumberFormat) -> str:
    """One number as LaTeX: ``0.549834``, ``-0.113937``, ``0``, ``1.5 \\times 10^{-7}``; an exact
    Fraction as a fraction, ``-\\frac{3}{4}``."""
    if isinstance(value, Fraction):
        return fraction(value)
    text = plain_digits(float(value), style)
    if text in _LATEX_SPECIALS:
        return _LATEX_SPECIALS[text]
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text.replace(",", "{,}")


_LATEX_SPECIALS = {"nan": r"\mathrm{NaN}", "inf": r"\infty", "-inf": r"-\infty"}


def plain_digits(value: float, style: NumberFormat) -> str:
    """The one rule for a number's digits, as plain text: ``0.549834``, ``1.5e-07``, ``0`` for
    noise, ``nan``; with `style.whole_numbers` a whole number with every digit, its thousands
    grouped, ``105,705,600``. `number` writes the same digits in LaTeX."""
    if np.isnan(value):
        return "nan"
    if np.isinf(value):
        return "inf" if value > 0 else "-inf"
    if abs(value) < style.zero_tolerance:
        return "0"
    if style.whole_numbers and value.is_integer() and abs(value) <= WHOLE_LIMIT:
        return f"{int(value):,}" if style.group_thousands else str(int(value))
    return f"{value:.{style.precision}g}"


ELIDE_ABOVE = 10
EDGE_ITEMS = 3


def matrix(value: np.ndarray, style: NumberFormat) -> str:
    """A scalar as a number, anything else as a bmatrix: every entry, or with `style.elide` the
    first and last EDGE_ITEMS rows (columns) of a matrix with more than ELIDE_ABOVE of them."""
    array = np.asarray(value)
    if array.ndim == 0:
        return number(array[()], style)
    if array.ndim == 1:
        array = array.reshape(-1, 1)
    rows, columns = (_kept(length, style.elide) for length in array.shape)
    lines = (" & ".join(_entry(array, i, j, style) for j in columns) for i in rows)
    return r"\begin{bmatrix} " + r" \\ ".join(lines) + r" \end{bmatrix}"


def elided_shape(shape: tuple[int, ...]) -> tuple[int, ...]:
    """How many rows and columns a matrix of `shape` shows when elided (the gap counts as one)."""
    return tuple(len(_kept(length, True)) for length in shape)


def _kept(length: int, elide: bool) -> list[int | None]:
    """The indices shown along an axis, None where ⋮ or ⋯ stands for the ones left out."""
    if not elide or length <= ELIDE_ABOVE:
        return list(range(length))
    return [*range(EDGE_ITEMS), None, *range(length - EDGE_ITEMS, length)]


def _entry(array: np.ndarray, i: int | None, j: int | None, style: NumberFormat) -> str:
    if i is None:
        return r"\ddots" if j is None else r"\vdots"
    return r"\cdots" if j is None else number(array[i, j], style)


BRIEF = NumberFormat(precision=3)
"""Numbers in a picture have three significant figures; the sheet's equations have them all."""


def brief(value: float) -> tuple[str, str]:
    """A number for a picture, to three significant figures: (LaTeX, plain text with a true minus)."""
    return number(value, BRIEF), plain_number(value, None, BRIEF).replace("-", "−")


def plain_number(value: float, unit: float | None, style: NumberFormat) -> str:
    """A number as plain text for a report: to the place value `unit` (the last digit a student
    wrote) when given, else as the sheet writes it (`plain_digits`)."""
    value = float(value)
    if unit is None:
        return plain_digits(value, style)
    if abs(value) < style.zero_tolerance:
        return "0"
    decimals = max(0, round(-math.log10(unit)))
    text = f"{value:.{decimals}f}"
    return text.lstrip("-") if float(text) == 0 else text


def positional(value: float, digits: int) -> str:
    """`value` to `digits` significant figures (and every digit of its whole part) in positional
    notation, never with an exponent (Moodle's Cloze syntax reads none): ``0.0000005``,
    ``-0.113937``, ``138357544``."""
    value = float(value)
    if value == 0:
        return "0"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    text = f"{value:.{decimals}f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if float(text) == 0 else text


def plain_matrix(value: np.ndarray, units: list[float | None] | None, style: NumberFormat) -> str:
    """``0.5``, ``[0.2, 0.2]`` for a column, ``[[1, 2], [3, 4]]`` for a matrix; `units` row-major.
    An array of fractions (solver/exact.py) is written in fractions, ``[3/2, 5/6]``."""
    array = np.asarray(value)
    if array.dtype == object:
        texts = [plain_fraction(v) for v in array.ravel()]
    else:
        array = array.astype(float)
        flat_units = units if units is not None else [None] * array.size
        texts = [plain_number(v, u, style) for v, u in zip(array.ravel(), flat_units)]
    if array.size == 1:
        return texts[0]
    if array.ndim == 1 or (array.ndim == 2 and array.shape[1] == 1):
        return "[" + ", ".join(texts) + "]"
    columns = array.shape[1]
    rows = ("[" + ", ".join(texts[i : i + columns]) + "]" for i in range(0, len(texts), columns))
    return "[" + ", ".join(rows) + "]"


def shown(step: Step) -> np.ndarray:
    """What a sheet prints of a step: its exact fractions when it has them, else its float value."""
    return step.exact if step.exact is not None else step.value


def plain_fraction(value: Fraction) -> str:
    """A fraction as plain text: ``2``, ``-3``, ``1/2``, ``-3/4``."""
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def plain_nested(exact: np.ndarray) -> Any:
    """An array of fractions as nested lists of plain-text fractions (the shape of `value.tolist()`)."""
    return np.vectorize(plain_fraction, otypes=[object])(exact).tolist() if exact.size else exact.tolist()


def fraction(value: Fraction) -> str:
    """An exact rational as LaTeX: ``2``, ``-3``, ``\\frac{1}{2}``, ``-\\frac{3}{4}``."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    return rf"{sign}\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"
