"""Follow-through: a value worked from the student's own wrong answer follows through even where the
steps' recorded inputs do not link it (a parameter carried into the next update, a loss written as
a sum), and even when the student carried more digits than they wrote. Expected values come from
the formulas worked here in plain NumPy."""

import tomllib

import numpy as np
import pytest

import solver
from solver.check import check, parse_answers
from solver.check.checker import CORRECT, FOLLOWS_THROUGH, WRONG
from solver.exercise import parse_exercise

ADAM = """
kind = "optimizer"
steps = 2
objective = "x^2 + 3*y^2"
[parameters]
x = 1.5
y = -0.5
[optimizer]
name = "adam"
learning_rate = 0.1
"""

NETWORK = """
[network]
inputs = 2
activation = "sigmoid"
[[network.layers]]
units = 2
weights = [[0.5, -0.3], [0.2, 0.4]]
biases = [0.1, -0.2]
[[network.layers]]
units = 1
weights = [[0.7, -0.6]]
biases = [0.3]
[training]
loss = "half_sse"
mode = "stochastic"
learning_rate = 0.5
samples = [ { input = [1, 2], target = [1] } ]
"""


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _network():
    """x¹, x², δ² and ∂E/∂w² of NETWORK, worked from the formulas."""
    W1, b1 = np.array([[0.5, -0.3], [0.2, 0.4]]), np.array([[0.1], [-0.2]])
    W2, b2 = np.array([[0.7, -0.6]]), np.array([[0.3]])
    x0, t = np.array([[1.0], [2.0]]), np.array([[1.0]])
    x1 = _sigmoid(W1 @ x0 + b1)
    x2 = _sigmoid(W2 @ x1 + b2)
    delta2 = (x2 - t) * x2 * (1 - x2)
    return x1, x2, delta2, delta2 @ x1.T


def _verdicts(text: str, answers: dict):
    report = check(parse_exercise(tomllib.loads(text), "exercise.toml"), parse_answers(answers, "mine.toml"))
    return {v.step_id: v for v in report.verdicts}


def test_a_gradient_worked_from_a_wrong_update_follows_through_into_the_next_update():
    # Adam's first update of x: m̂ = g = 2x = 3 and ŝ = g² = 9, so x₁ = 1.5 − 0.1 · 3/√9 = 1.4
    x1 = 1.5 - 0.1 * 3 / (np.sqrt(9) + 1e-8)
    wrong_x1 = 1.5 + 0.1 * 3 / (np.sqrt(9) + 1e-8)  # the gradient added: 1.6
    verdicts = _verdicts(ADAM, {"a.t1.x_new": round(wrong_x1, 6), "a.t2.dx": round(2 * wrong_x1, 6)})
    assert verdicts["a.t1.x_new"].outcome == WRONG
    follows = verdicts["a.t2.dx"]
    assert follows.outcome == FOLLOWS_THROUGH and follows.follows_from == ("a.t1.x_new",)
    assert follows.expected.item() == pytest.approx(2 * x1)


def test_a_loss_worked_from_a_wrong_output_follows_through():
    _, x2, _, _ = _network()
    wrong = float(x2.item()) - 0.0104  # 0.5483
    verdicts = _verdicts(NETWORK, {"a.x2": round(wrong, 4), "a.E": f"{0.5 * (wrong - 1) ** 2:.4f}"})
    assert verdicts["a.x2"].outcome == WRONG
    assert verdicts["a.E"].outcome == FOLLOWS_THROUGH and verdicts["a.E"].follows_from == ("a.x2",)
    assert verdicts["a.E"].expected.item() == pytest.approx(0.5 * (x2.item() - 1) ** 2)


def test_a_value_carried_to_more_digits_than_written_still_follows_through():
    x1, _, delta2, dW2 = _network()
    # δ² with its sign flipped, written to 6 figures; ∂E/∂w² from the unrounded flipped δ², to 6 figures
    answers = {"a.x1": [f"{v:.6g}" for v in x1.ravel()], "a.delta2": f"{-delta2.item():.6g}",
               "a.dW2": [[f"{-v:.6g}" for v in dW2.ravel()]]}
    verdicts = _verdicts(NETWORK, answers)
    assert [verdicts[i].outcome for i in ("a.x1", "a.delta2", "a.dW2")] == [CORRECT, WRONG, FOLLOWS_THROUGH]
    # a right ∂E/∂w² worked from the rounded right δ² and x¹ is right
    rounded = float(f"{delta2.item():.6g}") * np.array([float(f"{v:.6g}") for v in x1.ravel()])
    answers = {**answers, "a.delta2": f"{delta2.item():.6g}", "a.dW2": [[f"{v:.6g}" for v in rounded]]}
    assert _verdicts(NETWORK, answers)["a.dW2"].outcome == CORRECT


