"""Computational graphs: an expression broken into primitive nodes, and each node's local gradient.

A graph is its inputs and its nodes in evaluation order, each node a SymPy expression over the
inputs and earlier nodes. It is built either from nodes written one per line ("q = x + y"), here,
or from one expression broken into primitive gates (solver/symbolic/gates.py). Texts go through
the whitelisted parser (solver/symbolic/expressions.py) first; the syntax tree it accepted is then
only walked, never evaluated.

Local gradients are SymPy's derivative of a node's expression. Max has no derivative at a tie;
there the first argument written gets the gradient (OrderedMax below), so max(x, y) at x = y
sends the whole gradient to x.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cached_property

import sympy as sp

from solver.symbolic.expressions import CONSTANTS, FUNCTIONS, ExpressionError, parse_expression

RESERVED_NAMES = frozenset(FUNCTIONS) | frozenset(CONSTANTS) | {"sum"}
"""Names a value or node may not have: the functions and constants of the expression language."""


def symbol_of(name: str) -> sp.Symbol:
    return sp.Symbol(name, real=True)


class OrderedMax(sp.Function):
    """max(a, b) as written: SymPy's Max sorts its arguments, and the tie rule and the sheet need
    the first one written. ∂/∂a = [a ≥ b] and ∂/∂b = [b > a]: at a tie the first argument gets it."""

    nargs = 2

    @classmethod
    def eval(cls, a, b):
        if a.is_Number and b.is_Number:
            return sp.Max(a, b)
        return None

    def fdiff(self, argindex=1):
        a, b = self.args
        return sp.Heaviside(a - b, 1) if argindex == 1 else sp.Heaviside(b - a, 0)

    def _latex(self, printer):
        a, b = self.args
        return rf"\max\left({printer._print(a)}, {printer._print(b)}\right)"

    def _numpycode(self, printer):
        a, b = self.args
        return f"numpy.maximum({printer._print(a)}, {printer._print(b)})"

    def _mpmathcode(self, printer):
        a, b = self.args
        return f"max({printer._print(a)}, {printer._print(b)})"


@dataclass(frozen=True)
class Node:
    """`name` = `expression`, an expression over `inputs` (earlier nodes or given values, in the
    order written)."""

    name: str
    expression: sp.Expr
    inputs: tuple[str, ...]

    @property
    def is_reciprocal(self) -> bool:
        return self.expression.is_Pow and self.expression.exp == -1 and self.expression.base.is_Symbol

    @property
    def is_max(self) -> bool:
        return isinstance(self.expression, OrderedMax)

    def local_gradient(self, name: str, *, reciprocal_sign_lost: bool = False, max_to_both: bool = False) -> sp.Expr:
        """∂(this node)/∂name, derived by SymPy. The switches are slips: 1/x differentiated as
        +1/x², and a max gate passing the gradient to both arguments."""
        derivative = sp.diff(self.expression, symbol_of(name))
        if max_to_both:
            derivative = derivative.replace(lambda e: isinstance(e, sp.Heaviside), lambda h: sp.Integer(1))
        if reciprocal_sign_lost and self.is_reciprocal:
            derivative = -derivative
        return derivative


@dataclass(frozen=True)
class Graph:
    """Inputs (given values) in the order given, and nodes in evaluation order; the last node is
    the output. `text` is the expression the graph was broken out of, if it was; `matrices` is set
    when values may be vectors and matrices (solver/symbolic/matrix_graph.py)."""

    inputs: tuple[str, ...]
    nodes: tuple[Node, ...]
    text: str | None = None
    matrices: bool = False

    @property
    def output(self) -> str:
        return self.nodes[-1].name

    def consumers(self, name: str) -> tuple[Node, ...]:
        """The nodes that use `name`, in evaluation order."""
        return self._consumers.get(name, ())

    @cached_property
    def _consumers(self) -> dict[str, tuple[Node, ...]]:
        found: dict[str, list[Node]] = {}
        for node in self.nodes:
            for name in node.inputs:
                found.setdefault(name, []).append(node)
        return {name: tuple(nodes) for name, nodes in found.items()}

    @cached_property
    def expression(self) -> sp.Expr:
        """The output as one expression of the inputs."""
        whole: dict[sp.Symbol, sp.Expr] = {}
        for node in self.nodes:
            whole[symbol_of(node.name)] = node.expression.xreplace(whole)
        return whole[symbol_of(self.output)]


def graph_from_nodes(lines: list[str], inputs: tuple[str, ...], matrices: bool = False) -> Graph:
    """The graph of nodes written "name = expression", each over `inputs` and earlier names; with
    `matrices`, a node may also be a product A @ B or use sum(…). ExpressionError (with the line's
    index in .index) says what is wrong."""
    known = {name: symbol_of(name) for name in inputs}
    nodes: list[Node] = []
    for index, line in enumerate(lines):
        name, _, text = line.partition("=")
        name, text = name.strip(), text.strip()
        try:
            if not _is_name(name) or not text:
                raise ExpressionError(f"expected a node such as \"q = x + y\", got {line[:60]!r}")
            _check_new_name(name, known)
            tree = _parsed(text, known, later=_later_names(lines, index), matrices=matrices)
            expression = _max_gate(tree, known) or parse_expression(text, known, matrices=matrices)
            if not expression.free_symbols:
                raise ExpressionError(f"{name} uses no value nor earlier node; write it as a value")
        except ExpressionError as problem:
            problem.index = index
            raise
        used = tuple(n for n in known if symbol_of(n) in expression.free_symbols)
        nodes.append(Node(name, expression, used))
        known[name] = symbol_of(name)
    return Graph(inputs, tuple(nodes), matrices=matrices)


def _later_names(lines: list[str], index: int) -> set[str]:
    return {line.partition("=")[0].strip() for line in lines[index:]}


def _max_gate(tree: ast.AST, known: dict[str, sp.Symbol]) -> sp.Expr | None:
    """The node's max gate, if it is one; a max must be the whole right side, so that its
    arguments are the gate's inputs and the first written is known."""
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") in ("max", "min")]
    if not calls:
        return None
    if calls[0] is not tree or len(calls) > 1 or tree.func.id == "min":
        raise ExpressionError("max is a gate of its own: write a node such as \"r = max(x, y)\" (min is not a gate)")
    return OrderedMax(*(parse_expression(ast.unparse(argument), known) for argument in tree.args))


