"""The optimizer kind's numbers, id by id, against the notes' pseudo-code run in plain NumPy.

The oracle is tests/kinds/optimizer/pseudocode.py, transcribed from seed 002 (SGD, momentum in the
velocity form, Nesterov, AdaGrad, RMSProp, Adam with and without bias correction), seed 003
§3.4 (momentum as an average, RMSProp with ε inside the root) and seed 004 (the average with bias
correction, Adam's defaults). Objectives are differentiated by hand below, not by SymPy. Every step
byhand records is compared (rtol 1e-12), and byhand records no step the oracle does not know.
"""

from __future__ import annotations

import numpy as np
import pytest

import solver
from solver.exercise import parse_exercise
from tests.kinds.optimizer.pseudocode import Rule, run as oracle_run

RTOL, ATOL = 1e-12, 1e-14

# every optimiser and form the notes write, with hyperparameters away from the defaults where a
# default would hide a mix-up (μ ≠ ρ ≠ β₁, ε large enough to matter at 1e-12)
RULES = {
    "sgd": Rule("sgd", 0.1),
    "momentum-velocity": Rule("momentum", 0.1, momentum=0.8),
    "momentum-average": Rule("momentum", 0.1, momentum=0.7, form="average"),
    "momentum-average-bias-corrected": Rule("momentum", 0.1, momentum=0.7, form="average", bias_correction=True),
    "nesterov": Rule("nesterov", 0.05, momentum=0.9),
    "adagrad-outside": Rule("adagrad", 0.3, epsilon=1e-3),
    "adagrad-inside": Rule("adagrad", 0.3, epsilon=1e-3, epsilon_placement="inside"),
    "rmsprop-outside": Rule("rmsprop", 0.05, rho=0.8, epsilon=1e-4),
    "rmsprop-inside": Rule("rmsprop", 0.05, rho=0.8, epsilon=1e-4, epsilon_placement="inside"),
    "adam": Rule("adam", 0.1, beta1=0.8, beta2=0.95, epsilon=1e-6),
    "adam-defaults": Rule("adam", 0.01),
    "adam-without-bias-correction": Rule("adam", 0.1, beta1=0.8, beta2=0.95, epsilon=1e-6, bias_correction=False),
    "adam-inside": Rule("adam", 0.1, beta1=0.8, beta2=0.95, epsilon=1e-3, epsilon_placement="inside"),
}

W0 = [[0.5, -1.0, 0.25], [2.0, 0.0, -0.75]]
G_CONSTANT = [[0.3, -0.2, 0.0], [1.5, -0.05, 0.8]]


# objectives as byhand reads them, with their derivatives worked by hand (f applied entry by entry)
def quartic(w):
    return w**4 / 4 - w**2 + w / 2


def quartic_gradient(w):
    return w**3 - 2 * w + 0.5


def softplus_objective(w):
    return np.log(1 + np.exp(w)) - w / 2


def softplus_gradient(w):
    return 1 / (1 + np.exp(-w)) - 0.5


OBJECTIVES = {
    "quartic": ("w^4/4 - w^2 + w/2", quartic, quartic_gradient),
    "softplus": ("log(1 + exp(w)) - w/2", softplus_objective, softplus_gradient),
}


def given_state(rule: Rule, shape) -> dict[str, np.ndarray]:
    """A starting state of the right sign for each kept state (squares are never negative)."""
    rng = np.random.default_rng(7)
    state = {}
    for name in rule.states:
        value = rng.uniform(-0.5, 0.5, shape)
        state[name] = np.abs(value) + 0.01 if name in ("square_sum", "square_average", "second_moment") else value
    return state


def exercise(rule: Rule, steps: int, *, objective: str | None = None, gradients=None, parameters=None,
             state: dict | None = None, t: int | None = None, parts=None, clipping=None) -> dict:
    data = {"kind": "optimizer", "title": "oracle", "steps": steps, "optimizer": rule.table(),
            "parameters": parameters or {"w": W0}}
    if objective is not None:
        data["objective"] = objective
    else:
        data["gradients"] = gradients
    if state or t is not None:
        data["state"] = {}
        if t is not None:
            data["state"]["t"] = t
        for name, states in (state or {}).items():
            data["state"][name] = {k: np.asarray(v).tolist() for k, v in states.items()}
    if parts:
        data["parts"] = parts
    if clipping:
        data["clipping"] = clipping
    return data


