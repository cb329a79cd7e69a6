"""The perceptron engine against a plain-Python loop written from the rule, the boundary against
the samples, and the published facts: AND, OR, NAND, NOR and majority separable, XOR not."""

from __future__ import annotations

import itertools
import tomllib
from fractions import Fraction

import numpy as np
import pytest

import solver
from solver.check import check, parse_answers
from solver.engine.slips import Slip
from solver.exercise import parse_exercise
from solver.kinds.perceptron.separability import separability
from tests.conftest import EXERCISES


def plain_perceptron(inputs, targets, low, eta, weights, max_epochs):
    """The rule as the pseudo-code says, bias first with x0 = 1: a list of epochs, each a list of
    (s, y, error, new weights) per sample."""
    w = list(weights)
    epochs = []
    for _ in range(max_epochs):
        rows = []
        for x, t in zip(inputs, targets):
            xx = [1.0, *x]
            s = sum(a * b for a, b in zip(w, xx))
            y = 1.0 if s > 1e-9 else low
            e = t - y
            w = [a + eta * e * b for a, b in zip(w, xx)]
            rows.append((s, y, e, list(w)))
        epochs.append(rows)
        if all(row[2] == 0 for row in rows):
            break
    return epochs


GATES = {"and": lambda b: all(b), "or": lambda b: any(b), "nand": lambda b: not all(b), "nor": lambda b: not any(b),
         "majority": lambda b: 2 * sum(b) > len(b)}


def gate_data(name, n, low):
    inputs = list(itertools.product((0, 1), repeat=n))
    return inputs, [1.0 if GATES[name](b) else float(low) for b in inputs]


CASES = [(gate, n, activation, bias, eta, start)
         for gate, n in (("and", 2), ("or", 2), ("nand", 2), ("nor", 2), ("majority", 3), ("majority", 4), ("and", 3))
         for activation, bias in (("threshold", "w0"), ("sign", "b"))
         for eta, start in ((1, 0), (0.5, 0.2), (0.1, -0.3))]


@pytest.mark.parametrize("gate,n,activation,bias,eta,start", CASES)
def test_every_step_agrees_with_a_plain_loop(gate, n, activation, bias, eta, start):
    low = 0 if activation == "threshold" else -1
    data = {"kind": "perceptron", "dataset": gate, "inputs": n, "activation": activation, "bias": bias,
            "learning_rate": eta, "weights": start, "max_epochs": 100}
    solution = solver.solve(parse_exercise(data))
    inputs, targets = gate_data(gate, n, low)
    epochs = plain_perceptron(inputs, targets, low, eta, [start] * (n + 1), 100)
    for e, rows in enumerate(epochs, 1):
        for i, (s, y, error, w) in enumerate(rows, 1):
            group = f"a.e{e}.s{i}"
            assert solution[f"{group}.net"] == pytest.approx(s, abs=1e-12)
            assert solution[f"{group}.y"] == y and solution[f"{group}.error"] == error
            if bias == "w0":
                np.testing.assert_allclose(solution[f"{group}.w_new"].ravel(), w, atol=1e-12)
            else:
                np.testing.assert_allclose(solution[f"{group}.w_new"].ravel(), w[1:], atol=1e-12)
                assert solution[f"{group}.b_new"] == pytest.approx(w[0], abs=1e-12)
    assert f"a.e{len(epochs)}.updates" in solution and f"a.e{len(epochs) + 1}.s1.y" not in solution
    # it converged (the sets are separable and 100 epochs are plenty), and the boundary separates
    assert all(row[2] == 0 for row in epochs[-1])
    final = epochs[-1][-1][3]
    for x, t in zip(inputs, targets):
        s = final[0] + sum(a * b for a, b in zip(final[1:], x))
        assert (s > 1e-9) == (t == 1)
    np.testing.assert_array_equal(solution["a.y_final"].ravel(), targets)


def test_max_epochs_stops_a_run_that_has_not_converged():
    solution = solver.solve(parse_exercise({"kind": "perceptron", "dataset": "and", "max_epochs": 2}))
    assert "a.e2.updates" in solution and "a.e3.s1.y" not in solution
    assert solution["a.e2.updates"] > 0
    sheet = solution.render("md")
    assert "still updated the weights" in sheet and "exact linear programming" in sheet


@pytest.mark.parametrize("name,n,separable", [
    ("and", 2, True), ("or", 2, True), ("nand", 2, True), ("nor", 2, True), ("xor", 2, False), ("xor", 3, False),
    ("majority", 3, True), ("majority", 5, True), ("and", 4, True)])
def test_published_separability(name, n, separable):
    inputs = list(itertools.product((0, 1), repeat=n))
    high = [name == "xor" and sum(b) % 2 == 1 or name != "xor" and GATES[name](b) for b in inputs]
    found = separability(np.array(inputs, dtype=float).T, np.array(high))
    assert found.separable is separable
    if not separable:  # the certificate itself: convex weights on each class giving the same point
        lam = found.combination
        assert all(v >= 0 for v in lam)
        assert sum(v for v, h in zip(lam, high) if h) == 1 and sum(v for v, h in zip(lam, high) if not h) == 1
        for j in range(n):
            assert sum(v * b[j] for v, b, h in zip(lam, inputs, high) if h) == found.point[j]
            assert sum(v * b[j] for v, b, h in zip(lam, inputs, high) if not h) == found.point[j]