def test_the_spread_of_rounding_does_not_excuse_a_wrong_digit():
    x1, _, delta2, dW2 = _network()
    answers = {"a.x1": [f"{v:.6g}" for v in x1.ravel()], "a.delta2": f"{-delta2.item():.6g}",
               "a.dW2": [[f"{-dW2[0, 0]:.6g}", f"{-dW2[0, 1] * 1.0002:.6g}"]]}  # off in the 4th figure
    assert _verdicts(NETWORK, answers)["a.dW2"].outcome == WRONG


def test_right_answers_rounded_before_use_keep_the_later_steps_right():
    report = solver.check_answers("mlp-5-3-2-sigmoid", parse_answers(
        {"a.x1": [0.5498, 0.5498, 0.5498], "a.z2": [0.16494, 0.16494]}, "mine.toml"))
    assert [v.outcome for v in report.verdicts] == [CORRECT, CORRECT]


def test_a_right_answer_written_short_does_not_loosen_the_steps_after_it():
    """z¹ = 0.2 exactly (0.1 · 2): written "0.20" it is exact, not 0.20 ± 0.005 (which would let x¹ move
    by 0.2 %), so x¹ = σ(0.2) = 0.549834 must still be right to the figures written: 0.5487 is wrong."""
    sigma = 1 / (1 + np.exp(-0.2))
    report = solver.check_answers("mlp-5-3-2-sigmoid", parse_answers(
        {"a.z1": ["0.20", "0.20", "0.20"], "a.x1": ["0.5487", "0.5487", "0.5487"]}, "mine.toml"))
    verdicts = {v.step_id: v for v in report.verdicts}
    assert verdicts["a.z1"].outcome == CORRECT
    assert round(sigma, 4) != 0.5487 and verdicts["a.x1"].outcome == WRONG


def _graph(nodes, values, answers):
    data = {"kind": "graph", "nodes": nodes, "values": values}
    return {v.step_id: v for v in check(parse_exercise(data, "g.toml"), parse_answers(answers, "mine.toml")).verdicts}


def test_right_distances_rounded_across_a_tie_do_not_make_the_wrong_order_right():
    """d₁ = 2.2352 < d₂ = 2.2365, written 2.24 and 2.23 (each right to 3 figures): the order [2, 1, 3]
    they suggest is wrong, and the class that follows from it follows through, never 'correct'."""
    data = {"kind": "knn", "points": [[2.2352, 0], [0, 2.2365], [5, 5]], "labels": ["A", "B", "B"], "queries": [[0, 0]],
            "k": 1}
    answers = {"a.q1.d1": 2.24, "a.q1.d2": 2.23, "a.q1.order": [2, 1, 3], "a.q1.votes": [0, 1], "a.q1.class": 2}
    report = check(parse_exercise(data, "knn.toml"), parse_answers(answers, "mine.toml"))
    outcomes = {v.step_id: v.outcome for v in report.verdicts}
    assert outcomes == {"a.q1.d1": CORRECT, "a.q1.d2": CORRECT, "a.q1.order": WRONG,
                        "a.q1.votes": FOLLOWS_THROUGH, "a.q1.class": FOLLOWS_THROUGH}
    assert report.exit_status == 1


def test_moves_that_cancel_and_values_near_zero_still_follow_through():
    # s = q − r from q = xy = −12 and r = x + y = −1, written −12.35 and −1.23 but carried as −12.3451, −1.2345
    verdicts = _graph(["q = x * y", "r = x + y", "s = q - r"], {"x": 3, "y": -4},
                      {"a.q": -12.35, "a.r": -1.23, "a.s": round(-12.3451 + 1.2345, 4)})
    assert verdicts["a.s"].outcome == FOLLOWS_THROUGH and verdicts["a.s"].follows_from == ("a.q", "a.r")
    # s = q − x − y = 0 from q = 4, written 4.012 but carried as 4.01234: s = 0.01234
    verdicts = _graph(["q = x * y", "s = q - x - y"], {"x": 2, "y": 2}, {"a.q": 4.012, "a.s": 0.01234})
    assert verdicts["a.s"].outcome == FOLLOWS_THROUGH


