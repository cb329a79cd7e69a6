"""The picture of a graph, as the CS231n notes draw one: the given values on the left, a circle per
node with its operation (+, ×, exp, 1/x, max, …) and its name above it, the output on the right;
on each arrow the value it carries (green, above) and the gradient of the output with respect to
that value (red, below). Vectors and matrices are too wide for an arrow: theirs shows the shape."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import sympy as sp

from solver.engine.steps import Step
from solver.exercise import Exercise
from solver.engine.scope import Tracked
from solver.kinds.graph.engine import path_gradient, symbol
from solver.kinds.graph.reader import Part
from solver.render.diagram import Arrow, Diagram, Label, Vertex, layered_positions
from solver.render.format import brief
from solver.symbolic.expressions import EntrySum, MatrixProduct
from solver.symbolic.graph import Graph, Node, OrderedMax, symbol_of

MAX_NODES = 40
"""A larger graph is not drawn: its picture would not fit a page."""
_END = "\x00output"  # the output's own label right of its node; no name can be this


def graph_picture(exercise: Exercise, part: Part, steps: Mapping[str, Step]) -> Diagram | None:
    """The diagram of `part`'s graph with its values and gradients, or None when it is too large."""
    graph: Graph = exercise.setup
    if len(graph.nodes) > MAX_NODES:
        return None
    names = (*graph.inputs, *(node.name for node in graph.nodes), _END)
    inputs = {node.name: node.inputs for node in graph.nodes} | {_END: (graph.output,)}
    values = {name: Tracked(f"{part.name}.{name}", steps[f"{part.name}.{name}"].value) for name in names[:-1]}
    gradients = {name: steps[f"{part.name}.d{name}"].value for name in names[:-1]}
    positions = layered_positions(names, inputs)
    index = {name: i for i, name in enumerate(names)}
    vertices = []
    for name in names:
        x, y = positions[name]
        shared = name != _END and len(graph.consumers(name)) > 1 and not graph.matrices
        total = _brief(gradients[name]) if shared else None
        if name == _END or name in graph.inputs:
            vertices.append(Vertex(x, y, _name(graph.output if name == _END else name), circled=False, total=total))
        else:
            node = next(node for node in graph.nodes if node.name == name)
            operation = gate_label(node, graph.matrices)
            vertices.append(Vertex(x, y, operation or _name(name), caption=_name(name) if operation else None,
                                   total=total))
    arrows = []
    for target in names:
        for source in inputs.get(target, ()):
            arrows.append(Arrow(index[source], index[target], *_labels(graph, source, target, values, gradients)))
    return Diagram(part.name, tuple(vertices), tuple(arrows), description=_description(graph, any(v.total for v in vertices)),
                   alt=f"The graph of part ({part.name}): each arrow with its value above and the gradient of "
                       f"{graph.output} below.")


def _description(graph: Graph, shares: bool) -> str:
    output = symbol(graph.output)
    if graph.matrices:
        return (f"On each arrow, the value it carries (green, above; the shape of a vector or matrix) and, for a "
                f"number with one path back, the gradient of ${output}$ (red, below), to three significant figures.")
    return (f"On each arrow, the value it carries (green, above) and the gradient of ${output}$ it sends back "
            f"(red, below), to three significant figures"
            + ("; a value that feeds several nodes gets the sum of its arrows' gradients (red, under it)."
               if shares else "."))


def _labels(graph: Graph, source: str, target: str, values: Mapping[str, Tracked],
            gradients: Mapping[str, np.ndarray]) -> tuple[Label, Label | None]:
    """The arrow's value and the gradient it sends back: (local derivative) · (target's gradient)
    for a scalar graph; an array's arrow shows its shape, and only the value's own gradient when
    it has one path back."""
    value = values[source].value
    if graph.matrices:
        one_path = target == _END or len(graph.consumers(source)) == 1
        above = _brief(value) if np.size(value) == 1 else _shape(value)
        return above, _brief(gradients[source]) if one_path and np.size(value) == 1 else None
    if target == _END:
        return _brief(value), _brief(gradients[source])
    node = next(node for node in graph.nodes if node.name == target)
    return _brief(value), _brief(path_gradient(node, source, values, gradients[target]))


def _shape(value: np.ndarray) -> Label:
    rows, columns = (*np.shape(value), 1)[:2]
    return Label(rf"{rows} \times {columns}", f"{rows}×{columns}")


def gate_label(node: Node, matrices: bool) -> Label | None:
    """The operation of a node that is one gate (+, −, ×, ∘, ·(−1), 1/x, xⁿ, exp, log, tanh, max, σ,
    matrix product, sum); None for a node written as a longer expression."""
    expr = node.expression
    if not all(a.is_Number or a.is_Symbol or (-a).is_Symbol for a in expr.args) and not _is_sigmoid(expr):
        return None
    if expr.is_Add:
        return Label("-", "−") if any(a.could_extract_minus_sign() for a in expr.args) else Label("+", "+")
    if expr.is_Mul:
        if expr.args[0] == -1 and len(expr.args) == 2:
            return Label(r"{\times}{-1}", "×−1")
        return Label(r"\circ", "∘") if matrices else Label(r"\times", "×")
    if isinstance(expr, MatrixProduct):
        return Label(r"\times", "×")
    if isinstance(expr, EntrySum):
        return Label(r"\Sigma", "Σ")
    if isinstance(expr, OrderedMax | sp.Max):
        return Label(r"\max", "max")
    if _is_sigmoid(expr):
        return Label(r"\sigma", "σ")
    if expr.is_Pow:
        if expr.exp == -1:
            return Label(r"1/x", "1/x")
        return Label(rf"x^{{{sp.latex(expr.exp)}}}", f"x^{expr.exp}")
    for function, text in ((sp.exp, "exp"), (sp.log, "log"), (sp.tanh, "tanh")):
        if isinstance(expr, function):
            return Label(rf"\{text}", text)
    return None


def _is_sigmoid(expr: sp.Expr) -> bool:
    """1/(1 + e^(−u)) of one name u: the sigmoid gate."""
    u = sp.Wild("u")
    found = expr.match(1 / (1 + sp.exp(-u)))
    return bool(found) and found[u].is_Symbol


def _name(name: str) -> Label:
    return Label(symbol(name), sp.pretty(symbol_of(name), use_unicode=True))


def _brief(value) -> Label:
    return Label(*brief(float(np.ravel(value)[0])))