def test_separability_agrees_with_a_search_over_small_integer_weights():
    """Every boolean function of two inputs: separable exactly when small integer weights split it
    (14 of the 16 are; XOR and XNOR are not)."""
    inputs = list(itertools.product((0, 1), repeat=2))
    count = 0
    for table in itertools.product((False, True), repeat=4):
        searched = any(all((w0 + w1 * a + w2 * b > 0) == h for (a, b), h in zip(inputs, table))
                       for w0, w1, w2 in itertools.product(range(-3, 4), repeat=3))
        found = separability(np.array(inputs, dtype=float).T, np.array(table)).separable
        assert found is searched
        count += found
    assert count == 14


def test_xor_sheet_shows_the_contradiction_and_does_not_train():
    solution = solver.solve(solver.load_exercise(EXERCISES / "perceptron-xor-not-separable.toml"))
    assert not any(".e1." in id for id in solution.ids)
    sheet = solution.render("md")
    for inequality in (r"$w_{0} \leq 0$", r"$w_{0} + w_{2} > 0$", r"$w_{0} + w_{1} > 0$",
                       r"$w_{0} + w_{1} + w_{2} \leq 0$", r"$2 w_{0} + w_{1} + w_{2} > 0$",
                       r"$2 w_{0} + w_{1} + w_{2} \leq 0$", r"$(\frac{1}{2}, \frac{1}{2})$"):
        assert inequality in sheet


def test_decimal_rates_see_the_zero_of_the_hand_calculation():
    """η = 0.1: the weights reach 0.1 + 0.2 − 0.3 style sums, which Threshold must see as 0."""
    data = {"kind": "perceptron", "samples": [{"input": [1, 2], "target": 1}, {"input": [3, -1], "target": 0},
                                              {"input": [0.1, 0.2], "target": 0}],
            "learning_rate": 0.1, "weights": [0.3, -0.1, -0.2], "max_epochs": 50}
    solution = solver.solve(parse_exercise(data))
    exact = [Fraction(3, 10), Fraction(-1, 10), Fraction(-2, 10)]
    inputs = [(1, 2), (3, -1), (Fraction(1, 10), Fraction(2, 10))]
    targets = [1, 0, 0]
    e = 0
    while True:
        e += 1
        changed = False
        for i, (x, t) in enumerate(zip(inputs, targets), 1):
            s = exact[0] + exact[1] * x[0] + exact[2] * x[1]
            y = 1 if s > 0 else 0
            assert solution[f"a.e{e}.s{i}.y"] == y
            exact = [w + Fraction(1, 10) * (t - y) * xx for w, xx in zip(exact, (1, *x))]
            changed |= t != y
        if not changed:
            break
    np.testing.assert_allclose(solution[f"a.e{e}.s3.w_new"].ravel(), [float(v) for v in exact], atol=1e-12)


@pytest.mark.parametrize("answer,slip", [
    ({"a.e1.s4.w_new": [-1, -1, -1]}, Slip.PERCEPTRON_ERROR_REVERSED),
    ({"a.e1.s4.w_new": [0, 1, 1]}, Slip.BIAS_NOT_UPDATED),
])
def test_the_checker_names_the_rules_slips(answer, slip):
    exercise = solver.load_exercise(EXERCISES / "perceptron-and-gate.toml")
    text = "\n".join(f'"{k}" = {v}' for k, v in answer.items())
    report = check(exercise, parse_answers(tomllib.loads(text), "answers.toml"))
    assert report.verdicts[0].outcome == "wrong" and slip in report.verdicts[0].slips


def test_a_student_following_a_wrong_update_follows_through():
    exercise = solver.load_exercise(EXERCISES / "perceptron-and-gate.toml")
    text = '"a.e1.s4.w_new" = [-1, -1, -1]\n"a.e2.s1.net" = -1\n"a.e2.s1.y" = 0'
    report = check(exercise, parse_answers(tomllib.loads(text), "answers.toml"))
    assert [v.outcome for v in report.verdicts] == ["wrong", "follows through", "follows through"]


@pytest.mark.parametrize("n", [3, 4, 5])
def test_seed_003_majority_weights_need_a_negative_bias(n):
    """Seed 003 §2.2.2.3.1 prints w = 1 and b = n/2; with Threshold, b = −n/2 is the majority
    function (the starting weights make no update), while b = +n/2 answers 1 to every input
    (s ≥ n/2 > 0), the all-zero input first."""
    data = {"kind": "perceptron", "dataset": "majority", "inputs": n, "max_epochs": 1}
    right = solver.solve(parse_exercise({**data, "weights": [-n / 2] + [1] * n}))
    assert right["a.e1.updates"] == 0
    wrong = solver.solve(parse_exercise({**data, "weights": [n / 2] + [1] * n}))
    assert wrong["a.e1.s1.net"] == n / 2 and wrong["a.e1.s1.y"] == 1 and wrong["a.e1.updates"] > 0


@pytest.mark.parametrize("path", sorted(EXERCISES.glob("perceptron-*.toml")), ids=lambda path: path.stem)
def test_every_shipped_boundary_separates_its_samples(path):
    """The final weights, applied by plain arithmetic, put every sample on its target's side;
    only the XOR exercise has no final weights."""
    solution = solver.solve(solver.load_exercise(path))
    if "xor" in path.stem:
        assert "a.y_final" not in solution
        return
    last = [id for id in solution.ids if id.endswith(".w_new")][-1]
    w = solution[last].ravel()
    b = solution[last.replace("w_new", "b_new")] if last.replace("w_new", "b_new") in solution else None
    x, t = solution["a.x"], solution["a.t"].ravel()
    for column, target in zip(x.T, t):
        s = float(column @ w) + (float(b) if b is not None else 0.0)
        assert (s > 1e-9) == (target == 1)
