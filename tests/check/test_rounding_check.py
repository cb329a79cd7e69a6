"""Checking against a sheet that rounds like a textbook: the rounded chain is the truth, and an
answer that matches the unrounded value instead is correct, with a note. Numbers from a plain
NumPy loop of the 5-3-2 sigmoid exercise (activations to 3 decimals, δ to 4)."""

import tomllib
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest

from solver.check import check, parse_answers
from solver.check.checker import CORRECT, UNROUNDED_NOTE, WRONG
from solver.exercise import parse_exercise
from tests.conftest import EXERCISES


def _round(value: float, decimals: int) -> str:
    return str(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


T = np.array([1.0, 0.0])
# the rounded chain: x1 = σ(0.2) → 0.550, z2 = 3 · 0.1 · 0.550 = 0.165, x2 = σ(0.165) → 0.541
X2_ROUNDED = float(_round(_sigmoid(0.165), 3))
DELTA2_ROUNDED = [_round(v, 4) for v in (X2_ROUNDED - T) * X2_ROUNDED * (1 - X2_ROUNDED)]
# the full-precision chain
X2 = _sigmoid(0.3 * _sigmoid(0.2))
DELTA2_FULL = [_round(v, 5) for v in (X2 - T) * X2 * (1 - X2)]


def _exercise(rounding: bool):
    data = tomllib.loads((EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text())
    if rounding:
        data["conventions"] = {"rounding": {"activation": {"decimals": 3}, "delta": {"decimals": 4}}}
    return parse_exercise(data)


def _verdict(exercise, written):
    """The verdict on δ⁽²⁾ written as strings, so that trailing zeros count ("-0.1140")."""
    return _report(exercise, written).verdicts[0]


def _report(exercise, written):
    quoted = ", ".join(f'"{number}"' for number in written)
    return check(exercise, parse_answers(tomllib.loads(f'"a.delta2" = [{quoted}]')))


def test_the_two_chains_differ_in_the_digits_written():
    assert DELTA2_ROUNDED == ["-0.1140", "0.1343"]
    assert [_round(float(v), 4) for v in DELTA2_FULL] != DELTA2_ROUNDED


def test_the_rounded_chain_is_the_truth():
    verdict = _verdict(_exercise(True), DELTA2_ROUNDED)
    assert verdict.outcome == CORRECT and verdict.reason is None
    # without the convention the textbook's −0.1140 is not the value (−0.113937…)
    assert _verdict(_exercise(False), DELTA2_ROUNDED).outcome == WRONG


def test_the_unrounded_value_is_correct_with_a_note():
    verdict = _verdict(_exercise(True), DELTA2_FULL)
    assert verdict.outcome == CORRECT and verdict.reason == UNROUNDED_NOTE
    report = _report(_exercise(True), DELTA2_FULL)
    assert "matches the unrounded value" in report.render("text")
    assert report.exit_status == 0


@pytest.mark.parametrize("written", [["-0.1200", "0.1343"], ["-0.11500", "0.13437"]])
def test_matching_neither_chain_is_wrong(written):
    assert _verdict(_exercise(True), written).outcome == WRONG
