"""The only place where numbers, matrices, formulas and expressions become LaTeX text.

Numbers get `precision` significant figures with trailing zeros dropped (0.549834, 0.1, 1);
anything smaller in size than `zero_tolerance` is floating-point noise and prints as 0;
very large or small numbers print as a × 10^k.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import sympy as sp
from sympy.printing.latex import LatexPrinter

from solver.engine.steps import Constant, Expression, Formula, Ref, Step

DEFAULT_ZERO_TOLERANCE = 1e-12


@dataclass(frozen=True)
class NumberFormat:
    precision: int = 6
    zero_tolerance: float = DEFAULT_ZERO_TOLERANCE


def number(value: float, style: NumberFormat) -> str:
    """One number as LaTeX: ``0.549834``, ``-0.113937``, ``0``, ``1.5 \\times 10^{-7}``."""
    value = float(value)
    if np.isnan(value):
        return r"\mathrm{NaN}"
    if np.isinf(value):
        return r"\infty" if value > 0 else r"-\infty"
    if abs(value) < style.zero_tolerance:
        return "0"
    text = f"{value:.{style.precision}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def matrix(value: np.ndarray, style: NumberFormat) -> str:
    """A scalar as a number, anything else as a bmatrix with every entry written out."""
    array = np.asarray(value)
    if array.ndim == 0:
        return number(array, style)
    if array.ndim == 1:
        array = array.reshape(-1, 1)
    rows = (" & ".join(number(entry, style) for entry in row) for row in array)
    return r"\begin{bmatrix} " + r" \\ ".join(rows) + r" \end{bmatrix}"


def plain_number(value: float, unit: float | None, style: NumberFormat) -> str:
    """A number as plain text for a report: to the place value `unit` (the last digit a student
    wrote) when given, else to the style's significant figures."""
    value = float(value)
    if abs(value) < style.zero_tolerance:
        return "0"
    if unit is None:
        return f"{value:.{style.precision}g}"
    decimals = max(0, round(-math.log10(unit)))
    text = f"{value:.{decimals}f}"
    return text.lstrip("-") if float(text) == 0 else text


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


class _ElementwisePrinter(LatexPrinter):
    """LaTeX for expressions whose symbols stand for matrices: products are elementwise (a
    circle between factors), quotients are elementwise fractions, a number stays a scalar factor."""

    def _print_Mul(self, expr):
        coefficient, rest = expr.as_coeff_Mul()
        if rest == 1 or not isinstance(rest, sp.Mul) and not rest.is_Pow:
            return super()._print_Mul(expr)
        numerator, denominator = sp.fraction(rest)
        factors = sp.Mul.make_args(numerator)
        body = r" \circ ".join(self.parenthesize(f, 50) for f in factors)
        if denominator != 1:
            body = rf"\frac{{{body}}}{{{self._print(denominator)}}}"
        if coefficient == -1:
            return "- " + body
        if coefficient != 1:
            return self._print(coefficient) + " " + body
        return body


def expression(token: Expression, names: dict[sp.Symbol, str]) -> str:
    """`token`'s expression with each symbol printed as `names` says."""
    all_names = dict(token.names) | names
    settings = {"symbol_names": all_names, "order": "none"}
    printer = _ElementwisePrinter(settings) if token.elementwise else LatexPrinter(settings)
    return printer.doprint(token.expr)


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
        return matrix(step.value, self.style)

    def _ref(self, ref: Ref, numbers: bool) -> str:
        step = self.steps[ref.step_id]
        if numbers:
            return matrix(step.value.T if ref.transpose else step.value, self.style)
        if ref.transpose:
            return rf"\left({step.symbol}\right)^{{T}}"
        return step.symbol

    def _token(self, token, numbers: bool) -> str:
        if isinstance(token, str):
            return token
        if isinstance(token, Ref):
            return self._ref(token, numbers)
        if isinstance(token, Constant):
            return matrix(token.value, self.style) if numbers else token.symbol
        names = {symbol: self._ref(ref, numbers) for symbol, ref in token.symbols}
        return expression(token, names)
