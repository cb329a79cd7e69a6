"""Graphs with vector and matrix values against plain NumPy written here: every gradient against
central finite differences of the whole scalar output, dW = (dL/dy) xᵀ and dx = Wᵀ (dL/dy) from
our own backward pass, shape errors as one line naming the node, and check/template on the steps."""

from __future__ import annotations

import numpy as np
import pytest

import solver
from solver.check import answers_template, check, parse_answers
from solver.engine.slips import Slip
from solver.errors import SolverError
from solver.exercise import parse_exercise
from solver.symbolic.expressions import ExpressionError, parse_expression

HOMEWORK = "graph-matrix-homework"
W = np.array([[1.0, -2, 0], [2, 1, -1]])
x = np.array([[2.0], [1], [-1]])
b = np.array([[1.0], [-7]])
t = np.array([[2.0], [1]])
X = np.array([[2.0, 0], [1, -1], [-1, 3]])  # two samples, one column each


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


# (name, nodes, the whole output in NumPy, values)
CASES = [
    ("relu squared error", ["z = W @ x", "y = z + b", "h = max(y, 0)", "L = sum((h - t)^2)/2"],
     lambda W, x, b, t: np.sum((np.maximum(W @ x + b, 0) - t) ** 2) / 2, {"W": W, "x": x, "b": b, "t": t}),
    ("sigmoid sum", ["z = W @ x", "y = z + b", "h = sigmoid(y)", "L = sum(h)"],
     lambda W, x, b: np.sum(sigmoid(W @ x + b)), {"W": W, "x": x, "b": b / 4}),
    ("bias over two columns, tanh, exp, log", ["z = W @ X", "y = z + b", "h = tanh(y) * c", "L = sum(log(1 + exp(h)))"],
     lambda W, X, b, c: np.sum(np.log(1 + np.exp(np.tanh(W @ X + b) * c))), {"W": W / 3, "X": X, "b": b / 5, "c": 1.5}),
]


def solve(nodes, values):
    toml_values = {name: (v.tolist() if np.ndim(v) == 0 else [row[0] for row in v.tolist()] if v.shape[1] == 1
                          and name != "X" else v.tolist()) if isinstance(v, np.ndarray) else v for name, v in values.items()}
    return solver.solve(parse_exercise({"kind": "graph", "title": "m", "nodes": nodes, "values": toml_values}, "m.toml"))


def central_differences(function, values, name, h=1e-6):
    gradient = np.zeros(np.shape(values[name]))
    for index in np.ndindex(gradient.shape):
        up = {k: np.array(v, dtype=float) for k, v in values.items()}
        down = {k: np.array(v, dtype=float) for k, v in values.items()}
        up[name][index] += h
        down[name][index] -= h
        gradient[index] = (function(**up) - function(**down)) / (2 * h)
    return gradient


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_every_gradient_agrees_with_central_differences_of_the_whole_output(case):
    _, nodes, function, values = case
    steps = {step.id: step.value for step in solve(nodes, values).steps}
    assert steps["a.L"] == pytest.approx(function(**values))
    for name in values:
        numeric = central_differences(function, values, name)
        assert np.shape(steps[f"a.d{name}"]) == np.shape(values[name])
        assert np.allclose(steps[f"a.d{name}"], numeric, atol=1e-6), name


def test_the_product_sends_back_dy_x_transposed_and_w_transposed_dy():
    steps = {step.id: step for step in solver.solve(HOMEWORK).steps}
    y = W @ x + b
    dh = np.maximum(y, 0) - t
    dz = (y >= 0) * dh  # our own backward pass, by hand in NumPy
    assert np.allclose(steps["a.dz"].value, dz) and np.allclose(steps["a.db"].value, dz)
    assert np.allclose(steps["a.dW"].value, dz @ x.T)
    assert np.allclose(steps["a.dx"].value, W.T @ dz)
    assert steps["a.dW"].value.tolist() == [[-2, -1, 1], [0, 0, 0]]  # the ReLU stops the second row
    refs = [(ref.step_id, ref.transpose) for ref in steps["a.dW"].formula.refs]
    assert refs == [("a.dz", False), ("a.x", True)]
    assert [(ref.step_id, ref.transpose) for ref in steps["a.dx"].formula.refs] == [("a.W", True), ("a.dz", False)]


