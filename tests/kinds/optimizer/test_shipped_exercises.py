"""The shipped optimizer exercises, worked by hand from their descriptions (seed 002's momentum and
Nesterov, seed 004's average with bias correction) or by the pseudo-code oracle
(tests/kinds/optimizer/pseudocode.py) with gradients differentiated by hand."""

from __future__ import annotations

import numpy as np
import pytest

import solver
from tests.conftest import EXERCISES
from tests.kinds.optimizer.pseudocode import Rule, run


def shipped(name: str):
    path = EXERCISES / f"{name}.toml"
    if not path.exists():
        pytest.skip(f"{path.name} is not shipped")
    return solver.solve(solver.load_exercise(path))


def test_momentum_from_a_given_velocity_in_both_forms_by_hand():
    """w = (0.5, −0.3), g = (0.2, −0.1), η = 0.1, μ = 0.9, three updates done.
    (a) seed 002: v = 0.9·(−0.04, 0.02) − 0.1·(0.2, −0.1) = (−0.056, 0.028); w = (0.444, −0.272).
    (b) seed 004: v = 0.9·(0.04, −0.02) + 0.1·(0.2, −0.1) = (0.056, −0.028); t = 4,
        v̂ = v/(1 − 0.9⁴) = v/0.3439; w = (0.5 − 0.0056/0.3439, −0.3 + 0.0028/0.3439)."""
    s = shipped("optimizer-momentum-given-velocity")
    np.testing.assert_allclose(s["a.v_w"], [[-0.056], [0.028]], rtol=1e-14)
    np.testing.assert_allclose(s["a.w_new"], [[0.444], [-0.272]], rtol=1e-14)
    np.testing.assert_allclose(s["b.v_w"], [[0.056], [-0.028]], rtol=1e-14)
    assert s["b.iteration"] == 4
    np.testing.assert_allclose(s["b.vhat_w"], [[0.056 / 0.3439], [-0.028 / 0.3439]], rtol=1e-13)
    np.testing.assert_allclose(s["b.w_new"], [[0.48371619656877], [-0.2918580982844]], rtol=1e-12)


def test_nesterov_two_steps_by_hand():
    """f = x² + 5y², ∇f = (2x, 10y), from (2, 1), η = 0.05, μ = 0.9.
    1: look-ahead (2, 1), g = (4, 10), v = (−0.2, −0.5), θ = (1.8, 0.5).
    2: look-ahead (1.8 − 0.18, 0.5 − 0.45) = (1.62, 0.05), g = (3.24, 0.5),
       v = (−0.18 − 0.162, −0.45 − 0.025) = (−0.342, −0.475), θ = (1.458, 0.025); f = 3.24 + 1.25."""
    s = shipped("optimizer-nesterov")
    hand = {"a.t1.x_new": 1.8, "a.t1.y_new": 0.5, "a.t2.x_ahead": 1.62, "a.t2.y_ahead": 0.05, "a.t2.dx": 3.24,
            "a.t2.dy": 0.5, "a.t2.v_x": -0.342, "a.t2.v_y": -0.475, "a.t2.x_new": 1.458, "a.t2.y_new": 0.025,
            "a.t2.f": 4.49}
    for step_id, value in hand.items():
        assert s[step_id] == pytest.approx(value, rel=1e-13), step_id


def test_adagrad_then_rmsprop_on_the_bowl_match_the_pseudocode():
    """f = x² + 10y², ∇f = (2x, 20y), from (1, 1), η = 0.1, three updates each: (a) AdaGrad with
    ε = 1e-7 outside (seed 002), (b) RMSProp ρ = 0.9 with ε inside (seed 003)."""
    s = shipped("optimizer-adagrad-rmsprop-objective")
    start = {"x": 1.0, "y": 1.0}

    def gradient_of(v):
        return {"x": 2 * v["x"], "y": 20 * v["y"]}

    def objective(v):
        return v["x"] ** 2 + 10 * v["y"] ** 2

    a, *_ = run(Rule("adagrad", 0.1, epsilon=1e-7), start, 3, gradient_of=gradient_of, objective=objective)
    b, *_ = run(Rule("rmsprop", 0.1, epsilon=1e-7, rho=0.9, epsilon_placement="inside"), start, 3,
                gradient_of=gradient_of, objective=objective, part="b")
    expected = {**a, **b}
    assert set(s.ids) == set(expected)
    for step_id, value in expected.items():
        np.testing.assert_allclose(s[step_id], value, rtol=1e-12, err_msg=step_id)


def test_the_adam_step_on_a_4x5_matrix_matches_the_pseudocode_and_one_entry_by_hand():
    """Seed 004's Adam from the given moments after t = 5; entry (1, 1) by hand:
    m = 0.9·0.05 + 0.1·0.12 = 0.057, s = 0.999·0.002 + 0.001·0.0144 = 0.0020124,
    m̂ = 0.057/(1 − 0.9⁶), ŝ = 0.0020124/(1 − 0.999⁶), w = 0.2 − 0.01·m̂/(√ŝ + 1e-8)."""
    import tomllib

    s = shipped("optimizer-adam-step-4x5")
    data = tomllib.loads((EXERCISES / "optimizer-adam-step-4x5.toml").read_text())
    w, g = np.array(data["parameters"]["w"]), np.array(data["gradients"]["w"])
    state = {"w": {"first_moment": np.array(data["state"]["w"]["first_moment"]),
                   "second_moment": np.array(data["state"]["w"]["second_moment"])}}
    expected, _, _, _ = run(Rule("adam", 0.01), {"w": w}, 1, gradient_of=lambda v: {"w": g}, state=state, t0=5)
    for step_id, value in expected.items():
        np.testing.assert_allclose(s[step_id], value, rtol=1e-12, err_msg=step_id)
    m_hat, s_hat = 0.057 / (1 - 0.9**6), 0.0020124 / (1 - 0.999**6)
    assert s["a.w_new"][0, 0] == pytest.approx(0.2 - 0.01 * m_hat / (s_hat**0.5 + 1e-8), rel=1e-12)
