"""Independent oracles for the graph kind: whole expressions written here as Python functions
(math.*) and as SymPy expressions, never through byhand's parser; central finite differences;
and a reader of a recorded formula that evaluates it exactly in SymPy."""

from __future__ import annotations

import math

import sympy as sp

from solver.engine.steps import Solution
from solver.formula import Expression, Ref


def central_difference(function, values: dict[str, float], name: str, h: float = 1e-6) -> float:
    """∂function/∂name at `values`, (f(x + h) − f(x − h)) / 2h."""
    up, down = dict(values), dict(values)
    up[name] += h
    down[name] -= h
    return (function(**up) - function(**down)) / (2 * h)


def sigmoid_neuron(w0, x0, w1, x1, w2):
    return 1 / (1 + math.exp(-(w0 * x0 + w1 * x1 + w2)))


def exact_values(solution: Solution, part: str = "a") -> dict[str, sp.Expr]:
    """Every step of `part` worked exactly: given values as rationals, each formula's tokens read
    back as arithmetic (an expression or a step is a factor; ·, + and parentheses as printed)."""
    exact: dict[str, sp.Expr] = {}
    for step in solution.steps:
        if step.part != part:
            continue
        if step.formula is None:
            exact[step.id] = sp.nsimplify(float(step.value), rational=True)
            continue
        total, term = sp.Integer(0), sp.Integer(1)
        for token in step.formula.tokens:
            if isinstance(token, Expression):
                term *= token.expr.xreplace({symbol: exact[ref.step_id] for symbol, ref in token.symbols})
            elif isinstance(token, Ref):
                term *= exact[token.step_id]
            elif token.strip() == "+":
                total, term = total + term, sp.Integer(1)
            else:
                assert token.strip() in (r"\cdot", r"\left(", r"\right)"), token
        exact[step.id] = total + term
    return exact