def assert_steps_agree(solution, expected: dict) -> None:
    """The same ids, and the same value at each (rtol 1e-12)."""
    assert set(solution.ids) == set(expected), (
        f"byhand only: {sorted(set(solution.ids) - set(expected))}; oracle only: {sorted(set(expected) - set(solution.ids))}")
    for step_id, value in expected.items():
        np.testing.assert_allclose(solution[step_id], value, rtol=RTOL, atol=ATOL, err_msg=step_id)
        assert solution[step_id].shape == np.shape(value), step_id


def solve(data: dict):
    return solver.solve(parse_exercise(data, "oracle.toml"))


def single(function):
    """An entry-by-entry function of the one parameter w, as the gradient_of/objective the oracle takes."""
    return lambda values: {"w": function(values["w"])}


@pytest.mark.parametrize("rule_name", RULES)
def test_constant_gradient_matrix_three_updates_match_the_pseudocode(rule_name):
    """Seeds 002/003/004: a given gradient used at every update, on a 2×3 matrix, from a zero state."""
    rule = RULES[rule_name]
    expected, *_ = oracle_run(rule, {"w": W0}, 3, gradient_of=lambda values: {"w": np.array(G_CONSTANT)})
    assert_steps_agree(solve(exercise(rule, 3, gradients={"w": G_CONSTANT})), expected)


@pytest.mark.parametrize("objective_name", OBJECTIVES)
@pytest.mark.parametrize("rule_name", RULES)
def test_objective_matrix_four_updates_match_the_pseudocode(rule_name, objective_name):
    """Seeds 002/003/004 with the gradient of an objective at each update's parameters (Nesterov:
    at the look-ahead point θ + αv, seed 002)."""
    rule = RULES[rule_name]
    text, f, df = OBJECTIVES[objective_name]
    expected, *_ = oracle_run(rule, {"w": W0}, 4, gradient_of=single(df),
                              objective=lambda values: np.sum(f(values["w"])))
    assert_steps_agree(solve(exercise(rule, 4, objective=text)), expected)


@pytest.mark.parametrize("rule_name", RULES)
def test_given_state_and_iteration_count_continue_as_the_pseudocode(rule_name):
    """The notes' loop entered mid-way: the state after t = 5 updates is given, so bias correction
    uses t = 6, 7, 8 (seed 002's t ← t + 1, seed 004's 1/(1 − βᵗ))."""
    rule = RULES[rule_name]
    shape = np.shape(W0)
    state = {"w": given_state(rule, shape)}
    text, f, df = OBJECTIVES["quartic"]
    expected, *_ = oracle_run(rule, {"w": W0}, 3, gradient_of=single(df), objective=lambda v: np.sum(f(v["w"])),
                              state=state, t0=5)
    assert_steps_agree(solve(exercise(rule, 3, objective=text, state=state, t=5)), expected)


@pytest.mark.parametrize("rule_name", RULES)
def test_one_update_has_no_group_and_matches_the_pseudocode(rule_name):
    """steps = 1: the ids have no t1 group (a.w, a.dw, a.w_new)."""
    rule = RULES[rule_name]
    state = {"w": given_state(rule, np.shape(W0))}
    expected, *_ = oracle_run(rule, {"w": W0}, 1, gradient_of=lambda v: {"w": np.array(G_CONSTANT)},
                              state=state, t0=2)
    assert "a.w_new" in expected
    assert_steps_agree(solve(exercise(rule, 1, gradients={"w": G_CONSTANT}, state=state, t=2)), expected)


@pytest.mark.parametrize("rule_name", ["nesterov", "adam", "momentum-average-bias-corrected", "rmsprop-inside"])
def test_two_coupled_parameters_match_the_pseudocode(rule_name):
    """f(w, u) = w²/2 + 2u² + wu entry by entry: ∂f/∂w = w + u, ∂f/∂u = 4u + w, so each gradient
    depends on the other parameter (for Nesterov, at the other's look-ahead point)."""
    rule = RULES[rule_name]
    u0 = [[0.1, 0.2, -0.3], [0.4, -0.5, 0.6]]

    def gradient_of(values):
        return {"w": values["w"] + values["u"], "u": 4 * values["u"] + values["w"]}

    def objective(values):
        w, u = values["w"], values["u"]
        return np.sum(w**2 / 2 + 2 * u**2 + w * u)

    expected, *_ = oracle_run(rule, {"w": W0, "u": u0}, 3, gradient_of=gradient_of, objective=objective)
    data = exercise(rule, 3, objective="w^2/2 + 2*u^2 + w*u", parameters={"w": W0, "u": u0})
    assert_steps_agree(solve(data), expected)