def _is_name(name: str) -> bool:
    return name.isascii() and name.isalnum() and name[:1].isalpha() and len(name) <= 12


def _check_new_name(name: str, known: dict[str, sp.Symbol]) -> None:
    if name in RESERVED_NAMES:
        raise ExpressionError(f"{name!r} is a function or constant of the expression language; expected another name")
    if name in known:
        raise ExpressionError(f"{name!r} is defined twice; every node and value needs a name of its own")
    for other in known:
        if name == "d" + other or other == "d" + name:
            base = other if name == "d" + other else name
            raise ExpressionError(f"{name!r} beside {other!r}: d{base} is the step id of the gradient ∂/∂{base}; "
                                  "expected another name")


def _parsed(text: str, known: dict[str, sp.Symbol], later: set[str], matrices: bool) -> ast.AST:
    """The syntax tree of `text`, once the whitelist has accepted it over the `known` names."""
    try:
        parse_expression(text, known, matrices=matrices)
    except ExpressionError as problem:
        used = {n.id for n in ast.walk(ast.parse(text.replace("^", "**"), mode="eval")) if isinstance(n, ast.Name)} \
            if "unknown name" in problem.message else set()
        early = sorted(used & later)
        if early:
            raise ExpressionError(f"{early[0]} is used before it is defined; nodes are written in order, each over "
                                  "the values and earlier nodes, so the graph has no cycle") from None
        raise
    return ast.parse(text.strip().replace("^", "**"), mode="eval").body
