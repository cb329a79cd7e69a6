"""Custom functions written in an exercise file, parsed through a whitelist into SymPy.

The text is parsed with Python's `ast` (parsing, never evaluating) and each node is turned into
SymPy by hand: numbers, the declared variables and parameters, + - * / ** (and ^ for power, as
the course notes write it), parentheses, and the named functions below. Anything else (an
attribute, a subscript, a lambda, a call of anything not named here, __import__) is refused with
a message saying what was found. `sympy.sympify` is not used: it calls eval.
"""

from __future__ import annotations

import ast
import math

import sympy as sp

from solver.errors import SolverError

MAX_LENGTH = 500
MAX_DEPTH = 40
MAX_CONSTANT = 1e6  # bigger literals, and powers of powers, are how an expression is made to hang
MAX_EXPONENT = 100


class ExpressionError(SolverError):
    """An expression that is not in the whitelist."""


SumOverUnits = sp.Function("SumOverUnits")
"""`sum(g)` in a custom activation: Σ_j g over the units of the layer, g written with `z_j`, `w_j`."""


class MatrixProduct(sp.Function):
    """`A @ B` in a graph with matrix values: the matrix product, printed A B."""

    nargs = 2

    def _latex(self, printer):
        return " ".join(printer.parenthesize(argument, 50) for argument in self.args)

    def _numpycode(self, printer):
        return f"numpy.matmul({printer._print(self.args[0])}, {printer._print(self.args[1])})"


class EntrySum(sp.Function):
    """`sum(v)` in a graph with matrix values: the sum of every entry, one number. Its derivative
    with respect to its argument is 1 entry by entry (∂Σv/∂v_ij = 1)."""

    nargs = 1

    def fdiff(self, argindex=1):
        return sp.Integer(1)

    def _latex(self, printer):
        return rf"\operatorname{{sum}}\left({printer._print(self.args[0])}\right)"

    def _numpycode(self, printer):
        return f"numpy.sum({printer._print(self.args[0])})"


def _sigmoid(a):
    return 1 / (1 + sp.exp(-a))


FUNCTIONS = {
    "exp": sp.exp,
    "log": sp.log,
    "ln": sp.log,
    "sqrt": sp.sqrt,
    "tanh": sp.tanh,
    "sinh": sp.sinh,
    "cosh": sp.cosh,
    "sin": sp.sin,
    "cos": sp.cos,
    "abs": sp.Abs,
    "sigmoid": _sigmoid,
    "softplus": lambda a: sp.log(1 + sp.exp(a)),
    "max": sp.Max,
    "min": sp.Min,
}
CONSTANTS = {"pi": sp.pi, "e": sp.E}
_OPERATORS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}
_REFUSED = {
    ast.Attribute: "attribute access (a.b)",
    ast.Subscript: "subscripts (a[b])",
    ast.Lambda: "lambda",
    ast.Compare: "comparisons",
    ast.BoolOp: "and/or",
    ast.IfExp: "if/else",
    ast.ListComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.List: "lists",
    ast.Tuple: "tuples",
    ast.Dict: "dictionaries",
    ast.Starred: "*arguments",
    ast.NamedExpr: ":=",
    ast.JoinedStr: "f-strings",
}
_REFUSED_OPERATORS = {ast.MatMult: "the matrix product @ (only in a graph whose values are vectors or matrices)"}


def parse_expression(text: str, symbols: dict[str, sp.Symbol], summed: dict[str, sp.Symbol] | None = None,
                     *, matrices: bool = False) -> sp.Expr:
    """The SymPy expression `text` stands for; `symbols` are the names it may use (the variable
    and the declared parameters). With `summed` (names such as z_j), `sum(...)` is allowed, once,
    and those names only inside it. With `matrices` (only a graph with matrix values asks for it),
    `A @ B` is a MatrixProduct and `sum(v)` an EntrySum. ExpressionError says what is not allowed."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("expected an expression such as \"x**3/3 + x\"")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"longer than {MAX_LENGTH} characters")
    try:
        # ^ is power in the course notes; as ** it also gets power's precedence, which Python's ^ has not
        tree = ast.parse(text.strip().replace("^", "**"), mode="eval")
    except SyntaxError as error:
        raise ExpressionError(f"not an expression ({error.msg}) in {text!r}") from None
    except (ValueError, RecursionError, MemoryError):
        raise ExpressionError(f"not an expression: {text[:40]!r}") from None
    return _finite(_Builder(symbols, summed or {}, matrices).build(tree.body, 0))


def _finite(expression: sp.Expr) -> sp.Expr:
    """`expression`, or ExpressionError when SymPy's own arithmetic has already made it infinite or
    undefined whatever the variables are (log 0, 1/(z − z), (z − z)/(z − z)): no value could come
    of it, and NumPy's printer has no name for complex infinity."""
    if expression.has(sp.nan):
        raise ExpressionError("not defined for any value: it works out 0/0, 0 · ∞ or ∞ − ∞")
    if expression.has(sp.zoo, sp.oo, -sp.oo):
        raise ExpressionError("infinite for every value: it divides by 0 or takes log 0")
    return expression