@pytest.mark.parametrize("shape_name,value,gradient", [
    ("number", 1.5, -0.4),
    ("column", [1.5, -2.0, 0.5], [-0.4, 0.3, 0.0]),
])
@pytest.mark.parametrize("rule_name", ["adam", "rmsprop-outside", "momentum-velocity"])
def test_numbers_and_columns_match_the_pseudocode(rule_name, shape_name, value, gradient):
    """A parameter written as a number has shape (), as a list a column (n, 1)."""
    rule = RULES[rule_name]
    as_array = np.array(value, dtype=float) if shape_name == "number" else np.array(value, dtype=float)[:, None]
    g = np.array(gradient, dtype=float) if shape_name == "number" else np.array(gradient, dtype=float)[:, None]
    expected, *_ = oracle_run(rule, {"w": as_array}, 2, gradient_of=lambda v: {"w": g})
    assert_steps_agree(solve(exercise(rule, 2, gradients={"w": gradient}, parameters={"w": value})), expected)


@pytest.mark.parametrize("rule_name", ["adam", "momentum-average-bias-corrected", "adagrad-inside", "nesterov"])
def test_a_part_started_from_previous_carries_parameters_state_and_t(rule_name):
    """Part b continues where part a stopped (the notes' loop is not restarted: v, a and t carry
    on), with a learning rate of its own; part c starts again from the given values and state, with
    the settings it inherits from part b."""
    rule = RULES[rule_name]
    text, f, df = OBJECTIVES["softplus"]
    objective = lambda v: np.sum(f(v["w"]))  # noqa: E731
    state = {"w": given_state(rule, np.shape(W0))}
    expected, values, states, t = oracle_run(rule, {"w": W0}, 2, gradient_of=single(df), objective=objective,
                                             state=state, t0=3)
    slower = Rule(**{**rule.__dict__, "learning_rate": rule.learning_rate / 2})
    more, *_ = oracle_run(slower, values, 3, gradient_of=single(df), objective=objective, state=states,
                          t0=t, part="b")
    # part c inherits part b's settings (the halved rate) but starts from the given values again
    again, *_ = oracle_run(slower, {"w": W0}, 1, gradient_of=single(df), objective=objective, state=state, t0=3,
                           part="c")
    parts = [{"name": "a", "steps": 2},
             {"name": "b", "start": "previous", "steps": 3, "optimizer": {"learning_rate": slower.learning_rate}},
             {"name": "c", "start": "initial", "steps": 1}]
    data = exercise(rule, 2, objective=text, state=state, t=3, parts=parts)
    assert_steps_agree(solve(data), {**expected, **more, **again})


@pytest.mark.parametrize("scope", ["parameter", "global"])
@pytest.mark.parametrize("rule_name", ["sgd", "adam", "momentum-velocity", "nesterov"])
def test_clipped_gradients_match_seed_002_clipping_by_norm(rule_name, scope):
    """Seed 002: if ‖g‖ ≥ c then g ← c·g/‖g‖, each parameter by its own Frobenius norm or all
    jointly; the threshold sits between the two parameters' norms so both branches are taken."""
    rule = RULES[rule_name]
    u0 = [[0.1, 0.2], [0.3, -0.1]]
    gradients = {"w": np.array(G_CONSTANT), "u": np.array([[0.05, -0.02], [0.0, 0.01]])}
    clipping = {"threshold": 1.0, "scope": scope}
    assert np.linalg.norm(gradients["w"]) > 1.0 > np.linalg.norm(gradients["u"])
    expected, *_ = oracle_run(rule, {"w": W0, "u": u0}, 2, gradient_of=lambda v: gradients, clipping=clipping)
    data = exercise(rule, 2, gradients={k: v.tolist() for k, v in gradients.items()},
                    parameters={"w": W0, "u": u0}, clipping=clipping)
    assert_steps_agree(solve(data), expected)


# ---------------------------------------------------------------------------------------------
# worked by hand: f(w) = w²/2, so dw = w


def hand(rule: Rule, steps: int, start=1.0, state=None, t=None):
    data = exercise(rule, steps, objective="w^2/2", parameters={"w": start}, state=state, t=t)
    return solve(data)


def test_sgd_by_hand():
    """Seed 002 SGD, η = 0.1 from w = 1: w ← w − 0.1·w."""
    s = hand(Rule("sgd", 0.1), 2)
    assert s["a.t1.w_new"] == pytest.approx(0.9, rel=1e-15)  # 1 − 0.1·1
    assert s["a.t2.dw"] == pytest.approx(0.9, rel=1e-15)  # dw = w
    assert s["a.t2.w_new"] == pytest.approx(0.81, rel=1e-15)  # 0.9 − 0.1·0.9
    assert s["a.t2.f"] == pytest.approx(0.405, rel=1e-15)  # 0.9²/2


