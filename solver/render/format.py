"""The only place where numbers, matrices, formulas and expressions become text: LaTeX for a
sheet, plain text for a check report, TOML for an answers key.

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
import sympy as sp
from sympy.printing.latex import LatexPrinter

from solver.engine.steps import Step
from solver.exact import as_written
from solver.formula import Constant, Expression, Formula, Ref, Scalar

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
    """``0.5``, ``[0.2, 0.2]`` for a column, ``[[1, 2], [3, 4]]`` for a matrix; `units` row-major."""
    array = np.asarray(value, dtype=float)
    flat_units = units if units is not None else [None] * array.size
    texts = [plain_number(v, u, style) for v, u in zip(array.ravel(), flat_units)]
    if array.size == 1:
        return texts[0]
    if array.ndim == 1 or (array.ndim == 2 and array.shape[1] == 1):
        return "[" + ", ".join(texts) + "]"
    columns = array.shape[1]
    rows = ("[" + ", ".join(texts[i : i + columns]) + "]" for i in range(0, len(texts), columns))
    return "[" + ", ".join(rows) + "]"


class _ScalarPrinter(LatexPrinter):
    """LaTeX as a person writes a formula: factors in the order given, and in a sum the terms
    with a plus sign first (x − t, 1 − x², not −t + x)."""

    def __init__(self, settings=None):
        super().__init__({"order": "none", **(settings or {})})

    def _print_Add(self, expr, order=None):
        terms = sorted(expr.args, key=lambda term: term.could_extract_minus_sign())
        text = self._print(terms[0])
        for term in terms[1:]:
            if term.could_extract_minus_sign():
                text += " - " + self.parenthesize(-term, 40)
            else:
                text += " + " + self.parenthesize(term, 40)
        return text

    def _print_Heaviside(self, expr):
        """An indicator as an Iverson bracket, [x ≥ y] (1 when it holds, else 0); the second
        argument is its value at 0, which decides ≥ or >."""
        argument, at_zero = expr.args[0], (expr.args[1] if len(expr.args) > 1 else None)
        terms = sp.Add.make_args(argument)
        left = sp.Add(*(t for t in terms if not t.could_extract_minus_sign()))
        right = -sp.Add(*(t for t in terms if t.could_extract_minus_sign()))
        relation = r"\geq" if at_zero == 1 else ">"
        return rf"\left[{self._print(left)} {relation} {self._print(right)}\right]"


class _ElementwisePrinter(_ScalarPrinter):
    """LaTeX for expressions whose symbols stand for matrices: products are elementwise (a
    circle between factors), quotients are elementwise fractions, a number stays a scalar factor."""

    def _print_Mul(self, expr):
        args = list(expr.args)  # in the order given: an unevaluated product keeps the chain rule's order
        coefficient = sp.Mul(*[a for a in args if a.is_Number])
        rest = [a for a in args if not a.is_Number]
        if not rest:
            return self._print(coefficient)
        below = [a.base ** -a.exp for a in rest if a.is_Pow and a.exp.is_negative]
        above = [a for a in rest if not (a.is_Pow and a.exp.is_negative)]
        body = self._product(above) if above else "1"
        if below and len(above) == 1:  # a fraction's bar groups its numerator: no parentheses
            body = self._print(above[0])
        if below:
            denominator = self._print(below[0]) if len(below) == 1 else self._product(below)
            body = rf"\frac{{{body}}}{{{denominator}}}"
        if coefficient == -1:
            return "- " + body
        if coefficient != 1:
            return self._print(coefficient) + self._times + body
        return body

    @property
    def _times(self) -> str:
        return r" \cdot " if self._settings.get("mul_symbol") == "dot" else " "

    def _product(self, factors) -> str:
        """Factors that stand for numbers (Scalar symbols) first, side by side (with a dot between
        them once numbers stand in their place), then the others joined by the elementwise circle."""
        scalars = [f for f in factors if _is_scalar(f)]
        arrays = [f for f in factors if not _is_scalar(f)]
        printed = [self.parenthesize(f, 50) for f in scalars]
        if arrays:
            printed.append(r" \circ ".join(self.parenthesize(f, 50) for f in arrays))
        return self._times.join(printed)


def _is_scalar(factor: sp.Expr) -> bool:
    return bool(factor.free_symbols) and all(isinstance(s, Scalar) for s in factor.free_symbols)


def expression(token: Expression, names: dict[sp.Symbol, str], substituted: bool = False) -> str:
    """`token`'s expression with each symbol printed as `names` says; `substituted` when the names
    are numbers, which then need a dot between them (2 · 0.5, not 2 0.5)."""
    all_names = dict(token.names) | names
    settings = {"symbol_names": all_names, **({"mul_symbol": "dot"} if substituted else {})}
    printer = _ElementwisePrinter(settings) if token.elementwise else _ScalarPrinter(settings)
    return printer.doprint(token.expr)


def expression_latex(expr: sp.Expr) -> str:
    """A SymPy expression in ordinary (scalar) notation."""
    return _ScalarPrinter().doprint(expr)


def derivation_lines(derivation) -> list[tuple[str, str]]:
    """(left, right) LaTeX of each line of a Derivation; a remark follows the right side."""
    printer = FormulaPrinter({}, NumberFormat())  # a derivation has symbols only, no steps

    def side(parts) -> str:
        return printer.symbolic(Formula(parts))

    lines = []
    for line in derivation.lines:
        right = side(line.right)
        if line.note or line.note_math:
            remark = r"\;".join(part for part in (rf"\text{{{line.note}}}" if line.note else "", line.note_math) if part)
            right += rf" \qquad {remark}"
        lines.append((side(line.left), right))
    return lines


class FormulaPrinter:
    """Prints a step's formula with symbols or with numbers, looking steps up by id."""

    def __init__(self, steps: dict[str, Step], style: NumberFormat):
        self.steps = steps
        self.style = style

    def symbolic(self, formula: Formula) -> str:
        return "".join(self._token(token, numbers=False) for token in formula.tokens)

    def substituted(self, formula: Formula) -> str:
        return "".join(self._token(token, numbers=True) for token in formula.tokens)

    def result(self, step: Step) -> str:
        return matrix(shown(step), self.style)

    def _ref(self, ref: Ref, numbers: bool) -> str:
        step = self.steps[ref.step_id]
        if numbers:
            value = shown(step)
            return _operand(matrix(value.T if ref.transpose else value, self.style))
        if ref.transpose:
            return rf"\left({step.symbol}\right)^{{T}}"
        return step.symbol

    def _token(self, token, numbers: bool) -> str:
        if isinstance(token, str):
            return token
        if isinstance(token, Ref):
            return self._ref(token, numbers)
        if isinstance(token, Constant):
            if not numbers:
                return token.symbol
            exact = as_written(token.value) if self.style.fractions else None
            return _operand(matrix(token.value if exact is None else exact, self.style))
        names = {symbol: self._ref(ref, numbers) for symbol, ref in token.symbols}
        names |= {symbol: self._token(constant, numbers) for symbol, constant in token.constants}
        return expression(token, names, substituted=numbers)


def shown(step: Step) -> np.ndarray:
    """What a sheet prints of a step: its exact fractions when it has them, else its float value."""
    return step.exact if step.exact is not None else step.value


def _operand(number: str) -> str:
    """A number that stands in a formula: in parentheses when it is negative, (−6)², 0.1 · (−6)."""
    return rf"\left({number}\right)" if number.startswith("-") else number


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
