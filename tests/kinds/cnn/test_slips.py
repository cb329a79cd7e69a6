"""The checker names each counting slip when a student's number is what that slip gives. The wrong
numbers are worked here by hand from LeNet-5 and AlexNet, not by byhand."""

from __future__ import annotations

import pytest

import solver
from solver.check import check, parse_answers
from solver.engine.slips import CNN_SLIPS, Slip
from solver.kinds import kind

CASES = [
    # AlexNet CONV2: 27 × 27 input, 5 × 5 filters, padding 2: (27 + 2 − 5)/1 + 1 = 25 with the padding once
    ("cnn-alexnet-first-layers", Slip.PADDING_COUNTED_ONCE, {"a.l3.width": 25}),
    # LeNet-5 C1: (32 − 5)/1 = 27 without the + 1
    ("cnn-lenet-5", Slip.PLUS_ONE_FORGOTTEN, {"a.l1.width": 27}),
    # AlexNet CONV1: 11 · 11 · 96 = 11,616 weights without the depth 3
    ("cnn-alexnet-first-layers", Slip.FILTER_DEPTH_FORGOTTEN, {"a.l1.weights": 11 * 11 * 96}),
    # LeNet-5 C1: 25 · 28 · 28 · 6 = 117,600 connections without the bias
    ("cnn-lenet-5", Slip.BIAS_CONNECTION_FORGOTTEN, {"a.l1.connections": 117_600}),
    # seed 002's 3-4-2 network: 20 parameters when the 6 biases are left out
    ("cnn-3-4-2-count", Slip.BIASES_LEFT_OUT, {"a.params": 20}),
    # made in one later layer only, the layers before it not asked: LeNet-5 C3 on 14 × 14 is
    # (14 − 5)/1 = 9 without the + 1 (with it forgotten everywhere it would be 7.5)
    ("cnn-lenet-5", Slip.PLUS_ONE_FORGOTTEN, {"a.l3.width": 9}),
    # VGG-16's layer 4 on 112 × 112 with 3 × 3 filters: 112 + 1 − 3 + 1 = 111 with the padding once
    ("cnn-vgg-16", Slip.PADDING_COUNTED_ONCE, {"a.l4.width": 111}),
]


@pytest.mark.parametrize("exercise,slip,answers", CASES, ids=lambda c: getattr(c, "name", None))
def test_the_slip_is_named(exercise, slip, answers):
    report = check(solver.load(exercise), parse_answers(answers, "mine.toml"))
    (verdict,) = report.verdicts
    assert verdict.outcome == "wrong" and slip in verdict.slips, verdict


def test_only_slips_that_can_change_a_number_are_tried():
    assert set(kind("cnn").slips(solver.load("cnn-alexnet-first-layers"))) == set(CNN_SLIPS)
    # no padding, no convolution: neither padding nor a filter's depth can be forgotten
    assert set(kind("cnn").slips(solver.load("cnn-3-4-2-count"))) == {Slip.BIAS_CONNECTION_FORGOTTEN,
                                                                      Slip.BIASES_LEFT_OUT}


def test_a_size_worked_from_a_wrong_one_that_is_not_whole_is_not_shown():
    """227 → conv 11, stride 4 → 55 → pool 3, stride 2 → 27. From a written 54 the pool gives
    (54 − 3)/2 + 1 = 26.5, which no network has: the report does not offer it."""
    from solver.exercise import parse_exercise

    exercise = parse_exercise({"kind": "cnn", "input": [227, 227, 3], "layers": [
        {"type": "conv", "filters": 96, "size": 11, "stride": 4}, {"type": "pool", "size": 3, "stride": 2}]}, "c.toml")
    report = check(exercise, parse_answers({"a.l1.width": 54, "a.l2.width": 26}, "mine.toml"))
    verdicts = {v.step_id: v for v in report.verdicts}
    assert verdicts["a.l2.width"].outcome == "wrong" and verdicts["a.l2.width"].followed is None
    assert "26.5" not in report.render("text") and verdicts["a.l2.width"].expected.item() == 27
