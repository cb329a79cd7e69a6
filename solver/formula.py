"""Formulas as tokens: text, a step (`Ref`), a constant, or a SymPy expression.

The engine writes a step's formula this way, derivations write their lines this way, and the
renderer prints them, once with symbols and once with the numbers substituted, so no LaTeX
string is ever taken apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp


@dataclass(frozen=True)
class Ref:
    """The value of another step, transposed when `transpose` is set."""

    step_id: str
    transpose: bool = False


@dataclass(frozen=True)
class Constant:
    """A value that is not a step (the learning rate, a column of ones), with its symbol."""

    symbol: str
    value: np.ndarray


class Scalar(sp.Symbol):
    """A symbol that stands for one number (η, β₁, t): in an elementwise product it is a
    coefficient, written in front without a circle."""


@dataclass(frozen=True)
class Expression:
    """A SymPy expression. `symbols` stand for steps, `constants` for values that are not steps
    (printed as their symbol, or their number when substituted), `names` are printed as the
    LaTeX given; products are elementwise (printed with a circle) unless `elementwise` is False."""

    expr: sp.Expr
    symbols: tuple[tuple[sp.Symbol, Ref], ...] = ()
    names: tuple[tuple[sp.Symbol, str], ...] = ()
    elementwise: bool = True
    constants: tuple[tuple[sp.Symbol, Constant], ...] = ()


Token = str | Ref | Constant | Expression


@dataclass(frozen=True)
class Formula:
    """How a step is computed. `substitute` is False where writing the numbers in would not help
    (a Piecewise derivative, a Jacobian applied column by column, a double sum)."""

    tokens: tuple[Token, ...]
    substitute: bool = True

    @property
    def refs(self) -> tuple[Ref, ...]:
        found: list[Ref] = []
        for token in self.tokens:
            if isinstance(token, Ref):
                found.append(token)
            elif isinstance(token, Expression):
                found.extend(ref for _, ref in token.symbols)
        return tuple(found)
