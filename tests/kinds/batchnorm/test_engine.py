"""The batchnorm kind's numbers against independent oracles: the plain-NumPy forward and backward
pass of tests/kinds/batchnorm/plain_batchnorm.py (samples as rows, derivatives by hand), central
finite differences of the loss, and the shipped exercise's first entries by hand."""

from __future__ import annotations

import numpy as np
import pytest

import solver
from solver.exercise import parse_exercise
from tests.conftest import EXERCISES
from tests.kinds.batchnorm.plain_batchnorm import as_byhand, batchnorm

SHIPPED = EXERCISES / "batchnorm-3-samples-2-features.toml"
STEPS = ("mu", "var", "xhat", "y", "dy", "dgamma", "dbeta", "dxhat", "dvar", "dmu", "dx", "dx_compact")


def exercise(samples, upstream=None, *, gamma=1.0, beta=0.0, epsilon=1e-5, loss=None, targets=None):
    data = {"kind": "batchnorm", "title": "bn", "samples": samples, "gamma": gamma, "beta": beta, "epsilon": epsilon}
    if upstream is not None:
        data["upstream"] = upstream
    else:
        data |= {"loss": loss, "targets": targets}
    return parse_exercise(data, "bn.toml")


def random_batch(seed: int, m: int, n: int):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(m, n)) * 3, rng.normal(size=(m, n)), rng.uniform(0.5, 2, size=n), rng.normal(size=n))


CASES = [(seed, m, n) for seed, (m, n) in enumerate([(2, 1), (3, 2), (4, 3), (5, 1), (8, 4)])]


@pytest.mark.parametrize("seed,m,n", CASES)
def test_every_step_matches_the_plain_numpy_oracle(seed, m, n):
    x, dy, gamma, beta = random_batch(seed, m, n)
    solution = solver.solve(exercise(x.tolist(), dy.tolist(), gamma=gamma.tolist(), beta=beta.tolist(), epsilon=0.01))
    expected = as_byhand(batchnorm(x, gamma, beta, 0.01, dy))
    for name in STEPS:
        np.testing.assert_allclose(solution[f"a.{name}"], expected[name], rtol=1e-10, atol=1e-12, err_msg=name)
    np.testing.assert_array_equal(solution["a.x"], x.T)


def test_the_staged_and_the_closed_form_agree():
    x, dy, gamma, beta = random_batch(11, 6, 3)
    solution = solver.solve(exercise(x.tolist(), dy.tolist(), gamma=gamma.tolist(), beta=beta.tolist()))
    np.testing.assert_allclose(solution["a.dx"], solution["a.dx_compact"], rtol=1e-10, atol=1e-13)


def _central_differences(function, point: np.ndarray, h: float = 1e-6) -> np.ndarray:
    gradient = np.zeros_like(point)
    for index in np.ndindex(point.shape):
        up, down = point.copy(), point.copy()
        up[index] += h
        down[index] -= h
        gradient[index] = (function(up) - function(down)) / (2 * h)
    return gradient


def _forward(x, gamma, beta, eps):
    """y alone, samples as rows, written again here so that the differences do not share code."""
    mean = x.mean(axis=0)
    return gamma * (x - mean) / np.sqrt(((x - mean) ** 2).mean(axis=0) + eps) + beta


@pytest.mark.parametrize("seed,m,n", CASES)
def test_the_gradients_match_central_differences_of_the_upstream_loss(seed, m, n):
    """L = Σ upstream ∘ y, so ∂L/∂y = upstream; ∂L/∂x, ∂L/∂γ, ∂L/∂β by central differences."""
    x, dy, gamma, beta = random_batch(seed, m, n)
    eps = 0.01
    solution = solver.solve(exercise(x.tolist(), dy.tolist(), gamma=gamma.tolist(), beta=beta.tolist(), epsilon=eps))

    def loss(x_, gamma_=gamma, beta_=beta):
        return float(np.sum(dy * _forward(x_, gamma_, beta_, eps)))

    tolerance = {"rtol": 1e-6, "atol": 1e-8}
    np.testing.assert_allclose(solution["a.dx"], _central_differences(loss, x).T, **tolerance)
    np.testing.assert_allclose(solution["a.dx_compact"], _central_differences(loss, x).T, **tolerance)
    np.testing.assert_allclose(solution["a.dgamma"][:, 0], _central_differences(lambda g: loss(x, g), gamma), **tolerance)
    np.testing.assert_allclose(solution["a.dbeta"][:, 0], _central_differences(lambda b: loss(x, gamma, b), beta),
                               **tolerance)


