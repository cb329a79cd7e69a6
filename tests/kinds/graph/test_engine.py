"""The graph kind's numbers against independent oracles: central finite differences of the whole
expression (written here with math.*), and SymPy's derivative of the whole expression (written
here in SymPy), exactly, from the sheet's own formulas read back at rational values."""

from __future__ import annotations

import math

import pytest
import sympy as sp

import solver
from solver.exercise import parse_exercise
from tests.kinds.graph.oracle import central_difference, exact_values, sigmoid_neuron

CS231N = {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}


def graph(values: dict, **source):
    return solver.solve(parse_exercise({"kind": "graph", "title": "graph", "values": values, **source}, "g.toml"))


def sym(name):
    return sp.Symbol(name, real=True)


# (what the graph is, its source in the file, the same function with math.*, the same in SymPy, values)
CASES = [
    ("sigmoid neuron expanded", {"expression": "1/(1 + exp(-(w0*x0 + w1*x1 + w2)))"}, sigmoid_neuron,
     lambda w0, x0, w1, x1, w2: 1 / (1 + sp.exp(-(w0 * x0 + w1 * x1 + w2))), CS231N),
    ("sigmoid as a gate", {"expression": "sigmoid(w0*x0 + w1*x1 + w2)", "sigmoid": "gate"}, sigmoid_neuron,
     lambda w0, x0, w1, x1, w2: 1 / (1 + sp.exp(-(w0 * x0 + w1 * x1 + w2))), CS231N),
    ("sigmoid expanded from the function", {"expression": "sigmoid(w0*x0 + w1*x1 + w2)"}, sigmoid_neuron,
     lambda w0, x0, w1, x1, w2: 1 / (1 + sp.exp(-(w0 * x0 + w1 * x1 + w2))), {**CS231N, "x1": sp.Rational(1, 2)}),
    ("add multiply max", {"nodes": ["q = x * y", "r = max(z, w)", "s = q + r", "f = 2 * s * x"]},
     lambda x, y, z, w: 2 * (x * y + max(z, w)) * x, lambda x, y, z, w: 2 * (x * y + sp.Max(z, w)) * x,
     {"x": 3, "y": -4, "z": 2, "w": -1}),
    ("max routes to the second", {"nodes": ["q = x * y", "r = max(z, w)", "s = q + r", "f = 2 * s * x"]},
     lambda x, y, z, w: 2 * (x * y + max(z, w)) * x, lambda x, y, z, w: 2 * (x * y + sp.Max(z, w)) * x,
     {"x": sp.Rational(3, 2), "y": -4, "z": -2, "w": 1}),
    ("CS231n's (x + y) z", {"nodes": ["q = x + y", "f = q * z"]}, lambda x, y, z: (x + y) * z,
     lambda x, y, z: (x + y) * z, {"x": -2, "y": 5, "z": -4}),
    ("shared value, division, log, power", {"expression": "log(x*y + x^2) - x/y + sqrt(y)*tanh(x)"},
     lambda x, y: math.log(x * y + x**2) - x / y + math.sqrt(y) * math.tanh(x),
     lambda x, y: sp.log(x * y + x**2) - x / y + sp.sqrt(y) * sp.tanh(x), {"x": sp.Rational(3, 2), "y": 2}),
    ("CS231n's staged example", {"expression": "(x + sigmoid(y)) / (sigmoid(x) + (x + y)^2)"},
     lambda x, y: (x + 1 / (1 + math.exp(-y))) / (1 / (1 + math.exp(-x)) + (x + y) ** 2),
     lambda x, y: (x + 1 / (1 + sp.exp(-y))) / (1 / (1 + sp.exp(-x)) + (x + y) ** 2), {"x": 3, "y": -4}),
    ("subtract, negate, power, e^x", {"expression": "-(a - b)^3 * e^(b/2) + max(0, a*b)"},
     lambda a, b: -((a - b) ** 3) * math.exp(b / 2) + max(0, a * b),
     lambda a, b: -((a - b) ** 3) * sp.exp(b / 2) + sp.Max(0, a * b), {"a": sp.Rational(1, 3), "b": -2}),
]
IDS = [case[0] for case in CASES]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_every_gradient_agrees_with_central_differences_of_the_whole_expression(case):
    _, source, function, _, values = case
    solution = graph({k: float(v) for k, v in values.items()}, **source)
    floats = {k: float(v) for k, v in values.items()}
    output = solution.exercise.setup.output
    assert float(solution[f"a.{output}"]) == pytest.approx(function(**floats), rel=1e-12)
    for name in values:
        assert float(solution[f"a.d{name}"]) == pytest.approx(central_difference(function, floats, name),
                                                                 rel=1e-7, abs=1e-9), name


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_node_by_node_chain_is_sympys_derivative_of_the_whole_expression_exactly(case):
    """The sheet's formulas, read back and worked at rational values, give exactly SymPy's
    derivative of the whole expression there (no tie in any max)."""
    _, source, _, whole, values = case
    exact_inputs = {k: sp.Rational(v) for k, v in values.items()}
    solution = graph({k: float(v) for k, v in values.items()}, **source)
    exact = exact_values(solution)
    expression = whole(*(sym(name) for name in values))
    at = {sym(name): value for name, value in exact_inputs.items()}
    output = solution.exercise.setup.output
    assert sp.simplify(exact[f"a.{output}"] - expression.subs(at)) == 0
    for name in values:
        assert sp.simplify(exact[f"a.d{name}"] - sp.diff(expression, sym(name)).subs(at)) == 0, name
        assert float(solution[f"a.d{name}"]) == pytest.approx(float(exact[f"a.d{name}"]), rel=1e-12)


def test_a_value_that_feeds_two_nodes_shows_the_sum_over_both():
    s = graph({"x": 3, "y": -4, "z": 2, "w": -1},
              nodes=["q = x * y", "r = max(z, w)", "s = q + r", "f = 2 * s * x"])
    assert s.step("a.dx").inputs == ("a.y", "a.dq", "a.s", "a.df")
    assert s["a.dx"] == -4 * 6 + 2 * -10 * 1


def test_max_at_a_tie_sends_the_gradient_to_the_first_argument_written():
    for nodes, winner, loser in ((["r = max(z, w)", "f = 3 * r"], "z", "w"), (["r = max(w, z)", "f = 3 * r"], "w", "z")):
        s = graph({"z": 1.5, "w": 1.5}, nodes=nodes)
        assert (s[f"a.d{winner}"], s[f"a.d{loser}"]) == (3, 0)


def test_the_seed_002_staging_names_the_nodes_from_the_output_down():
    """Seed 002: L = 1/a, a = 1 + b, b = e^c, c = −d, d = e + w2, … (byhand skips e, Euler's number)."""
    s = graph(CS231N, expression="1/(1 + exp(-(w0*x0 + w1*x1 + w2)))")
    nodes = [(n.name, str(n.expression)) for n in s.exercise.setup.nodes]
    assert nodes == [("g", "w0*x0"), ("h", "w1*x1"), ("f", "g + h"), ("d", "f + w2"), ("c", "-d"),
                     ("b", "exp(c)"), ("a", "b + 1"), ("L", "1/a")]


def test_intermediate_names_skip_the_inputs_and_their_gradients():
    s = graph({"a": 1, "b": 2, "dc": 3}, expression="exp(a*b) + dc")
    """c is taken by dc's step id (dc is ∂L/∂c), e is Euler's number: a·b is f, exp(f) is d."""
    assert [n.name for n in s.exercise.setup.nodes] == ["f", "d", "L"]
