"""The network slips a check names, from values worked here by hand (math.exp), not by byhand."""

from __future__ import annotations

import tomllib
from math import exp

import numpy as np
import pytest

import solver
from solver.check import check, parse_answers
from solver.engine import solve
from solver.engine.slips import Slip
from solver.exercise import parse_exercise
from solver.kinds import kind
from tests.conftest import EXERCISES


def sigma(z: float) -> float:
    return 1 / (1 + exp(-z))


# mlp-5-3-2-sigmoid: weights 0.1, biases 0, x = (1, 1, 0, 0, 0), t = (1, 0): z¹ = 0.2 in each unit,
# z² = 3 · 0.1 · σ(0.2) in each output
OUTPUT = sigma(3 * 0.1 * sigma(0.2))
SQUARES = (OUTPUT - 1) ** 2 + OUTPUT**2


def with_loss(loss: str):
    data = tomllib.loads((EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text())
    data["training"]["loss"] = loss
    return parse_exercise(data, f"mlp-5-3-2-{loss}.toml")


@pytest.mark.parametrize("loss,written", [
    ("half_sse", SQUARES),  # the ½ of ½Σ(x − t)² left out: 0.5034
    ("sse", SQUARES / 2),  # a ½ written in front of Σ(x − t)²
])
def test_the_half_of_the_loss_is_named(loss, written):
    exercise = with_loss(loss)
    assert f"{written:.4g}" != f"{solve(exercise)['a.E']:.4g}"
    report = check(exercise, parse_answers({"a.E": f"{written:.4g}"}, "mine.toml"))
    (verdict,) = report.verdicts
    assert verdict.outcome == "wrong" and verdict.slips == (Slip.LOSS_HALF_SWAPPED,), verdict.slips
    assert "likely slip: the ½ of the loss is left out where it belongs" in report.render("text")


def test_the_reviewers_value_for_the_shipped_exercise():
    assert f"{SQUARES:.4g}" == "0.5034"
    report = check(solver.load("mlp-5-3-2-sigmoid"), parse_answers({"a.E": "0.5034"}, "mine.toml"))
    assert report.verdicts[0].slips == (Slip.LOSS_HALF_SWAPPED,)


def test_the_half_left_out_changes_the_loss_only():
    # the gradients of ½Σ(x − t)² keep their ½ when only E is written without it
    exercise = solver.load("mlp-5-3-2-sigmoid")
    truth, slipped = solve(exercise), solve(exercise, slip=Slip.LOSS_HALF_SWAPPED)
    changed = [step.id for step in truth.steps if not np.allclose(slipped[step.id], step.value)]
    assert changed == ["a.E"]
    assert slipped["a.E"] == pytest.approx(SQUARES) and truth["a.E"] == pytest.approx(SQUARES / 2)


@pytest.mark.parametrize("loss,tried", [("half_sse", True), ("sse", True), ("mse", False), ("cross_entropy", False)])
def test_the_half_is_tried_only_for_a_squared_error_with_or_without_it(loss, tried):
    assert (Slip.LOSS_HALF_SWAPPED in kind("mlp").slips(with_loss(loss))) is tried


def test_a_delta_worked_from_the_loss_without_its_half_is_named():
    """δ² = 2(x − t)σ′(z²), the derivative of Σ(x − t)², where ½Σ(x − t)² gives (x − t)σ′(z²):
    worked here by hand, named at δ², and ∂E/∂w² from it follows through."""
    exercise = solver.load("mlp-5-3-2-sigmoid")
    targets, hidden = (1.0, 0.0), sigma(0.2)
    doubled = [2 * (OUTPUT - t) * OUTPUT * (1 - OUTPUT) for t in targets]
    gradient = [[d * hidden] * 3 for d in doubled]
    answers = {"a.delta2": [f"{d:.6g}" for d in doubled], "a.dW2": [[f"{g:.6g}" for g in row] for row in gradient]}
    report = check(exercise, parse_answers(answers, "mine.toml"))
    delta, dW = report.verdicts
    assert delta.outcome == "wrong" and delta.slips[0] is Slip.DELTA_HALF_SWAPPED, delta.slips
    assert dW.outcome == "follows through"
    assert Slip.DELTA_HALF_SWAPPED in kind("mlp").slips(with_loss("half_sse"))
    assert Slip.DELTA_HALF_SWAPPED not in kind("mlp").slips(with_loss("cross_entropy"))
