"""The graph kind's part of an exercise file: a computational graph with scalar values.

    kind = "graph"
    expression = "1/(1 + exp(-(w0*x0 + w1*x1 + w2)))"   # broken into primitive nodes by byhand
    sigmoid = "expanded"                                  # or "gate": sigmoid(u) as one node
    output = "L"                                          # the output's name (default L)
    # or, instead of expression: the nodes in order, each over the values and earlier nodes
    nodes = ["q = x + y", "f = q * z"]
    values = { w0 = 2, x0 = -1, w1 = -3, x1 = -2, w2 = -3 }
    # with nodes, values may be vectors (a list, a column) and matrices (a list of rows), and
    # nodes may be products "y = W @ x" and sums "L = sum(h)" (solver/symbolic/matrix_graph.py)
    values = { W = [[1, -1], [2, 0]], x = [1, 2], b = [0, -1] }
    [[parts]]                                             # optional; a part may give its own values
    values = { x0 = 1 }

The values name the inputs: with an expression every name it uses must have a value; with nodes
every name a node uses that no earlier node defines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from solver.conventions import Conventions
from solver.exercise import PART_HEADER_KEYS, parts_tables, read_standalone_part
from solver.fields import FieldReader, describe
from solver.limits import Limits
from solver.symbolic.expressions import ExpressionError
from solver.symbolic.gates import graph_from_expression
from solver.symbolic.graph import RESERVED_NAMES, Graph, graph_from_nodes
from solver.symbolic.matrix_graph import node_shapes

KEYS = frozenset({"expression", "nodes", "values", "sigmoid", "output", "parts"})
PART_KEYS = PART_HEADER_KEYS | {"values"}
SIGMOID_FORMS = ("expanded", "gate")


@dataclass(frozen=True)
class Part:
    """A part works the whole graph at its `values` (name, number or array), in the order of the inputs."""

    name: str
    title: str
    start: str
    values: tuple[tuple[str, float | np.ndarray], ...]
    conventions: Conventions = Conventions()


def read_graph_problem(read: FieldReader, data: dict, limits: Limits) -> tuple[Graph, tuple[Part, ...]]:
    """The graph and the parts of a graph exercise, from the file's tables other than the header."""
    values = data.get("values", {})
    if not isinstance(values, dict):
        raise read.error("values", f"expected a table of numbers such as {{ x = -2, y = 5 }}, got {describe(values)}")
    parts_data = parts_tables(read, data)
    part_values = [part.get("values") for part in parts_data if isinstance(part, dict)]
    inputs = tuple(dict.fromkeys([*values, *(name for own in part_values if isinstance(own, dict) for name in own)]))
    for name in inputs:
        _check_input_name(read, name)
    matrices = any(isinstance(value, list) for table in (values, *part_values) if isinstance(table, dict)
                   for value in table.values())
    graph = _graph(read, data, inputs, limits, matrices)
    unused = [name for name in inputs if not graph.consumers(name)]
    if unused:
        raise read.error(f"values.{unused[0]}", f"{unused[0]} is given a value but the graph does not use it")
    parts: list[Part] = []
    for index, part_data in enumerate(parts_data):
        parts.append(_part(read, part_data, index, [p.name for p in parts], graph, values))
    return graph, tuple(parts)


def _check_input_name(read: FieldReader, name: str) -> None:
    if not (name.isascii() and name.isalnum() and name[:1].isalpha() and len(name) <= 12):
        raise read.error(f"values.{name}", "expected a name of letters and digits (at most 12), starting with a "
                                           "letter, such as x, w0 or bias")
    if name in RESERVED_NAMES:
        raise read.error(f"values.{name}", f"{name!r} is a function or constant of the expression language; "
                                           "expected another name")


def _graph(read: FieldReader, data: dict, inputs: tuple[str, ...], limits: Limits, matrices: bool) -> Graph:
    if ("expression" in data) == ("nodes" in data):
        raise read.error("expression", "expected either expression = \"…\" (broken into nodes by byhand) or "
                                       "nodes = [\"q = x + y\", …], and not both")
    if matrices and "expression" in data:
        raise read.error("expression", "vectors and matrices are worked with nodes = [\"z = W @ x\", …]; "
                                       "expression = \"…\" takes numbers only")
    if "nodes" in data:
        for key in ("sigmoid", "output"):
            if key in data:
                raise read.error(key, "only with expression = \"…\"; with nodes the last node is the output")
        lines = data["nodes"]
        if not isinstance(lines, list) or not lines or not all(isinstance(line, str) for line in lines):
            raise read.error("nodes", f"expected a list of nodes such as [\"q = x + y\", \"f = q * z\"], "
                                      f"got {describe(lines)}")
        if len(lines) > limits.steps // 2:
            raise read.error("nodes", f"more than {limits.steps // 2:,} nodes: each is two steps, beyond the limit "
                                      f"of {limits.steps:,}; raise it with --max-steps")
        try:
            graph = graph_from_nodes(lines, inputs, matrices)
        except ExpressionError as problem:
            raise read.error(f"nodes[{problem.index}]", problem.message) from None
        dead = [node.name for node in graph.nodes[:-1] if not graph.consumers(node.name)]
        if dead:
            raise read.error("nodes", f"{dead[0]} is used by no later node; only the last node is the output")
        return graph
    output = read.text(data, "output", "", "L")
    if not output.isascii() or not output.isalnum() or not output[:1].isalpha() or len(output) > 12 \
            or output in RESERVED_NAMES or output in inputs:
        raise read.error("output", f"expected a name not used by a value nor the expression language, got {output!r}")
    sigmoid = read.choice(data, "sigmoid", "", SIGMOID_FORMS, "expanded")
    try:
        return graph_from_expression(read.text(data, "expression", ""), inputs, output, sigmoid)
    except ExpressionError as problem:
        raise read.error("expression", problem.message) from None


def _part(read: FieldReader, data: Any, index: int, earlier: list[str], graph: Graph, values: dict) -> Part:
    where = f"parts[{index}]"
    header = read_standalone_part(read, data, index, earlier, PART_KEYS, "a graph part has nothing to carry over")
    own = data.get("values", {})
    if not isinstance(own, dict):
        raise read.error(f"{where}.values", f"expected a table of numbers, got {describe(own)}")
    merged = {**values, **own}
    numbers = []
    for name in graph.inputs:
        key = f"{where}.values.{name}" if name in own else f"values.{name}"
        if name not in merged:
            raise read.error("values", f"missing a value for {name}; every input of the graph needs one")
        numbers.append((name, _value(read, merged[name], key)))
    if graph.matrices:
        try:
            node_shapes(graph, {name: np.shape(value) for name, value in numbers})
        except ExpressionError as problem:
            raise read.error(f"nodes[{problem.index}]", problem.message) from None
    return Part(header.name, header.title, header.start, tuple(numbers))


def _value(read: FieldReader, value: Any, key: str) -> float | np.ndarray:
    """A number, a list of numbers (a column) or a list of rows (a matrix)."""
    if not isinstance(value, list):
        return read.number(value, key)
    if not value:
        raise read.error(key, "expected a number, a list of numbers (a column) or a list of rows (a matrix), "
                              "got an empty list")
    if isinstance(value[0], list):
        return read.matrix_or_constant(value, key, len(value), len(value[0]))
    return read.vector(value, key, len(value), "a column")
