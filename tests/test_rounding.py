"""Textbook rounding of intermediates (solver/rounding.py): the rule itself against hand-rounded
numbers, the reader's errors, and whole solutions against a plain-NumPy loop that rounds as it
goes (written from the pseudo-code, not from byhand)."""

import tomllib
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import solver
from solver.conventions import Conventions
from solver.engine import solve
from solver.errors import ExerciseError
from solver.exercise import parse_exercise
from solver.rounding import CATEGORIES, STEP_CATEGORIES, Rounding, Rule
from tests.conftest import EXERCISES, network_exercise


@pytest.mark.parametrize("rule, value, expected", [
    (Rule(3), 0.0005, 0.001),          # half away from zero; Python's round() gives 0.0
    (Rule(3), -0.0005, -0.001),
    (Rule(3), 0.0025, 0.003),          # banker's rounding would give 0.002
    (Rule(2), 2.675, 2.68),            # the float is 2.67499999…; its shortest text 2.675 decides
    (Rule(3), 0.5498339973, 0.55),
    (Rule(4), -0.0887233789, -0.0887),
    (Rule(0), 2.5, 3.0),
    (Rule(3), -0.0004, 0.0),           # never -0
    (Rule(3, significant=True), 0.00012345, 0.000123),
    (Rule(4, significant=True), 123.45, 123.5),   # banker's: 123.4
    (Rule(3, significant=True), 9995.0, 10000.0),
    (Rule(3, significant=True), -0.0015555, -0.00156),
    (Rule(4), 1e300, 1e300),
])
def test_rule_rounds_half_away_from_zero_as_written(rule, value, expected):
    assert rule.apply(value) == expected


@given(st.floats(-1e6, 1e6, allow_nan=False), st.integers(0, 8))
def test_rule_agrees_with_decimal_half_up_on_the_shortest_text(value, decimals):
    oracle = float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)) + 0.0
    assert Rule(decimals).apply(value) == oracle
    assert abs(Rule(decimals).apply(value) - value) <= 0.5 * 10.0**-decimals * (1 + 1e-9) + 1e-9 * abs(value)


def test_every_category_names_some_step_kind():
    assert set(STEP_CATEGORIES.values()) == set(CATEGORIES)


def _data(rounding, **kwargs):
    return network_exercise([1, 1], ["sigmoid"], weights=[[[0.5]]], biases=[[0.0]],
                            samples=[{"input": [1], "target": [1]}], learning_rate=1.0, mode="stochastic",
                            conventions={"rounding": rounding}, **kwargs)


def test_a_single_sigmoid_unit_worked_by_hand():
    # by hand: z = 0.5, σ(0.5) = 0.622459 → 0.622; δ = (0.622 − 1)·0.622·(1 − 0.622) = −0.378·0.622·0.378
    # = −0.088873848 → −0.0889; ∂E/∂w = δ·1 = −0.0889; w_new = 0.5 + 0.0889 = 0.5889 (unrounded: 0.588723)
    solution = solve(parse_exercise(_data({"activation": {"decimals": 3}, "delta": {"decimals": 4}})))
    assert solution["a.z1"].item() == 0.5
    assert solution["a.x1"].item() == 0.622
    assert solution["a.delta1"].item() == -0.0889
    assert solution["a.dW1"].item() == pytest.approx(-0.0889, abs=1e-15)
    assert solution["a.W1_new"].item() == pytest.approx(0.5889, abs=1e-15)
    unrounded = solve(parse_exercise(_data({})))
    assert unrounded["a.W1_new"].item() == pytest.approx(0.5887234, abs=1e-7)


