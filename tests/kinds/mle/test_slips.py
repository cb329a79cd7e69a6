"""The checker names each maximum-likelihood slip when a student's number is what that slip gives.
The wrong numbers are worked here by hand: counts and likelihoods in plain Python, means and
covariances summed point by point in Fractions, the 2 × 2 inverse by the textbook formula and the
density with math.exp, not by byhand's engine."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

import solver
from solver.check import check, parse_answers
from solver.engine.slips import Slip
from solver.exercise import parse_exercise
from solver.kinds import kind

GAUSSIAN = "mle-gaussian-2-classes"
POINTS = [[1, 2], [2, 1], [3, 3], [2, 4], [6, 5], [7, 7], [8, 6], [7, 5]]
CLASS_A, CLASS_B = POINTS[:4], POINTS[4:]
# class A has twice the points of class B, so with prior = "frequency" π_A = 2/3 and π_B = 1/3
UNEQUAL = {"kind": "mle", "points": [[0, 0], [2, 0], [0, 2], [2, 2], [1, 0], [1, 2], [4, 4], [5, 4], [4, 5]],
           "labels": ["A"] * 6 + ["B"] * 3, "prior": "frequency", "query": [3.5, 3.25]}


def fraction(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def mean(points, of=None) -> list[Fraction]:
    """The mean of `of` (by default `points` themselves), by a loop."""
    of = points if of is None else of
    return [sum(Fraction(p[c]) for p in of) / len(of) for c in range(2)]


def scatter(points, centre, divisor) -> list[list[Fraction]]:
    """Σ (p − centre)(p − centre)ᵀ / divisor, by loops."""
    return [[sum((Fraction(p[a]) - centre[a]) * (Fraction(p[b]) - centre[b]) for p in points) / divisor
             for b in range(2)] for a in range(2)]


def density(x, centre, cov) -> float:
    det = cov[0][0] * cov[1][1] - cov[0][1] * cov[1][0]
    inverse = [[cov[1][1] / det, -cov[0][1] / det], [-cov[1][0] / det, cov[0][0] / det]]
    gap = [Fraction(x[0]) - centre[0], Fraction(x[1]) - centre[1]]
    delta = sum(gap[a] * inverse[a][b] * gap[b] for a in range(2) for b in range(2))
    return math.exp(-float(delta) / 2) / math.sqrt((2 * math.pi) ** 2 * float(det))


def matrix(rows) -> list[list[str]]:
    return [[fraction(v) for v in row] for row in rows]


def the_verdict(exercise, answers: dict):
    report = check(exercise, parse_answers(answers, "mine.toml"))
    (verdict,) = report.verdicts
    return verdict


def named(verdict, slip: Slip, first: bool = False) -> bool:
    return verdict.outcome == "wrong" and (verdict.slips[:1] == (slip,) if first else slip in verdict.slips)


class TestTheOtherOutcomeCounted:
    SEQUENCE = "H T H H T T T T"  # k = 3 heads of n = 8; the tails are 5
    CANDIDATES = [0.375, 0.625]

    def exercise(self):
        return parse_exercise({"kind": "mle", "sequence": self.SEQUENCE, "candidates": self.CANDIDATES})

    def test_named_at_k_where_it_is_made(self):
        tails = self.SEQUENCE.split().count("T")
        assert tails == 5
        assert named(the_verdict(self.exercise(), {"a.k": tails}), Slip.OTHER_OUTCOME_COUNTED, first=True)

    def test_named_at_theta_hat_and_at_the_likelihoods(self):
        outcomes = self.SEQUENCE.split()
        k, n = outcomes.count("T"), len(outcomes)  # the slip: the tails counted as the successes
        exercise = self.exercise()
        assert named(the_verdict(exercise, {"a.theta_hat": fraction(Fraction(k, n))}), Slip.OTHER_OUTCOME_COUNTED)
        likelihoods = [theta ** k * (1 - theta) ** (n - k) for theta in self.CANDIDATES]
        assert named(the_verdict(exercise, {"a.L1": f"{likelihoods[0]:.8e}"}), Slip.OTHER_OUTCOME_COUNTED)
        # with the heads, 0.375 is the more likely; with the tails, 0.625
        assert likelihoods.index(max(likelihoods)) + 1 == 2
        assert named(the_verdict(exercise, {"a.best": 2}), Slip.OTHER_OUTCOME_COUNTED)

    def test_not_tried_where_heads_and_tails_are_as_many(self):
        assert kind("mle").slips(solver.load("mle-coin")) == ()  # H T H H T T H T: 4 and 4
        assert kind("mle").slips(self.exercise()) == (Slip.OTHER_OUTCOME_COUNTED,)


def test_the_unbiased_covariance_is_named_where_the_biased_belongs():
    sigma = scatter(CLASS_A, mean(CLASS_A), len(CLASS_A) - 1)
    assert sigma == [[Fraction(2, 3), Fraction(1, 3)], [Fraction(1, 3), Fraction(5, 3)]]
    verdict = the_verdict(solver.load(GAUSSIAN), {"a.c1.Sigma": matrix(sigma)})
    assert named(verdict, Slip.UNBIASED_COVARIANCE, first=True), verdict


def test_the_biased_covariance_is_named_where_covariance_is_unbiased():
    exercise = parse_exercise({"kind": "mle", "points": POINTS, "labels": ["A"] * 4 + ["B"] * 4, "query": [4, 4],
                               "covariance": "unbiased"})
    sigma = scatter(CLASS_B, mean(CLASS_B), len(CLASS_B))
    verdict = the_verdict(exercise, {"a.c2.Sigma": matrix(sigma)})
    assert named(verdict, Slip.BIASED_COVARIANCE, first=True), verdict
    assert set(kind("mle").slips(exercise)) == {Slip.BIASED_COVARIANCE, Slip.POOLED_MEAN}


def test_the_pooled_mean_is_named_at_the_mean_and_carried_into_the_covariance():
    pooled = mean(POINTS)
    assert pooled == [Fraction(9, 2), Fraction(33, 8)]
    exercise = solver.load(GAUSSIAN)
    assert named(the_verdict(exercise, {"a.c1.mu": [fraction(v) for v in pooled]}), Slip.POOLED_MEAN, first=True)
    # only Σ answered: the scatter of class B's points about the mean of all eight
    sigma = scatter(CLASS_B, pooled, len(CLASS_B))
    assert named(the_verdict(exercise, {"a.c2.Sigma": matrix(sigma)}), Slip.POOLED_MEAN)


def test_the_prior_left_out_of_the_decision_is_named_at_the_class():
    points, labels = UNEQUAL["points"], UNEQUAL["labels"]
    classes = {label: [p for p, other in zip(points, labels) if other == label] for label in ("A", "B")}
    densities = [density(UNEQUAL["query"], mean(members), scatter(members, mean(members), len(members)))
                 for members in classes.values()]
    priors = [Fraction(len(members), len(points)) for members in classes.values()]
    with_prior = max((1, 2), key=lambda j: float(priors[j - 1]) * densities[j - 1])
    without = max((1, 2), key=lambda j: densities[j - 1])
    assert (with_prior, without) == (1, 2)  # the query is nearer B, but A is twice as likely a priori
    exercise = parse_exercise(UNEQUAL)
    assert named(the_verdict(exercise, {"a.q1.class": without}), Slip.PRIOR_LEFT_OUT, first=True)


def test_the_prior_is_not_tried_where_it_cannot_change_the_decision():
    assert Slip.PRIOR_LEFT_OUT in kind("mle").slips(parse_exercise(UNEQUAL))
    equal_shares = {"kind": "mle", "points": POINTS, "labels": ["A"] * 4 + ["B"] * 4, "query": [4, 4],
                    "prior": "frequency"}
    assert set(kind("mle").slips(solver.load(GAUSSIAN))) == {Slip.UNBIASED_COVARIANCE, Slip.POOLED_MEAN}
    assert Slip.PRIOR_LEFT_OUT not in kind("mle").slips(parse_exercise(equal_shares))
    assert Slip.PRIOR_LEFT_OUT not in kind("mle").slips(parse_exercise({**UNEQUAL, "prior": "equal"}))


@pytest.mark.parametrize("exercise,answers", [
    ("mle-coin", {"a.n": 8, "a.k": 4, "a.theta_hat": "1/2", "a.best": 3}),
    (GAUSSIAN, {"a.c1.mu": [fraction(v) for v in mean(CLASS_A)], "a.c2.mu": [fraction(v) for v in mean(CLASS_B)],
                "a.c1.Sigma": matrix(scatter(CLASS_A, mean(CLASS_A), 4)),
                "a.c2.Sigma": matrix(scatter(CLASS_B, mean(CLASS_B), 4)), "a.q1.class": 1, "a.q2.class": 2}),
])
def test_a_right_answers_file_names_no_slip(exercise, answers):
    report = check(solver.load(exercise), parse_answers(answers, "mine.toml"))
    assert [v.outcome for v in report.verdicts] == ["correct"] * len(answers)
    assert all(v.slips == () for v in report.verdicts)