def test_a_right_answer_stands_for_what_was_written_or_the_truth_not_its_whole_last_digit():
    # q = 2 exactly, written 2.00; s = q + z = 0.55 exactly: 0.545 is wrong, whatever 2.00's last digit
    verdicts = _graph(["q = x * y", "s = q + z", "f = 3 * s"], {"x": 1, "y": 2, "z": -1.45},
                      {"a.q": "2.00", "a.s": 0.545, "a.f": 1.65})
    assert [verdicts[i].outcome for i in ("a.q", "a.s", "a.f")] == [CORRECT, WRONG, CORRECT]
    # CS231n's neuron: a = 1 + e^{−1} = 1.36788, written 1.37 (right); L = 1/a = 0.731059.
    # From 1.37, L = 0.729927; anything between is right, 0.7275 is not
    a = 1 + np.exp(-1.0)
    for written, outcome in ((0.7275, WRONG), (f"{1 / 1.368:.6f}", CORRECT), (f"{1 / a:.6f}", CORRECT)):
        report = solver.check_answers("graph-sigmoid-neuron", parse_answers({"a.a": 1.37, "a.L": written}, "m.toml"))
        assert report.verdicts[-1].outcome == outcome, written


def test_the_origin_named_is_the_wrong_answer_that_changes_the_value():
    # m = max(p, q) = q when q > p: a wrong p does not reach m; f = 2m follows from q alone
    verdicts = _graph(["p = x * y", "q = x + y", "m = max(p, q)", "f = 2 * m"], {"x": 3, "y": -4},
                      {"a.p": -11, "a.q": 1, "a.m": 1, "a.f": 2})
    assert verdicts["a.m"].follows_from == ("a.q",) and verdicts["a.f"].follows_from == ("a.q",)
    # E = ½(x² − t)² worked from the student's own x², which overrides the wrong z¹ before it
    report = solver.check_answers("mlp-2-2-1-relu-fractions", parse_answers(
        {"a.s1.z1": [0.3, 1], "a.s1.x2": -0.2, "a.s1.E": 0.72}, "m.toml"))
    E = {v.step_id: v for v in report.verdicts}["a.s1.E"]
    assert 0.5 * (-0.2 - 1) ** 2 == pytest.approx(0.72) and E.outcome == FOLLOWS_THROUGH
    assert E.follows_from == ("a.s1.x2",)


def test_a_perceptron_update_missed_because_of_a_rounded_weight_is_wrong_not_correct():
    """w₀ = −2.09951 + 0.1 = −1.99951 after sample 1, written −2.00 (right to 3 figures); sample 2's net
    input is −1.99951 + 1 + 1 = 0.00049 > 0, so y = 1. From −2.00 the net is 0 and y = 0: the net written
    0 is right from the rounded weight, the missed update is not."""
    data = {"kind": "perceptron", "samples": [{"input": [0, 0], "target": 1}, {"input": [1, 1], "target": 0}],
            "learning_rate": 0.1, "max_epochs": 1, "weights": [-2.09951, 1, 1]}
    answers = {"a.e1.s1.w_new": ["-2.00", 1, 1], "a.e1.s2.net": 0, "a.e1.s2.y": 0, "a.e1.s2.error": 0,
               "a.e1.s2.w_new": ["-2.00", 1, 1]}
    report = check(parse_exercise(data, "p.toml"), parse_answers(answers, "mine.toml"))
    outcomes = {v.step_id: v.outcome for v in report.verdicts}
    assert outcomes["a.e1.s2.y"] == WRONG and report.exit_status == 1


def test_a_step_worked_from_a_right_but_rounded_gradient_is_right():
    """∂E/∂w² worked from x¹ and δ² written to 4 figures (right), and w² − η ∂E/∂w² from that: both right."""
    x1, _, delta2, _ = _network()
    x1_w = np.array([float(f"{v:.4g}") for v in x1.ravel()])
    d2_w = float(f"{delta2.item():.4g}")
    dW2 = d2_w * x1_w
    W2_new = np.array([0.7, -0.6]) - 0.5 * np.array([float(f"{v:.6g}") for v in dW2])
    answers = {"a.x1": [f"{v:.4g}" for v in x1_w], "a.delta2": f"{d2_w:.4g}", "a.dW2": [[f"{v:.6g}" for v in dW2]],
               "a.W2_new": [[f"{v:.6g}" for v in W2_new]]}
    verdicts = _verdicts(NETWORK, answers)
    assert [verdicts[i].outcome for i in ("a.x1", "a.delta2", "a.dW2", "a.W2_new")] == [CORRECT] * 4
