"""Formulas and SymPy expressions as LaTeX: a step's formula written with symbols or with the
numbers substituted, an expression in scalar or elementwise notation, a derivation's lines.
The numbers themselves come from format.py.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import sympy as sp
from sympy.printing.latex import LatexPrinter

from solver.engine.steps import Step
from solver.exact import as_written
from solver.formula import Constant, Expression, Formula, Ref, Scalar
from solver.render.format import NumberFormat, matrix, shown


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
        if numbers and token.elementwise and self._all_single(token):  # 3 · 3, not 3 ∘ 3, between plain numbers
            token = replace(token, elementwise=False)
        return expression(token, names, substituted=numbers)

    def _all_single(self, token: Expression) -> bool:
        """Whether every value `token` refers to is one number."""
        values = [shown(self.steps[ref.step_id]) for _, ref in token.symbols]
        values += [constant.value for _, constant in token.constants]
        return all(np.size(value) == 1 for value in values)


def _operand(number: str) -> str:
    """A number that stands in a formula: in parentheses when it is negative, (−6)², 0.1 · (−6)."""
    return rf"\left({number}\right)" if number.startswith("-") else number