def test_momentum_velocity_by_hand():
    """Seed 002 momentum, α = 0.9, ε = 0.1, v = 0, w = 1."""
    s = hand(Rule("momentum", 0.1, momentum=0.9), 3)
    assert s["a.t1.v_w"] == pytest.approx(-0.1, rel=1e-15)  # 0.9·0 − 0.1·1
    assert s["a.t1.w_new"] == pytest.approx(0.9, rel=1e-15)  # 1 − 0.1
    assert s["a.t2.v_w"] == pytest.approx(-0.18, rel=1e-15)  # 0.9·(−0.1) − 0.1·0.9
    assert s["a.t2.w_new"] == pytest.approx(0.72, rel=1e-15)  # 0.9 − 0.18
    assert s["a.t3.v_w"] == pytest.approx(-0.234, rel=1e-14)  # 0.9·(−0.18) − 0.1·0.72 = −0.162 − 0.072
    assert s["a.t3.w_new"] == pytest.approx(0.486, rel=1e-14)  # 0.72 − 0.234


def test_momentum_velocity_from_a_given_velocity_by_hand():
    """Seed 002 momentum entered with v = 0.5 (w = 1, α = 0.9, ε = 0.1)."""
    s = hand(Rule("momentum", 0.1, momentum=0.9), 1, state={"w": {"velocity": 0.5}}, t=4)
    assert s["a.v0_w"] == pytest.approx(0.5)
    assert s["a.v_w"] == pytest.approx(0.35, rel=1e-15)  # 0.9·0.5 − 0.1·1 = 0.45 − 0.1
    assert s["a.w_new"] == pytest.approx(1.35, rel=1e-15)  # 1 + 0.35


def test_nesterov_by_hand():
    """Seed 002 Nesterov, α = 0.9, ε = 0.1, w = 1: the gradient at w + αv."""
    s = hand(Rule("nesterov", 0.1, momentum=0.9), 2)
    assert s["a.t1.w_ahead"] == pytest.approx(1.0)  # 1 + 0.9·0
    assert s["a.t1.w_new"] == pytest.approx(0.9, rel=1e-15)  # v = −0.1·1
    assert s["a.t2.w_ahead"] == pytest.approx(0.81, rel=1e-15)  # 0.9 + 0.9·(−0.1)
    assert s["a.t2.dw"] == pytest.approx(0.81, rel=1e-15)  # dw = w at the look-ahead point
    assert s["a.t2.v_w"] == pytest.approx(-0.171, rel=1e-14)  # 0.9·(−0.1) − 0.1·0.81 = −0.09 − 0.081
    assert s["a.t2.w_new"] == pytest.approx(0.729, rel=1e-14)  # 0.9 − 0.171


def test_momentum_average_with_bias_correction_by_hand():
    """Seed 004: V = βV + (1 − β)dw, V/(1 − βᵗ), w − αV; β = 0.9, α = 0.1, w = 1."""
    s = hand(Rule("momentum", 0.1, momentum=0.9, form="average", bias_correction=True), 2)
    assert s["a.t1.v_w"] == pytest.approx(0.1, rel=1e-14)  # 0.9·0 + 0.1·1
    assert s["a.t1.vhat_w"] == pytest.approx(1.0, rel=1e-14)  # 0.1/(1 − 0.9)
    assert s["a.t1.w_new"] == pytest.approx(0.9, rel=1e-14)  # 1 − 0.1·1
    assert s["a.t2.v_w"] == pytest.approx(0.18, rel=1e-14)  # 0.9·0.1 + 0.1·0.9
    assert s["a.t2.vhat_w"] == pytest.approx(18 / 19, rel=1e-14)  # 0.18/(1 − 0.81) = 0.18/0.19
    assert s["a.t2.w_new"] == pytest.approx(153 / 190, rel=1e-14)  # 0.9 − 0.1·18/19 = 171/190 − 18/190


def test_momentum_average_without_bias_correction_by_hand():
    """Seed 003 algorithm 20: ∇C ← β∇C_prev + (1 − β)∇C, w ← w − α∇C; β = 0.9, α = 0.1, w = 1."""
    s = hand(Rule("momentum", 0.1, momentum=0.9, form="average"), 2)
    assert s["a.t1.v_w"] == pytest.approx(0.1, rel=1e-14)  # 0.1·1
    assert s["a.t1.w_new"] == pytest.approx(0.99, rel=1e-14)  # 1 − 0.1·0.1
    assert s["a.t2.v_w"] == pytest.approx(0.189, rel=1e-14)  # 0.9·0.1 + 0.1·0.99 = 0.09 + 0.099
    assert s["a.t2.w_new"] == pytest.approx(0.9711, rel=1e-14)  # 0.99 − 0.1·0.189


