"""A computational graph worked node by node: the values given, the forward pass, the backward pass.

Step ids: ``a.x`` for a given value and ``a.q`` for node q (section "given" and "forward"), and
``a.dq`` = ∂out/∂q for every node and value (section "backward"), starting from ``a.dL`` = 1 at the
output. Each gradient is (local derivative) · (upstream gradient), the local derivative SymPy's
derivative of the node's expression; a value that feeds several nodes gets the sum over them,
dx = (∂q/∂x)·dq + (∂r/∂x)·dr. A value's gradient is recorded as soon as every node it feeds has
its own. See README "The graph kind".

With vectors and matrices (solver/symbolic/matrix_graph.py), a product y = W @ x sends back
dW = dy xᵀ and dx = Wᵀ dy; any other node sends (local derivative, entry by entry) ∘ dy, summed
back to the input's shape where broadcasting repeated it (db = dy 𝟏 for a column bias), or
spread over every entry by a sum node (dh = dL · 𝟏).
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
from solver.symbolic.matrix_graph import Form, form_of, reduce_to
from solver.symbolic.numeric import compile_numpy, numpy_function


def solve(exercise: Exercise, overrides: Mapping[str, np.ndarray] | None = None, slip: Slip | None = None,
          *, require_finite: bool = True) -> Solution:
    """Work every part of the graph `exercise` (solver.engine.solve calls this)."""
    recorder = Recorder(overrides, source=exercise.path, require_finite=require_finite, limits=exercise.limits,
                        fractions=exercise.number_format == "fraction")
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
        value = _evaluate(node.expression, node.inputs, values, graph.matrices)
        values[node.name] = scope.record(node.name, "forward", "graph node", symbol(node.name), value,
                                         Formula((_expression(node.expression, node.inputs, values,
                                                              graph.matrices),)))
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
    if scope.slip is Slip.FIRST_GRADIENT_PATH_ONLY:  # or the first one written is kept, and the others dropped
        paths = paths[-1:]
    tokens: list[Token] = []
    total = 0.0
    for node in paths:
        upstream = gradients[node.name]
        if tokens:
            tokens.append(" + ")
        if graph.matrices:
            term, written = _matrix_term(scope, node, name, values, upstream)
            total, tokens = total + term, tokens + written
            continue
        local = _local_gradient(node, name, scope.slip)
        total = total + path_gradient(node, name, values, upstream.value, scope.slip)
        tokens += [*_factor(local, node, values), r" \cdot ", Ref(upstream.id)]
    return scope.record(f"d{name}", "backward", "graph gradient", gradient_symbol(graph.output, name), total,
                        Formula(tuple(tokens)))


def path_gradient(node: Node, name: str, values: Mapping[str, Tracked], upstream: np.ndarray,
                  slip: Slip | None = None) -> np.ndarray:
    """What scalar `node` sends back to `name`: its local derivative at `values` times its own
    gradient `upstream`; `name`'s gradient is the sum of these over the nodes it feeds."""
    return _evaluate(_local_gradient(node, name, slip), node.inputs, values) * upstream


def _local_gradient(node: Node, name: str, slip: Slip | None) -> sp.Expr:
    return node.local_gradient(name, reciprocal_sign_lost=slip is Slip.RECIPROCAL_DERIVATIVE_SIGN_LOST,
                               max_to_both=slip is Slip.MAX_GRADIENT_TO_BOTH)


def _matrix_term(scope: Scope, node: Node, name: str, values: Mapping[str, Tracked],
                 upstream: Tracked) -> tuple[np.ndarray, list[Token]]:
    """What `node` sends back to `name` when values are arrays, and how it is written."""
    if form_of(node) is Form.PRODUCT:
        left, right = (argument.name for argument in node.expression.args)
        if name == left:  # dW = dy xᵀ
            return upstream.value @ values[right].value.T, [Ref(upstream.id), " ", Ref(values[right].id, transpose=True)]
        return values[left].value.T @ upstream.value, [Ref(values[left].id, transpose=True), " ", Ref(upstream.id)]
    local = _local_gradient(node, name, scope.slip)
    worked = _evaluate(local, node.inputs, values, matrices=True) * upstream.value
    shape = np.shape(values[name].value)
    written: list[Token] = [Ref(upstream.id)]
    if local != 1:
        times = r" \circ " if np.ndim(upstream.value) else r" \cdot "
        written = [*_factor(local, node, values, matrices=True), times, Ref(upstream.id)]
    if np.size(worked) < np.prod(shape, dtype=int):
        written = [*written, r" \cdot \mathbf{1}"]  # every entry gets it
    elif shape == () and np.ndim(worked):
        written = [r"\operatorname{sum}\left(", *written, r"\right)"]
    elif shape != np.shape(worked):
        written = [r"\left(", *written, r"\right) \mathbf{1}"] if shape[1] == 1 else \
            [r"\mathbf{1}^{T} \left(", *written, r"\right)"]
    return reduce_to(worked, shape), written


def _factor(local: sp.Expr, node: Node, values: Mapping[str, Tracked], matrices: bool = False) -> tuple[Token, ...]:
    """The local derivative as a factor: in parentheses when it is a sum or has a minus sign."""
    bare = not (local.is_Add or local.could_extract_minus_sign())
    expression = _expression(local, node.inputs, values, matrices)
    return (expression,) if bare else (r"\left(", expression, r"\right)")


def _expression(expr: sp.Expr, inputs: tuple[str, ...], values: Mapping[str, Tracked],
                matrices: bool = False) -> Expression:
    refs = tuple((symbol_of(name), Ref(values[name].id)) for name in inputs if symbol_of(name) in expr.free_symbols)
    return Expression(expr, symbols=refs, elementwise=matrices)


def _evaluate(expr: sp.Expr, inputs: tuple[str, ...], values: Mapping[str, Tracked],
              matrices: bool = False) -> np.ndarray:
    arguments = tuple(symbol_of(name) for name in inputs)
    if matrices:  # no broadcasting to the inputs' shape: W @ x and sum(v) have shapes of their own
        return np.asarray(_compiled_as_written(arguments, expr)(*(values[name].value for name in inputs)), dtype=float)
    return _compiled(arguments, expr)(*(values[name].value for name in inputs))


@cache
def _compiled(arguments: tuple[sp.Symbol, ...], expression: sp.Expr):
    return numpy_function(arguments, expression)


@cache
def _compiled_as_written(arguments: tuple[sp.Symbol, ...], expression: sp.Expr):
    return compile_numpy(arguments, expression)
