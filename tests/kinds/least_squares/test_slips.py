"""The checker names each least-squares slip when a student's number is what that slip gives. The
wrong numbers are worked here by hand (Fractions, or numpy.linalg.lstsq on the data without the
ones), not by byhand's engine."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import solver
from solver.check import check, parse_answers
from solver.engine.slips import LEAST_SQUARES_SLIPS, Slip
from solver.exercise import parse_exercise
from solver.kinds import kind

LINE = "least-squares-line-3-points"  # (0, 1), (1, 2), (2, 4): a = 3/2, b = 5/6, L = 1/12
MULTI = "least-squares-multi-output"
MULTI_X = np.array([[1, 2, 3, 4], [0, 1, 0, 1]], dtype=float)
MULTI_Y = np.array([[1, 3, 2, 5], [0, 1, 1, 2]], dtype=float)


def written(values) -> list:
    """Fractions as the strings a student may write: exact, so the tolerance is no question."""
    return [f"{v.numerator}/{v.denominator}" for v in values]


def through_origin(x: list[int], y: list[int]) -> tuple[Fraction, list[Fraction], list[Fraction], Fraction]:
    """The line y = a x with the intercept forgotten: a = Σxy / Σx², its fit, residuals and ½ Σ r²."""
    a = Fraction(sum(p * q for p, q in zip(x, y)), sum(p * p for p in x))
    fit = [a * p for p in x]
    residuals = [q - f for q, f in zip(y, fit)]
    return a, fit, residuals, Fraction(1, 2) * sum(r * r for r in residuals)


def the_verdict(exercise, answers: dict):
    report = check(exercise, parse_answers(answers, "mine.toml"))
    (verdict,) = report.verdicts
    return verdict


def test_the_line_through_the_origin_is_named_at_the_fit_the_residuals_and_the_loss():
    a, fit, residuals, loss = through_origin([0, 1, 2], [1, 2, 4])
    assert (a, loss) == (2, Fraction(1, 2))  # 10/5, and r = (1, 0, 0)
    exercise = solver.load(LINE)
    for step_id, value in (("a.y_hat", written(fit)), ("a.r", written(residuals)), ("a.L", written([loss])[0])):
        verdict = the_verdict(exercise, {step_id: value})
        assert verdict.outcome == "wrong" and Slip.INTERCEPT_FORGOTTEN in verdict.slips, verdict


def test_the_ones_left_out_are_named_where_they_change_the_shape():
    """Without the ones, X is 3×1, XᵀX is Σx² (1×1), Xᵀy is Σxy and θ one number: the shapes a
    student who made the slip writes. They are judged wrong with the slip named, not left as
    "could not check" for their shape."""
    x, y = [0, 1, 2], [1, 2, 4]
    a, *_ = through_origin(x, y)
    answers = {"a.X": [[p] for p in x], "a.XtX": [[sum(p * p for p in x)]],
               "a.Xty": [sum(p * q for p, q in zip(x, y))], "a.theta": written([a])[0]}
    report = check(solver.load(LINE), parse_answers(answers, "mine.toml"))
    assert [v.step_id for v in report.verdicts] == ["a.X", "a.XtX", "a.Xty", "a.theta"]
    for verdict in report.verdicts:
        assert verdict.outcome == "wrong" and verdict.slips == (Slip.INTERCEPT_FORGOTTEN,), verdict
    # a wrong shape that no slip gives is still not checked, with its reason
    verdict = the_verdict(solver.load(LINE), {"a.XtX": [[1, 2, 3]]})
    assert verdict.outcome == "could not check" and "expected a 2×2 matrix" in verdict.reason


def test_the_row_of_ones_left_out_of_several_outputs_is_named():
    W_t, *_ = np.linalg.lstsq(MULTI_X.T, MULTI_Y.T, rcond=None)  # no ones: W X with W of size 2 × 2
    Y_hat = W_t.T @ MULTI_X
    exercise = solver.load(MULTI)
    assert not np.allclose(Y_hat, solver.solve(exercise)["a.Y_hat"])  # the slip changes the fit
    verdict = the_verdict(exercise, {"a.Y_hat": [[f"{v:.10f}" for v in row] for row in Y_hat]})
    assert verdict.outcome == "wrong" and verdict.slips == (Slip.INTERCEPT_FORGOTTEN,), verdict
    loss = 0.5 * float(((MULTI_Y - Y_hat) ** 2).sum())
    verdict = the_verdict(exercise, {"a.L": f"{loss:.10f}"})
    assert verdict.outcome == "wrong" and Slip.INTERCEPT_FORGOTTEN in verdict.slips, verdict


def test_the_half_left_out_of_the_loss_is_named_at_the_loss():
    residuals = [Fraction(1) - Fraction(5, 6), Fraction(2) - Fraction(3, 2) - Fraction(5, 6),
                 Fraction(4) - 3 - Fraction(5, 6)]  # y − (3/2 x + 5/6) at x = 0, 1, 2
    without_half = sum(r * r for r in residuals)
    assert without_half == Fraction(1, 6)
    verdict = the_verdict(solver.load(LINE), {"a.L": written([without_half])[0]})
    assert verdict.outcome == "wrong" and verdict.slips == (Slip.LOSS_HALF_SWAPPED,), verdict
    assert Slip.LOSS_HALF_SWAPPED.made_at == {"loss"}


def test_a_half_written_where_the_loss_has_none_is_named():
    exercise = parse_exercise({"kind": "least_squares", "x": [0, 1, 2], "y": [1, 2, 4], "loss_factor": 1})
    verdict = the_verdict(exercise, {"a.L": "1/12"})  # ½ Σ r² = ½ · 1/6, where L = Σ r² = 1/6
    assert verdict.outcome == "wrong" and verdict.slips == (Slip.LOSS_HALF_SWAPPED,), verdict


def test_a_right_answers_file_names_no_slip():
    answers = {"a.XtX": [[5, 3], [3, 3]], "a.Xty": [10, 7], "a.XtX_inv": [["1/2", "-1/2"], ["-1/2", "5/6"]],
               "a.theta": ["3/2", "5/6"], "a.y_hat": ["5/6", "7/3", "23/6"], "a.r": ["1/6", "-1/3", "1/6"],
               "a.L": "1/12"}
    report = check(solver.load(LINE), parse_answers(answers, "mine.toml"))
    assert [v.outcome for v in report.verdicts] == ["correct"] * len(answers)
    assert all(v.slips == () for v in report.verdicts)


def test_a_wrong_number_no_slip_gives_is_not_blamed_on_one():
    verdict = the_verdict(solver.load(LINE), {"a.L": "1/5"})
    assert verdict.outcome == "wrong" and verdict.slips == ()


@pytest.mark.parametrize("data,expected", [
    ({"x": [0, 1, 2], "y": [1, 2, 4]}, set(LEAST_SQUARES_SLIPS)),
    # no ones to forget
    ({"x": [0, 1, 2], "y": [1, 2, 4], "intercept": False}, {Slip.LOSS_HALF_SWAPPED}),
    ({"X": [[1, 2], [2, 0], [3, 1]], "y": [1, 2, 3]}, {Slip.LOSS_HALF_SWAPPED}),
    # as many samples as unknowns: the line goes through both points and the loss is 0 either way
    ({"x": [0, 1], "y": [1, 3]}, {Slip.INTERCEPT_FORGOTTEN}),
], ids=["line", "through the origin", "X as written", "two points"])
def test_only_slips_that_can_change_a_number_are_tried(data, expected):
    exercise = parse_exercise({"kind": "least_squares", **data})
    assert set(kind("least_squares").slips(exercise)) == expected
