"""The checker names each graph slip when a student's number is what that slip gives. The wrong
numbers are worked here by hand from the shipped exercises' values, not by byhand."""

from __future__ import annotations

import math

import pytest

import solver
from solver.check import answers_template, check, parse_answers
from solver.engine.slips import Slip
from solver.kinds import kind

MAX_GRAPH = "graph-add-multiply-max"  # q = x y, r = max(z, w), s = q + r, f = 2 s x at x=3, y=−4, z=2, w=−1
NEURON = "graph-sigmoid-neuron"  # L = 1/a, a = 1 + e^c, c = −(w0 x0 + w1 x1 + w2) = −1


def eight_figures(value: float) -> str:
    return f"{value:.8g}"


def verdict(exercise: str, answers: dict):
    report = check(solver.load(exercise), parse_answers({k: eight_figures(v) for k, v in answers.items()}, "a.toml"))
    (found,) = [v for v in report.verdicts if v.step_id in answers and v.step_id == next(iter(answers))]
    return found, report


# by hand: df = 1, ds = 2x = 6, dr = dq = 6, dx = y·dq + 2s·df = −24 − 20 = −44
A = math.exp(-1) + 1
CASES = [
    # x feeds q and f; worked back from f, the path through q comes last and overwrites: dx = y·dq = −24
    (MAX_GRAPH, Slip.GRADIENT_PATHS_NOT_SUMMED, {"a.dx": -4 * 6}),
    # or the path through f, worked first, is kept and the other dropped: dx = 2s·df = −20
    (MAX_GRAPH, Slip.FIRST_GRADIENT_PATH_ONLY, {"a.dx": -20}),
    # max(z, w) with z = 2 > w = −1: w gets 0, with the slip the whole dr = 6
    (MAX_GRAPH, Slip.MAX_GRADIENT_TO_BOTH, {"a.dw": 6}),
    # L = 1/a: dL/da = +1/a² with the slip
    (NEURON, Slip.RECIPROCAL_DERIVATIVE_SIGN_LOST, {"a.da": 1 / A**2}),
    # carried on: dc = e^c · (1/a²), dd = −dc, dw0 = x0 · dd = +e^(−1)/a² (the right one is −0.196612)
    (NEURON, Slip.RECIPROCAL_DERIVATIVE_SIGN_LOST, {"a.dw0": math.exp(-1) / A**2}),
]


@pytest.mark.parametrize("exercise,slip,answers", CASES, ids=[f"{c[1].name}-{next(iter(c[2]))}" for c in CASES])
def test_a_graph_slip_is_named(exercise, slip, answers):
    found, report = verdict(exercise, answers)
    assert found.outcome == "wrong", report.render()
    assert slip in found.slips, [s.name for s in found.slips]


def test_the_right_numbers_by_hand_are_correct():
    dot = math.exp(-1) / A**2  # (1 − σ)σ at w·x = 1: CS231n's 0.196612
    answers = {"a.dw0": -dot, "a.dx0": 2 * dot, "a.dw1": -2 * dot, "a.dx1": -3 * dot, "a.dw2": dot, "a.L": 1 / A}
    report = check(solver.load(NEURON), parse_answers({k: eight_figures(v) for k, v in answers.items()}, "a.toml"))
    assert {v.outcome for v in report.verdicts} == {"correct"}, report.render()


def test_a_graph_makes_only_the_slips_that_change_its_numbers():
    assert set(kind("graph").slips(solver.load(MAX_GRAPH))) == {Slip.GRADIENT_PATHS_NOT_SUMMED,
                                                                 Slip.FIRST_GRADIENT_PATH_ONLY, Slip.MAX_GRADIENT_TO_BOTH}
    assert kind("graph").slips(solver.load(NEURON)) == (Slip.RECIPROCAL_DERIVATIVE_SIGN_LOST,)


def test_the_answers_template_lists_every_node_and_gradient():
    text = answers_template(solver.solve(MAX_GRAPH), MAX_GRAPH)
    for step_id in ("a.q", "a.r", "a.s", "a.f", "a.df", "a.ds", "a.dr", "a.dq", "a.dz", "a.dw", "a.dx", "a.dy"):
        assert f'"{step_id}" = ""' in text
