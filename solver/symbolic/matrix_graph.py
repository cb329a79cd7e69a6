"""A graph whose values are vectors and matrices: the three forms a node may take and the shape
of every node.

A node is one of
- a product, `y = W @ x`: the whole right side, two different names (backward: dW = dy xᵀ, dx = Wᵀ dy);
- a sum, `L = sum(h)` or `L = sum((y - t)^2)/2`: a number times the sum of every entry of an
  elementwise expression, one number;
- elementwise, `h = max(y, 0)`, `y = z + b`: the scalar expression applied entry by entry, with
  NumPy's broadcasting (a column b added to every column of z, a number to every entry).
Shapes are 2-D, (rows, columns); a column is (n, 1), a number (). The output must be one number.
"""

from __future__ import annotations

from enum import Enum

import numpy as np

from solver.symbolic.expressions import EntrySum, ExpressionError, MatrixProduct
from solver.symbolic.graph import Graph, Node

Shape = tuple[int, ...]


class Form(Enum):
    PRODUCT = "product"
    SUM = "sum"
    ELEMENTWISE = "elementwise"


def form_of(node: Node) -> Form:
    """The node's form; ExpressionError when it is none of the three."""
    expression = node.expression
    if expression.has(MatrixProduct):
        if not isinstance(expression, MatrixProduct):
            raise ExpressionError(f"{node.name}: a product A @ B is a node of its own; write \"z = W @ x\", "
                                  "then \"y = z + b\"")
        left, right = expression.args
        if not (left.is_Symbol and right.is_Symbol) or left == right:
            raise ExpressionError(f"{node.name}: a product multiplies two different names, such as W @ x")
        return Form.PRODUCT
    if expression.has(EntrySum):
        _, rest = expression.as_coeff_Mul()
        if not isinstance(rest, EntrySum) or rest.args[0].has(EntrySum):
            raise ExpressionError(f"{node.name}: sum(…) is a node of its own, a number times the sum, such as "
                                  "\"L = sum(h)\" or \"L = sum((y - t)^2)/2\"")
        return Form.SUM
    return Form.ELEMENTWISE


def node_shapes(graph: Graph, given: dict[str, Shape]) -> dict[str, Shape]:
    """The shape of every value and node, from the shapes `given` to the values. ExpressionError
    (with the node's index in .index) says which node does not fit and both shapes."""
    shapes = dict(given)
    for index, node in enumerate(graph.nodes):
        try:
            shapes[node.name] = _shape(node, shapes)
            if node is graph.nodes[-1] and shapes[node.name] != ():
                raise ExpressionError(f"the output {node.name} is {_text(shapes[node.name])}; it must be one "
                                      f"number, such as \"{node.name} = sum(h)\"")
        except ExpressionError as problem:
            problem.index = index
            raise
    return shapes


def _shape(node: Node, shapes: dict[str, Shape]) -> Shape:
    form = form_of(node)
    if form is Form.PRODUCT:
        left, right = (arg.name for arg in node.expression.args)
        a, b = shapes[left], shapes[right]
        if len(a) != 2 or len(b) != 2 or a[1] != b[0]:
            raise ExpressionError(f"{node.name} = {left} @ {right}: the shapes do not fit, {left} is {_text(a)} and "
                                  f"{right} is {_text(b)}; the columns of {left} must be the rows of {right}")
        return (a[0], b[1])
    broadcast = _broadcast(node, node.inputs, shapes)
    return () if form is Form.SUM else broadcast


def _broadcast(node: Node, names: tuple[str, ...], shapes: dict[str, Shape]) -> Shape:
    """The shape of an elementwise expression over `names`: equal sizes, or 1 (a column, a row) or a number."""
    shape: Shape = ()
    widest = ""
    for name in names:
        try:
            shape = np.broadcast_shapes(shape, shapes[name])
        except ValueError:
            raise ExpressionError(f"{node.name}: the shapes do not fit entry by entry, {widest} is {_text(shape)} and "
                                  f"{name} is {_text(shapes[name])}") from None
        if shapes[name] == shape:
            widest = name
    return shape


def reduce_to(value: np.ndarray, shape: Shape) -> np.ndarray:
    """A gradient worked at the broadcast shape, brought back to the input's `shape`: summed over
    what broadcasting repeated (the columns, for a column bias; everything, for a number), or
    spread over every entry when it is smaller (∂ sum(v)/∂v = 1 everywhere)."""
    value = np.asarray(value, dtype=float)
    if shape == ():
        return np.asarray(value.sum())
    if value.ndim == 2:
        for axis in (0, 1):
            if shape[axis] == 1 and value.shape[axis] > 1:
                value = value.sum(axis=axis, keepdims=True)
    return np.broadcast_to(value, shape).copy()


def _text(shape: Shape) -> str:
    return "one number" if shape == () else "×".join(map(str, shape))