def test_adagrad_by_hand():
    """Seed 002 AdaGrad, ε = 0.1, γ = 1e-8, w = 2: a ← a + g², w − ε g/(√a + γ)."""
    s = hand(Rule("adagrad", 0.1), 2, start=2.0)
    assert s["a.t1.s_w"] == pytest.approx(4.0)  # 0 + 2²
    # 2 − 0.1·2/(2 + 1e-8) = 2 − 0.1/(1 + 5e-9) ≈ 2 − 0.1·(1 − 5e-9) = 1.9000000005
    assert s["a.t1.w_new"] == pytest.approx(1.9000000005, rel=1e-13)
    assert s["a.t2.s_w"] == pytest.approx(4 + 1.9000000005**2, rel=1e-13)  # 4 + 3.61000000190 = 7.6100000019
    # 1.9000000005 − 0.1·1.9000000005/(√7.6100000019 + 1e-8); √7.61 = 2.758622844…
    assert s["a.t2.w_new"] == pytest.approx(1.9000000005 - 0.19000000005 / (np.sqrt(7.6100000019) + 1e-8), rel=1e-13)


def test_adagrad_inside_by_hand():
    """Seed 002's column form ε/√(a + γ): with γ = 0.25, w = 1, ε = 0.5: a = 1, √1.25 = 1.118034…"""
    s = hand(Rule("adagrad", 0.5, epsilon=0.25, epsilon_placement="inside"), 1)
    assert s["a.s_w"] == pytest.approx(1.0)  # 0 + 1²
    assert s["a.w_new"] == pytest.approx(1 - 0.5 / np.sqrt(1.25), rel=1e-14)  # 1 − 0.5·1/√1.25 = 0.5527864…
    assert s["a.w_new"] == pytest.approx(0.55278640450004, rel=1e-12)


def test_rmsprop_both_placements_by_hand():
    """RMSProp ρ = 0.75, η = 0.1, w = 1: s = 0.25·1² = 0.25; ε = 0.0625 outside (seed 002):
    1 − 0.1/(0.5 + 0.0625) = 1 − 0.1/0.5625; inside (seed 003): 1 − 0.1/√0.3125."""
    outside = hand(Rule("rmsprop", 0.1, rho=0.75, epsilon=0.0625), 1)
    inside = hand(Rule("rmsprop", 0.1, rho=0.75, epsilon=0.0625, epsilon_placement="inside"), 1)
    assert outside["a.s_w"] == pytest.approx(0.25) and inside["a.s_w"] == pytest.approx(0.25)
    assert outside["a.w_new"] == pytest.approx(1 - 0.1 / 0.5625, rel=1e-14)  # 0.82222…
    assert outside["a.w_new"] == pytest.approx(0.8222222222222222, rel=1e-14)
    assert inside["a.w_new"] == pytest.approx(0.8211145618000168, rel=1e-13)  # 1 − 0.1/0.5590170


def test_adam_first_step_is_about_eta_by_hand():
    """Seed 004 Adam with bias correction, step 1: m̂ = g, ŝ = g², so w − η g/(|g| + ε).
    w = 1, η = 0.1, ε = 1e-8: 1 − 0.1/(1 + 1e-8) ≈ 0.900000001."""
    s = hand(Rule("adam", 0.1), 1)
    assert s["a.m_w"] == pytest.approx(0.1, rel=1e-14)  # (1 − 0.9)·1
    assert s["a.s_w"] == pytest.approx(0.001, rel=1e-12)  # (1 − 0.999)·1²
    assert s["a.mhat_w"] == pytest.approx(1.0, rel=1e-12)  # 0.1/(1 − 0.9)
    assert s["a.shat_w"] == pytest.approx(1.0, rel=1e-12)  # 0.001/(1 − 0.999)
    assert s["a.iteration"] == 1
    assert s["a.w_new"] == pytest.approx(0.900000001, rel=1e-12)


def test_adam_without_bias_correction_first_step_by_hand():
    """Seed 002 Adam without bias correction: w − ε v/(√a + γ) with v = 0.1, a = 0.001:
    1 − 0.1·0.1/(0.0316227766 + 1e-8) = 1 − 0.316227666… = 0.683772334…"""
    s = hand(Rule("adam", 0.1, bias_correction=False), 1)
    assert "a.mhat_w" not in s and "a.iteration" not in s
    assert s["a.w_new"] == pytest.approx(1 - 0.01 / (np.sqrt(0.001) + 1e-8), rel=1e-13)
    assert s["a.w_new"] == pytest.approx(0.6837723340, rel=1e-9)