def test_one_setting_for_every_quantity_rounds_weights_too():
    # {decimals = 2}: z = 0.5, x = 0.62, f' = 0.62·0.38 = 0.2356 → 0.24, E = ½(0.38)² = 0.0722 → 0.07,
    # δ = −0.38·0.24 = −0.0912 → −0.09, dW = −0.09, W_new = 0.59
    solution = solve(parse_exercise(_data({"decimals": 2})))
    assert [solution[i].item() for i in ("a.x1", "a.E", "a.delta1", "a.dW1", "a.W1_new")] == pytest.approx(
        [0.62, 0.07, -0.09, -0.09, 0.59], abs=1e-15)
    assert solution["a.x0"].item() == 1 and solution["a.W1"].item() == 0.5  # given values are not rounded


def _round(values, decimals):
    return np.vectorize(lambda v: float(Decimal(repr(float(v))).quantize(Decimal(1).scaleb(-decimals),
                                                                         rounding=ROUND_HALF_UP)) + 0.0)(values)


def test_the_5_3_2_sigmoid_exercise_against_a_numpy_loop_that_rounds_as_it_goes():
    data = tomllib.loads((EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text())
    data["conventions"] = {"rounding": {"activation": {"decimals": 3}, "delta": {"decimals": 4}}}
    solution = solve(parse_exercise(data))

    # the textbook's loop: activations to 3 decimals, δ to 4, everything else at full precision
    W1, b1, W2, b2 = np.full((3, 5), 0.1), np.zeros((3, 1)), np.full((2, 3), 0.1), np.zeros((2, 1))
    x0, t = np.array([[1, 1, 0, 0, 0]], float).T, np.array([[1, 0]], float).T
    sigmoid = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    z1 = W1 @ x0 + b1
    x1 = _round(sigmoid(z1), 3)
    z2 = W2 @ x1 + b2
    x2 = _round(sigmoid(z2), 3)
    E = 0.5 * np.sum((x2 - t) ** 2)
    d2 = _round((x2 - t) * x2 * (1 - x2), 4)
    d1 = _round((W2.T @ d2) * x1 * (1 - x1), 4)
    W2n, b2n = W2 - d2 @ x1.T, b2 - d2
    W1n, b1n = W1 - d1 @ x0.T, b1 - d1
    q = np.array([[1, 0, 0, 0, 1]], float).T
    y1 = _round(sigmoid(W1n @ q + b1n), 3)
    y2 = _round(sigmoid(W2n @ y1 + b2n), 3)

    assert x1.ravel().tolist() == [0.55, 0.55, 0.55] and x2.ravel().tolist() == [0.541, 0.541]
    expected = {"a.z1": z1, "a.x1": x1, "a.z2": z2, "a.x2": x2, "a.E": E, "a.delta2": d2, "a.delta1": d1,
                "a.W2_new": W2n, "a.b2_new": b2n, "a.W1_new": W1n, "a.b1_new": b1n, "b.q1.x1": y1, "b.q1.x2": y2}
    for step_id, value in expected.items():
        np.testing.assert_allclose(solution[step_id], value, rtol=0, atol=1e-15, err_msg=step_id)
    assert solution["b.q1.class"].item() == int(np.argmax(y2)) + 1


def test_significant_figures_through_the_numpy_loop():
    data = tomllib.loads((EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text())
    data["conventions"] = {"rounding": {"significant": 3}}
    solution = solve(parse_exercise(data))

    def sig(values):
        return np.vectorize(lambda v: float(Decimal(repr(float(v))).quantize(
            Decimal(1).scaleb(Decimal(repr(float(v))).adjusted() - 2), rounding=ROUND_HALF_UP)) if v else 0.0)(values)

    W1, W2 = np.full((3, 5), 0.1), np.full((2, 3), 0.1)
    x0, t = np.array([[1, 1, 0, 0, 0]], float).T, np.array([[1, 0]], float).T
    sigmoid = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    z1 = sig(W1 @ x0)
    x1 = sig(sigmoid(z1))
    f1 = sig(x1 * (1 - x1))
    z2 = sig(W2 @ x1)
    x2 = sig(sigmoid(z2))
    f2 = sig(x2 * (1 - x2))
    d2 = sig((x2 - t) * f2)
    d1 = sig((W2.T @ d2) * f1)
    dW2, dW1 = sig(d2 @ x1.T), sig(d1 @ x0.T)
    for step_id, value in {"a.z1": z1, "a.x1": x1, "a.fprime1": f1, "a.x2": x2, "a.fprime2": f2, "a.delta2": d2,
                           "a.delta1": d1, "a.dW2": dW2, "a.dW1": dW1, "a.W2_new": sig(W2 - dW2),
                           "a.W1_new": sig(W1 - dW1)}.items():
        np.testing.assert_allclose(solution[step_id], value, rtol=0, atol=1e-15, err_msg=step_id)


def test_the_sheet_and_json_say_which_rounding():
    data = _data({"activation": {"decimals": 3}, "delta": {"decimals": 4}})
    solution = solve(parse_exercise(data))
    sheet = solution.render("md")
    assert "activations to 3 decimals and error terms $\\delta$ to 4 decimals (half away from zero)" in sheet
    assert "0.622" in sheet and "0.622459" not in sheet
    import json

    document = json.loads(solution.render("json"))
    assert document["parts"][0]["rounding"] == {"activation": {"decimals": 3}, "delta": {"decimals": 4}}
    assert "rounding" not in json.loads(solve(parse_exercise(_data({}))).render("json"))["parts"][0]


def test_a_part_may_round_differently():
    parts = [{"name": "a"}, {"name": "b", "conventions": {"rounding": {"activation": {"decimals": 1}}}}]
    exercise = parse_exercise(_data({"activation": {"decimals": 3}}, parts=parts))
    solution = solve(exercise)
    assert solution["a.x1"].item() == 0.622 and solution["b.x1"].item() == 0.6
    assert "In this part:" in solution.render("md")


@pytest.mark.parametrize("rounding, message", [
    ({"decimal": 3}, r"conventions\.rounding\.decimal: unknown key \(did you mean 'decimals'\?\)"),
    ({"activaton": {"decimals": 3}}, r"conventions\.rounding\.activaton: unknown key \(did you mean 'activation'\?\)"),
    ({"decimals": -1}, r"conventions\.rounding\.decimals: expected a whole number from 0 to 15, got -1"),
    ({"significant": 0}, r"conventions\.rounding\.significant: expected a whole number from 1 to 17, got 0"),
    ({"decimals": 3, "significant": 3}, r"conventions\.rounding: expected exactly one of decimals = N or significant = N, not both"),
    ({"delta": {}}, r"conventions\.rounding\.delta: expected exactly one of decimals = N or significant = N$"),
    ({"decimals": 3, "delta": {"decimals": 4}}, r"conventions\.rounding\.delta: give decimals or significant for every quantity"),
    ({"delta": 4}, r"conventions\.rounding\.delta: expected a table, got"),
    (3, r"conventions\.rounding: expected a table, got"),
    ({"decimals": 2.5}, r"conventions\.rounding\.decimals: expected a whole number"),
])
def test_bad_rounding_is_one_line_naming_the_key(rounding, message):
    with pytest.raises(ExerciseError, match=message):
        parse_exercise(_data(rounding))


def test_the_default_rounds_nothing():
    assert not Conventions().rounding and Rounding().apply("activation", 0.123456) is None


def test_the_shipped_textbook_rounding_exercise():
    solution = solver.load("mlp-5-3-2-textbook-rounding")
    steps = solve(solution)
    # 0.1 · (−0.114 + 0.1343) · 0.55 · 0.45 = 0.000502425 → 0.0005 (by hand)
    assert steps["a.delta2"].ravel().tolist() == [-0.114, 0.1343]
    assert steps["a.delta1"].ravel().tolist() == [0.0005, 0.0005, 0.0005]
    assert "activations to 3 decimals" in (EXERCISES.parent / "output" / "mlp-5-3-2-textbook-rounding.md").read_text()