def test_a_column_bias_over_several_columns_gets_the_sum_over_the_columns():
    solution = solve(["z = W @ X", "y = z + b", "L = sum(y * y)"], {"W": W, "X": X, "b": b})
    steps = {step.id: step for step in solution.steps}
    dy = 2 * (W @ X + b)
    assert np.allclose(steps["a.db"].value, dy.sum(axis=1, keepdims=True))
    assert np.allclose(steps["a.dW"].value, dy @ X.T)
    assert r"\mathbf{1}" in "".join(t for t in steps["a.db"].formula.tokens if isinstance(t, str))


def test_a_sum_spreads_its_gradient_over_every_entry():
    steps = {step.id: step.value for step in solve(["z = W @ x", "L = sum(z)"], {"W": W, "x": x}).steps}
    assert steps["a.dz"].tolist() == [[1], [1]]
    assert np.allclose(steps["a.dW"], np.ones((2, 1)) @ x.T)


@pytest.mark.parametrize("nodes, values, key, words", [
    (["z = W @ x", "L = sum(z)"], {"W": W, "x": [1, 2]}, "nodes[0]", ["z = W @ x", "2×3", "2×1"]),
    (["z = W @ x", "y = z + b", "L = sum(y)"], {"W": W, "x": x.ravel().tolist(), "b": [1, 2, 3]}, "nodes[1]",
     ["y", "2×1", "3×1"]),
    (["z = W @ x", "y = z + b"], {"W": W, "x": x.ravel().tolist(), "b": b.ravel().tolist()}, "nodes[1]",
     ["output y", "2×1"]),
    (["y = W @ x + b", "L = sum(y)"], {"W": W, "x": x.ravel().tolist(), "b": b.ravel().tolist()}, "nodes[0]",
     ["node of its own"]),
    (["z = W @ x", "L = sum(z) * sum(z)"], {"W": W, "x": x.ravel().tolist()}, "nodes[1]", ["sum(h)"]),
])
def test_a_node_whose_shapes_do_not_fit_is_one_line_naming_it(nodes, values, key, words):
    toml_values = {k: v.tolist() if isinstance(v, np.ndarray) else v for k, v in values.items()}
    with pytest.raises(SolverError) as error:
        parse_exercise({"kind": "graph", "title": "m", "nodes": nodes, "values": toml_values}, "m.toml")
    message = str(error.value)
    assert "\n" not in message and key in message
    assert all(word in message for word in words), message


def test_only_a_graph_with_matrix_values_accepts_the_product():
    with pytest.raises(ExpressionError, match="@"):
        parse_expression("W @ x", {})
    with pytest.raises(SolverError, match="nodes"):
        parse_exercise({"kind": "graph", "title": "m", "expression": "sum(W @ x)", "values": {"W": [[1]], "x": [1]}},
                       "m.toml")
    with pytest.raises(SolverError, match="@"):
        parse_exercise({"kind": "graph", "title": "m", "nodes": ["q = x @ y", "L = q + x"], "values": {"x": 1, "y": 2}},
                       "m.toml")


def test_the_template_and_the_checker_work_on_the_matrix_steps():
    exercise = solver.load(HOMEWORK)
    text = answers_template(solver.solve(exercise), HOMEWORK)
    for step_id in ("a.z", "a.y", "a.h", "a.L", "a.dh", "a.dy", "a.db", "a.dz", "a.dW", "a.dx"):
        assert f'"{step_id}" = ""' in text
    right = {"a.dW": [[-2, -1, 1], [0, 0, 0]], "a.dx": [-1, 2, 0], "a.L": 1.0}
    wrong = {"a.dW": [[-2, -1, 1], [-2, -1, 1]]}  # the ReLU's gate forgotten
    verdicts = {v.step_id: v for v in check(exercise, parse_answers({**right, **wrong}, "a.toml")).verdicts}
    assert [verdicts[k].outcome for k in ("a.dx", "a.L", "a.dW")] == ["correct", "correct", "wrong"]
    assert Slip.MAX_GRADIENT_TO_BOTH in verdicts["a.dW"].slips
