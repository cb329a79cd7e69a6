"""Gaussian classes against plain Python: means and covariances summed point by point in
Fractions, the inverse and determinant of a 2 × 2 by the textbook formula, the density written
out with math.exp and math.sqrt (scipy is not available), the class by comparing densities."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

import solver
from solver.exercise import parse_exercise
from solver.kinds.mle.gaussian import density_expression, log_density_expression
from tests.conftest import EXERCISES
from tests.hostile import FUZZ

SHIPPED = EXERCISES / "mle-gaussian-2-classes.toml"
POINTS = [[1, 2], [2, 1], [3, 3], [2, 4], [6, 5], [7, 7], [8, 6], [7, 5]]
LABELS = ["A"] * 4 + ["B"] * 4


def statistics(points, divisor_offset=0):
    """(mean, covariance) in Fractions, by loops."""
    n = len(points)
    mean = [sum(Fraction(p[c]) for p in points) / n for c in range(2)]
    cov = [[sum((Fraction(p[a]) - mean[a]) * (Fraction(p[b]) - mean[b]) for p in points) / (n - divisor_offset)
            for b in range(2)] for a in range(2)]
    return mean, cov


def density(x, mean, cov):
    det = cov[0][0] * cov[1][1] - cov[0][1] * cov[1][0]
    inverse = [[cov[1][1] / det, -cov[0][1] / det], [-cov[1][0] / det, cov[0][0] / det]]
    gap = [Fraction(x[0]) - mean[0], Fraction(x[1]) - mean[1]]
    delta = sum(gap[a] * inverse[a][b] * gap[b] for a in range(2) for b in range(2))
    return delta, det, math.exp(-float(delta) / 2) / (2 * math.pi * math.sqrt(float(det)))


def exact(solution, id):
    return solution.step(id).exact


def test_the_shipped_two_classes():
    solution = solver.solve(solver.load_exercise(SHIPPED))
    for j, label in enumerate("AB", start=1):
        mean, cov = statistics([p for p, c in zip(POINTS, LABELS) if c == label])
        assert exact(solution, f"a.c{j}.mu").ravel().tolist() == mean
        assert exact(solution, f"a.c{j}.Sigma").tolist() == cov
        assert exact(solution, f"a.c{j}.prior")[()] == Fraction(1, 2)
        for q, query in enumerate([[4, 4], [6, 6]], start=1):
            delta, det, p = density(query, mean, cov)
            assert exact(solution, f"a.c{j}.det")[()] == det
            assert exact(solution, f"a.q{q}.D{j}")[()] == delta
            assert solution[f"a.q{q}.p{j}"] == pytest.approx(p, rel=1e-12)
            assert solution[f"a.q{q}.lp{j}"] == pytest.approx(math.log(p), rel=1e-12)
    # class A: μ = (2, 5/2), Σ = [[1/2, 1/4], [1/4, 5/4]] (worked by hand); (4, 4): Δ_A = 74/9, Δ_B = 163/9
    assert exact(solution, "a.c1.Sigma").tolist() == [[Fraction(1, 2), Fraction(1, 4)], [Fraction(1, 4), Fraction(5, 4)]]
    assert exact(solution, "a.q1.D1")[()] == Fraction(74, 9) and exact(solution, "a.q1.D2")[()] == Fraction(163, 9)
    assert solution["a.q1.class"] == 1 and solution["a.q2.class"] == 2


def test_unbiased_covariance_and_frequency_prior_against_numpy():
    points = POINTS[:3] + POINTS[4:]
    labels = [0, 0, 0, 1, 1, 1, 1]
    solution = solver.solve(parse_exercise({"kind": "mle", "points": points, "labels": labels, "query": [4, 4],
                                            "covariance": "unbiased", "prior": "frequency"}))
    for j, label in enumerate([0, 1], start=1):
        members = np.array([p for p, c in zip(points, labels) if c == label], dtype=float)
        np.testing.assert_allclose(solution[f"a.c{j}.Sigma"], np.cov(members.T, ddof=1))
        assert exact(solution, f"a.c{j}.prior")[()] == Fraction(len(members), 7)
        assert solution[f"a.q1.s{j}"] == pytest.approx(len(members) / 7 * solution[f"a.q1.p{j}"])
    scores = [solution[f"a.q1.s{j}"] for j in (1, 2)]
    assert solution["a.q1.class"] == [0, 1][scores.index(max(scores))]  # whole-number labels are the class numbers


def test_a_query_far_from_both_classes_still_gets_a_class():
    solution = solver.solve(parse_exercise({"kind": "mle", "points": POINTS, "labels": LABELS, "query": [60, 60]}))
    assert solution["a.q1.p1"] == 0 and solution["a.q1.p2"] == 0  # below float64's smallest number
    assert solution["a.q1.class"] == (1 if solution["a.q1.lp1"] > solution["a.q1.lp2"] else 2)


def test_the_log_density_is_the_log_of_the_density():
    for d in (1, 2, 3):
        difference = sp.expand_log(sp.log(density_expression(d)), force=True) - log_density_expression(d)
        assert sp.simplify(difference) == 0


@FUZZ
@given(st.lists(st.tuples(st.integers(-5, 5), st.integers(-5, 5)), min_size=3, max_size=5),
       st.lists(st.tuples(st.integers(-5, 5), st.integers(-5, 5)), min_size=3, max_size=5),
       st.tuples(st.integers(-6, 6), st.integers(-6, 6)))
def test_random_classes_against_loops(first, second, query):
    for group in (first, second):
        _, cov = statistics(group)
        assume(cov[0][0] * cov[1][1] - cov[0][1] ** 2 != 0)
    points = [list(p) for p in first + second]
    labels = ["A"] * len(first) + ["B"] * len(second)
    solution = solver.solve(parse_exercise({"kind": "mle", "points": points, "labels": labels, "query": list(query)}))
    densities = []
    for j, group in enumerate((first, second), start=1):
        mean, cov = statistics(group)
        delta, det, p = density(query, mean, cov)
        assert exact(solution, f"a.c{j}.Sigma").tolist() == cov
        assert exact(solution, f"a.q1.D{j}")[()] == delta
        assert solution[f"a.q1.p{j}"] == pytest.approx(p, rel=1e-9, abs=1e-300)
        densities.append(-float(delta) / 2 - 0.5 * math.log(float(det)))
    if abs(densities[0] - densities[1]) > 1e-9:
        assert solution["a.q1.class"] == (1 if densities[0] > densities[1] else 2)