@pytest.mark.parametrize("name,factor", [("half_sse", 0.5), ("sse", 1.0)])
def test_with_a_loss_the_gradients_match_central_differences_of_the_loss(name, factor):
    x, targets, gamma, beta = random_batch(7, 4, 3)
    eps = 1e-3
    solution = solver.solve(exercise(x.tolist(), gamma=gamma.tolist(), beta=beta.tolist(), epsilon=eps, loss=name,
                                     targets=targets.tolist()))

    def loss(x_, gamma_=gamma, beta_=beta):
        return factor * float(np.sum((_forward(x_, gamma_, beta_, eps) - targets) ** 2))

    assert solution["a.L"] == pytest.approx(loss(x), rel=1e-12)
    np.testing.assert_allclose(solution["a.dy"], (2 * factor * (_forward(x, gamma, beta, eps) - targets)).T, rtol=1e-12)
    tolerance = {"rtol": 1e-6, "atol": 1e-8}
    np.testing.assert_allclose(solution["a.dx"], _central_differences(loss, x).T, **tolerance)
    np.testing.assert_allclose(solution["a.dgamma"][:, 0], _central_differences(lambda g: loss(x, g), gamma), **tolerance)
    np.testing.assert_allclose(solution["a.dbeta"][:, 0], _central_differences(lambda b: loss(x, gamma, b), beta),
                               **tolerance)


def test_the_shipped_exercise_by_hand():
    """Feature 1 is (1, 2, 6): μ = 3, σ² = (4 + 1 + 9)/3 = 14/3, x̂₁ = −2/√(14/3 + 0.01).
    Feature 2 is (4, 0, 2): μ = 2, σ² = 8/3, x̂ = (2, −2, 0)/√(8/3 + 0.01), y = 0.5 x̂ + 1.
    (a) ∂L/∂β = Σ upstream = (0.5 − 0.2 + 0.1, −1 + 0.3 + 0.4) = (0.4, −0.3)."""
    s = solver.solve(solver.load_exercise(SHIPPED))
    np.testing.assert_allclose(s["a.mu"], [[3], [2]], rtol=1e-15)
    np.testing.assert_allclose(s["a.var"], [[14 / 3], [8 / 3]], rtol=1e-15)
    assert s["a.xhat"][0, 0] == pytest.approx(-2 / np.sqrt(14 / 3 + 0.01), rel=1e-14)
    np.testing.assert_allclose(s["a.y"][1], 0.5 * np.array([2, -2, 0]) / np.sqrt(8 / 3 + 0.01) + 1, rtol=1e-14)
    np.testing.assert_allclose(s["a.dbeta"], [[0.4], [-0.3]], rtol=1e-14)
    for part in ("a", "b"):
        np.testing.assert_allclose(s[f"{part}.dx"], s[f"{part}.dx_compact"], rtol=1e-12, atol=1e-15)


def test_the_step_ids_are_the_documented_ones():
    s = solver.solve(solver.load_exercise(SHIPPED))
    assert [i for i in s.ids if i.startswith("a.")] == ["a.x", "a.gamma", "a.beta", "a.dy"] + [
        f"a.{name}" for name in STEPS if name != "dy"]
    assert [i for i in s.ids if i.startswith("b.")][:4] == ["b.x", "b.gamma", "b.beta", "b.t"]
    assert {"b.L", "b.dy"} <= set(s.ids)


def test_a_part_may_give_its_own_upstream():
    data = {"kind": "batchnorm", "samples": [[1, 2], [3, 5]], "upstream": [[1, 0], [0, 1]],
            "parts": [{}, {"upstream": [[2, 0], [0, 2]]}]}
    s = solver.solve(parse_exercise(data, "bn.toml"))
    np.testing.assert_allclose(s["b.dx"], 2 * s["a.dx"], rtol=1e-14)
    assert s.exercise.setup.epsilon == 1e-5  # the default
