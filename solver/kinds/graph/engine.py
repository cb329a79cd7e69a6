"""A computational graph worked node by node: the values given, the forward pass, the backward pass.

Step ids: ``a.x`` for a given value and ``a.q`` for node q (section "given" and "forward"), and
``a.dq`` = ∂out/∂q for every node and value (section "backward"), starting from ``a.dL`` = 1 at the
output. Each gradient is (local derivative) · (upstream gradient), the local derivative SymPy's
derivative of the node's expression; a value that feeds several nodes gets the sum over them,
dx = (∂q/∂x)·dq + (∂r/∂x)·dr. A value's gradient is recorded as soon as every node it feeds has
its own. See README "The graph kind".
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import numpy as np
import sympy as sp

from solver.engine.scope import Scope, Tracked
from solver.engine.slips import Slip
from solver.engine.steps import Recorder, Solution
from solver.exercise import Exercise
from solver.formula import Expression, Formula, Ref, Token
from solver.kinds.graph.reader import Part
from solver.symbolic.graph import Graph, Node, symbol_of
from solver.symbolic.numeric import numpy_function


def solve(exercise: Exercise, overrides: Mapping[str, np.ndarray] | None = None, slip: Slip | None = None,
          *, require_finite: bool = True) -> Solution:
    """Work every part of the graph `exercise` (solver.engine.solve calls this)."""
    recorder = Recorder(overrides, source=exercise.path, require_finite=require_finite, limits=exercise.limits)
    graph: Graph = exercise.setup
    with np.errstate(all="ignore"):
        for part in exercise.parts:
            scope = Scope(recorder, part, "", slip)
            values = forward_pass(scope, graph, part)
            backward_pass(scope, graph, values)
    return Solution(exercise, recorder.steps(), recorder.recomputed())


def symbol(name: str) -> str:
    """A name on the sheet: w0 is w₀, theta is θ."""
    return sp.latex(symbol_of(name))


def gradient_symbol(output: str, name: str) -> str:
    return rf"\frac{{\partial {symbol(output)}}}{{\partial {symbol(name)}}}"


def forward_pass(scope: Scope, graph: Graph, part: Part) -> dict[str, Tracked]:
    """The given values, then each node from its inputs, in evaluation order."""
    values = {name: scope.record(name, "given", "graph input", symbol(name), value) for name, value in part.values}
    for node in graph.nodes:
        value = _evaluate(node.expression, node.inputs, values)
        values[node.name] = scope.record(node.name, "forward", "graph node", symbol(node.name), value,
                                         Formula((_expression(node.expression, node.inputs, values),)))
    return values


def backward_pass(scope: Scope, graph: Graph, values: Mapping[str, Tracked]) -> dict[str, Tracked]:
    """∂out/∂name for every node, from the output back, and for every given value as soon as
    all the nodes it feeds have theirs."""
    output = graph.output
    gradients = {output: scope.record(f"d{output}", "backward", "graph gradient", gradient_symbol(output, output),
                                      1.0)}
    waiting = list(graph.inputs)
    for node in reversed(graph.nodes[:-1]):
        gradients[node.name] = _gradient(scope, graph, node.name, values, gradients)
        ready = [name for name in waiting if all(c.name in gradients for c in graph.consumers(name))]
        for name in ready:
            gradients[name] = _gradient(scope, graph, name, values, gradients)
            waiting.remove(name)
    for name in waiting:  # values that feed only the output
        gradients[name] = _gradient(scope, graph, name, values, gradients)
    return gradients


def _gradient(scope: Scope, graph: Graph, name: str, values: Mapping[str, Tracked],
              gradients: Mapping[str, Tracked]) -> Tracked:
    """Σ over the nodes `name` feeds of (local derivative) · (that node's gradient)."""
    paths = graph.consumers(name)
    if scope.slip is Slip.GRADIENT_PATHS_NOT_SUMMED:
        # worked back from the output, the path through the earliest node is the last one written,
        # and it overwrites the others (dx = … instead of dx += …)
        paths = paths[:1]
    tokens: list[Token] = []
    total = 0.0
    for node in paths:
        local = node.local_gradient(name, reciprocal_sign_lost=scope.slip is Slip.RECIPROCAL_DERIVATIVE_SIGN_LOST,
                                    max_to_both=scope.slip is Slip.MAX_GRADIENT_TO_BOTH)
        upstream = gradients[node.name]
        total = total + _evaluate(local, node.inputs, values) * upstream.value
        if tokens:
            tokens.append(" + ")
        tokens += [*_factor(local, node, values), r" \cdot ", Ref(upstream.id)]
    return scope.record(f"d{name}", "backward", "graph gradient", gradient_symbol(graph.output, name), total,
                        Formula(tuple(tokens)))


def _factor(local: sp.Expr, node: Node, values: Mapping[str, Tracked]) -> tuple[Token, ...]:
    """The local derivative as a factor: in parentheses when it is a sum or has a minus sign."""
    bare = not (local.is_Add or local.could_extract_minus_sign())
    expression = _expression(local, node.inputs, values)
    return (expression,) if bare else (r"\left(", expression, r"\right)")


def _expression(expr: sp.Expr, inputs: tuple[str, ...], values: Mapping[str, Tracked]) -> Expression:
    refs = tuple((symbol_of(name), Ref(values[name].id)) for name in inputs if symbol_of(name) in expr.free_symbols)
    return Expression(expr, symbols=refs, elementwise=False)


def _evaluate(expr: sp.Expr, inputs: tuple[str, ...], values: Mapping[str, Tracked]) -> np.ndarray:
    return _compiled(tuple(symbol_of(name) for name in inputs), expr)(*(values[name].value for name in inputs))


@cache
def _compiled(arguments: tuple[sp.Symbol, ...], expression: sp.Expr):
    return numpy_function(arguments, expression)
