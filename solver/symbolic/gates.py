"""One expression broken into primitive gates, as a computational graph (solver/symbolic/graph.py).

The gates: add, subtract, multiply, negate, reciprocal 1/x, exp, log, max, power x^n (n a number;
sqrt is x^½), tanh, and sigmoid as one gate or expanded into negate → exp → add 1 → reciprocal.
a/b is a · (1/b); a part of the expression without names (2/3) is a number. The whitelisted parser
accepts the text first; its syntax tree is then only walked, never evaluated.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import sympy as sp

from solver.symbolic.expressions import FUNCTIONS, ExpressionError, parse_expression
from solver.symbolic.graph import Graph, Node, OrderedMax, symbol_of

GATES = ("add", "subtract", "multiply", "negate", "reciprocal", "exp", "log", "max", "power", "tanh", "sigmoid")


@dataclass(frozen=True)
class _Gate:
    """A gate of the expression tree before naming: its kind and its operands, each a _Gate, an
    input's name or a number (sp.Expr)."""

    kind: str
    operands: tuple


def graph_from_expression(text: str, inputs: tuple[str, ...], output: str, sigmoid: str = "expanded") -> Graph:
    """The graph of `text` over `inputs`, one node per primitive gate. The output is named
    `output`; the other nodes a, b, c, … from the output down, as they are staged by hand
    (L = 1/a, a = 1 + b, b = e^c, …), skipping names taken and e (Euler's number)."""
    symbols = {name: symbol_of(name) for name in inputs}
    parse_expression(text, symbols)  # the whitelist first: what follows only walks an accepted tree
    root = _Breaker(symbols, sigmoid).gate(ast.parse(text.strip().replace("^", "**"), mode="eval").body)
    if not isinstance(root, _Gate):
        raise ExpressionError("expected an expression with at least one operation, such as \"x * y\"")
    names = _names(root, output, set(inputs))
    nodes: list[Node] = []
    _emit(root, names, nodes)
    return Graph(inputs, tuple(nodes), text)


class _Breaker:
    def __init__(self, symbols: dict[str, sp.Symbol], sigmoid: str):
        self.symbols = symbols
        self.sigmoid = sigmoid

    def gate(self, node: ast.AST):
        """A _Gate, an input's name, or a number (a part without names is folded)."""
        if not any(isinstance(n, ast.Name) and n.id in self.symbols for n in ast.walk(node)):
            return parse_expression(ast.unparse(node), {})
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.UnaryOp):
            operand = self.gate(node.operand)
            return _Gate("negate", (operand,)) if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp):
            return self._binary(node)
        return self._call(node)

    def _binary(self, node: ast.BinOp):
        if isinstance(node.op, ast.Pow):
            if not isinstance(self.gate(node.right), sp.Expr):
                if isinstance(node.left, ast.Name) and node.left.id == "e":
                    return _Gate("exp", (self.gate(node.right),))
                raise ExpressionError("a power's exponent must be a number (x^n); write exp(...) for e^x")
            return _Gate("power", (self.gate(node.left), self.gate(node.right)))
        left, right = self.gate(node.left), self.gate(node.right)
        if isinstance(node.op, ast.Div):
            if isinstance(right, sp.Expr):
                return _Gate("multiply", (left, 1 / right))
            if left == sp.Integer(1):
                return _Gate("reciprocal", (right,))
            return _Gate("multiply", (left, _Gate("reciprocal", (right,))))
        kinds = {ast.Add: "add", ast.Sub: "subtract", ast.Mult: "multiply"}
        return _Gate(kinds[type(node.op)], (left, right))

    def _call(self, node: ast.Call):
        function = node.func.id
        arguments = tuple(self.gate(argument) for argument in node.args)
        if function == "sigmoid" and self.sigmoid == "expanded":
            return _Gate("reciprocal", (_Gate("add", (sp.Integer(1), _Gate("exp", (_Gate("negate", arguments),)))),))
        if function == "sqrt":
            return _Gate("power", (*arguments, sp.Rational(1, 2)))
        kind = {"ln": "log"}.get(function, function)
        if kind not in GATES:
            raise ExpressionError(f"{function} is not a gate of a graph; the gates are {', '.join(GATES)} (and sqrt)")
        return _Gate(kind, arguments)


def _names(root: _Gate, output: str, taken: set[str]) -> dict[int, str]:
    """A name for each gate, by identity: the root is `output`, the others a, b, … in the order
    a person reads the expression from the output down (depth first, left to right)."""
    taken = taken | {output, "e"}
    fresh = (c for c in _candidates() if c not in taken and "d" + c not in taken
             and not (c.startswith("d") and c[1:] in taken))
    names = {id(root): output}
    stack = [root]
    while stack:
        gate = stack.pop(0)
        children = [o for o in gate.operands if isinstance(o, _Gate)]
        for child in children:
            names[id(child)] = next(fresh)
        stack = children + stack
    return names


def _candidates():
    letters = "abcdefghijklmnopqrstuvwxyz"
    yield from letters
    for number in range(1, 10**6):
        yield from (f"{c}{number}" for c in letters)


_FORMS = {
    "add": lambda a, b: a + b,
    "subtract": lambda a, b: a - b,
    "multiply": lambda a, b: a * b,
    "negate": lambda a: -a,
    "reciprocal": lambda a: 1 / a,
    "exp": sp.exp,
    "log": sp.log,
    "max": OrderedMax,
    "power": lambda a, n: a**n,
    "tanh": sp.tanh,
    "sigmoid": FUNCTIONS["sigmoid"],
}


def _emit(gate: _Gate, names: dict[int, str], nodes: list[Node]) -> None:
    """The nodes of `gate`'s operands, then its own: evaluation order."""
    operands = []
    for operand in gate.operands:
        if isinstance(operand, _Gate):
            _emit(operand, names, nodes)
            operands.append(names[id(operand)])
        else:
            operands.append(operand)
    arguments = [symbol_of(o) if isinstance(o, str) else o for o in operands]
    expression = _FORMS[gate.kind](*arguments)
    inputs = tuple(dict.fromkeys(o for o in operands if isinstance(o, str)))
    nodes.append(Node(names[id(gate)], expression, inputs))