class _Builder:
    def __init__(self, symbols: dict[str, sp.Symbol], summed: dict[str, sp.Symbol], matrices: bool = False):
        self.symbols = symbols
        self.summed = summed
        self.matrices = matrices
        self.inside_sum = False

    def build(self, node: ast.AST, depth: int) -> sp.Expr:
        if depth > MAX_DEPTH:
            raise ExpressionError(f"nested more than {MAX_DEPTH} deep")
        if isinstance(node, ast.Constant):
            return self._constant(node.value)
        if isinstance(node, ast.Name):
            return self._name(node.id)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self.build(node.operand, depth + 1)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            left, right = self.build(node.left, depth + 1), self.build(node.right, depth + 1)
            if isinstance(node.op, ast.Pow) and right.is_number and abs(float(right)) > MAX_EXPONENT:
                raise ExpressionError(f"an exponent larger than {MAX_EXPONENT}")
            if isinstance(node.op, ast.Pow) and left.is_number and not right.is_number and left != sp.E:
                raise ExpressionError("a number raised to a power that is not a number; write exp(...) instead")
            return _OPERATORS[type(node.op)](left, right)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult) and self.matrices:
            return MatrixProduct(self.build(node.left, depth + 1), self.build(node.right, depth + 1))
        if isinstance(node, ast.Call):
            return self._call(node, depth)
        if isinstance(node, ast.BinOp) and type(node.op) in _REFUSED_OPERATORS:
            raise ExpressionError(f"not allowed in an expression: {_REFUSED_OPERATORS[type(node.op)]}")
        raise ExpressionError(f"not allowed in an expression: {_REFUSED.get(type(node), type(node).__name__)}")

    def _constant(self, value) -> sp.Expr:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ExpressionError(f"only numbers may be written as constants, not {value!r}")
        if not math.isfinite(value) or abs(value) > MAX_CONSTANT:
            raise ExpressionError(f"a number beyond ±{MAX_CONSTANT:g}")
        return sp.Integer(value) if isinstance(value, int) else sp.nsimplify(value, rational=True)

    def _name(self, name: str) -> sp.Expr:
        if name in self.summed:
            if not self.inside_sum:
                raise ExpressionError(f"{name} names a unit j of the layer: use it inside sum(...)")
            return self.summed[name]
        if name in self.symbols:
            return self.symbols[name]
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in FUNCTIONS:
            raise ExpressionError(f"{name} is a function; write {name}(...)")
        allowed = ", ".join(sorted(self.symbols)) or "none"
        raise ExpressionError(f"unknown name {name!r}; the names here are {allowed} and the constants pi, e")

    def _call(self, node: ast.Call, depth: int) -> sp.Expr:
        if isinstance(node.func, ast.Name) and node.func.id == "sum" and self.summed:
            if self.inside_sum:
                raise ExpressionError("sum(...) inside sum(...) is not supported")
            if len(node.args) != 1 or node.keywords:
                raise ExpressionError("sum() takes one argument, written with z_j (and parameters p_j)")
            self.inside_sum = True
            try:
                return SumOverUnits(self.build(node.args[0], depth + 1))
            finally:
                self.inside_sum = False
        if isinstance(node.func, ast.Name) and node.func.id == "sum" and self.matrices:
            if len(node.args) != 1 or node.keywords:
                raise ExpressionError("sum() takes one argument, the vector or matrix whose entries it adds")
            return EntrySum(self.build(node.args[0], depth + 1))
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            called = node.func.id if isinstance(node.func, ast.Name) else "an expression"
            raise ExpressionError(f"calling {called} is not allowed; the functions are {', '.join(FUNCTIONS)}")
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise ExpressionError(f"{node.func.id}() takes plain arguments only")
        arguments = [self.build(argument, depth + 1) for argument in node.args]
        wanted = 2 if node.func.id in ("max", "min") else 1
        if len(arguments) != wanted:
            raise ExpressionError(f"{node.func.id}() takes {wanted} argument{'s' if wanted > 1 else ''}")
        return FUNCTIONS[node.func.id](*arguments)
