"""The Bernoulli estimate against plain Python: counts by a loop, likelihoods by multiplying the
probability of each outcome (seed 002 writes 1 × 0 × 1 × … for θ = 1), θ̂ against a fine grid
search of the likelihood, and the derivative's zero (seed 002 prints 4/θ + 4/(1 − θ) = 0, a
sign slip: the derivative of 4 log(1 − θ) is −4/(1 − θ))."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import solver
from solver.exercise import parse_exercise
from solver.kinds import kind
from tests.conftest import EXERCISES
from tests.hostile import FUZZ

COIN = EXERCISES / "mle-coin.toml"


def likelihood(outcomes, success, theta):
    product = 1.0
    for outcome in outcomes:
        product *= theta if outcome == success else 1 - theta
    return product


def test_the_seed_coin():
    solution = solver.solve(solver.load_exercise(COIN))
    outcomes = "H T H H T T H T".split()
    assert solution["a.n"] == 8 and solution["a.k"] == sum(1 for o in outcomes if o == "H") == 4
    for j, theta in enumerate([1, 0.75, 0.5], start=1):
        assert solution[f"a.L{j}"] == pytest.approx(likelihood(outcomes, "H", theta), rel=1e-12)
    assert solution["a.L1"] == 0  # seed 002: 1 × 0 × 1 × 1 × 0 × 0 × 1 × 0
    assert solution["a.L2"] == pytest.approx(0.75**4 * 0.25**4)
    assert solution["a.best"] == 3  # seed 002: θ = 0.5 "highest"
    assert solution.step("a.theta_hat").exact[()] == Fraction(1, 2)
    assert solution["a.theta_hat"] == 0.5
    assert solution["a.logL_hat"] == pytest.approx(8 * math.log(0.5))


def test_the_derivation_has_the_right_sign():
    exercise = solver.load_exercise(COIN)
    (title, block), = kind("mle").derived_blocks(exercise, exercise.parts[0])
    assert title == "Maximum-likelihood estimate"
    derivative = block.equations[1].lines
    assert derivative == (r"\frac{k}{\theta} - \frac{n - k}{1 - \theta}", r"\frac{4}{\theta} - \frac{4}{1 - \theta}")
    assert block.equations[2].lines[-1] == r"\frac{1}{2}"


@pytest.mark.parametrize("sequence,success,k", [("T T T", "T", 3), ("0 0 1 0", "1", 1), ("HHTH", "H", 3),
                                                 ("win,loss,loss", "win", 1)])
def test_other_sequences(sequence, success, k):
    solution = solver.solve(parse_exercise({"kind": "mle", "sequence": sequence, "success": success}))
    n = len(sequence.replace(",", " ").split()) if " " in sequence or "," in sequence else len(sequence)
    assert (solution["a.n"], solution["a.k"]) == (n, k)
    assert solution.step("a.theta_hat").exact[()] == Fraction(k, n)


def test_all_successes_is_a_boundary_maximum():
    exercise = parse_exercise({"kind": "mle", "sequence": "T T T", "success": "T"})
    sheet = solver.solve(exercise).render("md")
    assert "increases" in sheet and r"\hat{\theta} = k/n = 1" in sheet
    assert kind("mle").derived_blocks(exercise, exercise.parts[0])[0][1].equations[-1].symbol == \
        r"\frac{d \log L}{d\theta}"  # no zero inside (0, 1) to write


@FUZZ
@given(st.lists(st.sampled_from("HT"), min_size=1, max_size=30), st.lists(
    st.integers(min_value=0, max_value=20).map(lambda i: i / 20), max_size=4))
def test_random_sequences_against_a_loop_and_a_grid(outcomes, candidates):
    solution = solver.solve(parse_exercise({"kind": "mle", "sequence": " ".join(outcomes), "success": "H",
                                            "candidates": candidates}))
    k = sum(1 for o in outcomes if o == "H")
    assert solution.step("a.theta_hat").exact[()] == Fraction(k, len(outcomes))
    grid = max((i / 1000 for i in range(1001)), key=lambda t: likelihood(outcomes, "H", t))
    assert abs(solution["a.theta_hat"] - grid) <= 1e-3
    values = [likelihood(outcomes, "H", theta) for theta in candidates]
    for j, value in enumerate(values, start=1):
        assert solution[f"a.L{j}"] == pytest.approx(value, rel=1e-9, abs=1e-300)
    if candidates:
        best = max(range(len(values)), key=lambda j: (round(values[j] / max(max(values), 1e-300), 9), -j))
        assert solution["a.best"] == best + 1
