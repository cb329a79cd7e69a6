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
