"""The checker names an optimiser slip when a student's number is what that slip gives.

The wrong numbers are computed here, not by byhand: the optimisers of the notes' pseudo-code
(tests/kinds/optimizer/pseudocode.py, from seeds 002, 003 and 004) with one mistake switched on,
and for networks the plain-NumPy backward pass of tests/kinds/mlp/plain_network.py (seed 003).
Each is written to 8 significant figures, as a student would, and must be judged WRONG with that
slip among the verdict's slips. Every step written correctly to 8 figures is judged correct.
"""

from __future__ import annotations

import numpy as np
import pytest

from solver.check import check, parse_answers
from solver.engine.slips import Slip
from solver.exercise import parse_exercise
from tests.conftest import network_exercise
from tests.kinds.mlp.plain_network import train
from tests.kinds.optimizer.pseudocode import Rule, Slips, differs_at_eight_figures, eight_figures, run

W0 = [[0.5, -1.0], [2.0, 0.25]]


def quartic_gradient(w):
    """f(w) = w⁴/4 − w² + w/2 entry by entry, so ∂f/∂w = w³ − 2w + 1/2 (by hand)."""
    return w**3 - 2 * w + 0.5


def quartic(w):
    return w**4 / 4 - w**2 + w / 2


# the optimisers of the optimizer-kind exercises (ε large enough that its placement shows at 8 figures)
ADAM = Rule("adam", 0.1, beta1=0.9, beta2=0.999, epsilon=0.01)
ADAM_INSIDE = Rule("adam", 0.1, beta1=0.8, beta2=0.9, epsilon=0.01, epsilon_placement="inside")
RMSPROP = Rule("rmsprop", 0.05, rho=0.8, epsilon=0.01, epsilon_placement="inside")
ADAGRAD = Rule("adagrad", 0.3, epsilon=0.05)
MOMENTUM = Rule("momentum", 0.1, momentum=0.8, form="average", bias_correction=True)


def optimizer_exercise(rule: Rule, steps: int = 2):
    data = {"kind": "optimizer", "title": "slips", "steps": steps, "objective": "w^4/4 - w^2 + w/2",
            "parameters": {"w": W0}, "optimizer": rule.table()}
    return parse_exercise(data, "slips.toml")


def optimizer_values(rule: Rule, slips: Slips = Slips(), steps: int = 2) -> dict:
    expected, *_ = run(rule, {"w": W0}, steps, gradient_of=lambda v: {"w": quartic_gradient(v["w"])},
                       objective=lambda v: np.sum(quartic(v["w"])), slips=slips)
    return expected


OPTIMIZER_CASES = [
    # (rule, the slip switched on in the oracle, the slip byhand should name, the step answered)
    (ADAM, "no_bias_correction", Slip.BIAS_CORRECTION_FORGOTTEN, "a.t1.mhat_w"),
    (ADAM, "no_bias_correction", Slip.BIAS_CORRECTION_FORGOTTEN, "a.t1.shat_w"),
    (ADAM, "no_bias_correction", Slip.BIAS_CORRECTION_FORGOTTEN, "a.t1.w_new"),
    (ADAM, "epsilon_other_side", Slip.EPSILON_ON_THE_OTHER_SIDE, "a.t1.w_new"),
    (ADAM_INSIDE, "epsilon_other_side", Slip.EPSILON_ON_THE_OTHER_SIDE, "a.t1.w_new"),
    (ADAM, "no_one_minus", Slip.MOVING_AVERAGE_WITHOUT_ONE_MINUS, "a.t1.m_w"),
    (ADAM, "no_one_minus", Slip.MOVING_AVERAGE_WITHOUT_ONE_MINUS, "a.t1.s_w"),
    (ADAM, "swapped", Slip.DECAY_AND_ONE_MINUS_SWAPPED, "a.t1.m_w"),
    (ADAM, "swapped", Slip.DECAY_AND_ONE_MINUS_SWAPPED, "a.t1.s_w"),
    (ADAM, "reset", Slip.STATE_RESET, "a.t2.m_w"),
    (ADAM, "reset", Slip.STATE_RESET, "a.t2.s_w"),
    (ADAM, "not_squared", Slip.GRADIENT_NOT_SQUARED, "a.t1.s_w"),
    (RMSPROP, "epsilon_other_side", Slip.EPSILON_ON_THE_OTHER_SIDE, "a.t1.w_new"),
    (RMSPROP, "no_one_minus", Slip.MOVING_AVERAGE_WITHOUT_ONE_MINUS, "a.t1.s_w"),
    (RMSPROP, "swapped", Slip.DECAY_AND_ONE_MINUS_SWAPPED, "a.t1.s_w"),
    (RMSPROP, "reset", Slip.STATE_RESET, "a.t2.s_w"),
    (RMSPROP, "not_squared", Slip.GRADIENT_NOT_SQUARED, "a.t1.s_w"),
    (ADAGRAD, "epsilon_other_side", Slip.EPSILON_ON_THE_OTHER_SIDE, "a.t1.w_new"),
    (ADAGRAD, "reset", Slip.STATE_RESET, "a.t2.s_w"),
    (ADAGRAD, "not_squared", Slip.GRADIENT_NOT_SQUARED, "a.t1.s_w"),
    (MOMENTUM, "no_bias_correction", Slip.BIAS_CORRECTION_FORGOTTEN, "a.t1.vhat_w"),
    (MOMENTUM, "no_bias_correction", Slip.BIAS_CORRECTION_FORGOTTEN, "a.t2.w_new"),
    (MOMENTUM, "no_one_minus", Slip.MOVING_AVERAGE_WITHOUT_ONE_MINUS, "a.t1.v_w"),
    (MOMENTUM, "swapped", Slip.DECAY_AND_ONE_MINUS_SWAPPED, "a.t1.v_w"),
    (MOMENTUM, "reset", Slip.STATE_RESET, "a.t2.v_w"),
]


def as_written(value) -> np.ndarray:
    """The value a student carries on with: the 8 figures they wrote."""
    return np.array(eight_figures(value), dtype=float).reshape(np.shape(value))


def verdict_of(report, step_id):
    (verdict,) = [v for v in report.verdicts if v.step_id == step_id]
    return verdict


def judged(exercise, answers: dict):
    return check(exercise, parse_answers(answers, "answers.toml"))


def _case_id(case):
    if isinstance(case, Rule):
        return f"{case.name}-{case.epsilon_placement or 'outside'}"
    rule, flag, _, step_id = case
    return f"{_case_id(rule)}-{flag}-{step_id}"


@pytest.mark.parametrize("case", OPTIMIZER_CASES, ids=[_case_id(c) for c in OPTIMIZER_CASES])
def test_an_optimizer_kind_slip_is_named(case):
    """A 2×2 objective exercise, two updates: the student's value at one step is the oracle's
    with the slip."""
    rule, flag, slip, step_id = case
    truth = optimizer_values(rule)
    slipped = optimizer_values(rule, Slips(**{flag: True}))[step_id]
    assert differs_at_eight_figures(slipped, truth[step_id]), "the slip must change the written number"
    exercise = optimizer_exercise(rule)
    verdict = verdict_of(judged(exercise, {step_id: eight_figures(slipped)}), step_id)
    assert verdict.outcome == "wrong"
    assert slip in verdict.slips, [s.name for s in verdict.slips]


@pytest.mark.parametrize("rule,flag,slip,state", [
    (ADAM, "no_one_minus", Slip.MOVING_AVERAGE_WITHOUT_ONE_MINUS, "m_w"),
    (ADAM, "not_squared", Slip.GRADIENT_NOT_SQUARED, "s_w"),
    (RMSPROP, "swapped", Slip.DECAY_AND_ONE_MINUS_SWAPPED, "s_w"),
    (MOMENTUM, "no_bias_correction", Slip.BIAS_CORRECTION_FORGOTTEN, "vhat_w"),
])
def test_a_slip_at_the_second_update_after_a_right_first_is_named(rule, flag, slip, state):
    """The student wrote update 1 right (8 figures) and made the slip at update 2 only, working
    on from the numbers they wrote: the oracle runs update 2 from those rounded values."""
    truth = optimizer_values(rule)
    _, values, states, t = run(rule, {"w": W0}, 1, gradient_of=lambda v: {"w": quartic_gradient(v["w"])})
    written = {"w": as_written(values["w"])}
    written_states = {"w": {name: as_written(value) for name, value in states["w"].items()}}
    second, *_ = run(rule, written, 1, gradient_of=lambda v: {"w": quartic_gradient(v["w"])}, state=written_states,
                     t0=t, slips=Slips(**{flag: True}))
    slipped = second[f"a.{state}"]
    assert differs_at_eight_figures(slipped, truth[f"a.t2.{state}"])
    answers = {step_id: eight_figures(value) for step_id, value in truth.items()
               if step_id.startswith("a.t1.") and step_id.endswith(("_w", "_new"))}
    answers[f"a.t2.{state}"] = eight_figures(slipped)
    report = judged(optimizer_exercise(rule), answers)
    assert all(v.outcome == "correct" for v in report.verdicts if v.step_id.startswith("a.t1.")), report.render()
    verdict = verdict_of(report, f"a.t2.{state}")
    assert verdict.outcome == "wrong" and slip in verdict.slips, [s.name for s in verdict.slips]


def test_steps_worked_on_from_a_slipped_moment_follow_through():
    """Adam: the student swaps β₁ and 1 − β₁ in m at update 1, then works m̂ and w_new right from
    their own m (8 figures). m is wrong with that slip; m̂ and w_new follow through from m."""
    rule = ADAM
    truth = optimizer_values(rule, steps=1)
    slipped = optimizer_values(rule, Slips(swapped=True), steps=1)
    m = as_written(slipped["a.m_w"])
    mhat = m / (1 - rule.b1)  # seed 004: V/(1 − β₁ᵗ), t = 1
    shat = truth["a.shat_w"]
    w_new = np.array(W0) - rule.learning_rate * mhat / (np.sqrt(shat) + rule.eps)
    answers = {"a.m_w": eight_figures(m), "a.s_w": eight_figures(truth["a.s_w"]),
               "a.mhat_w": eight_figures(mhat), "a.shat_w": eight_figures(shat), "a.w_new": eight_figures(w_new)}
    report = judged(optimizer_exercise(rule, steps=1), answers)
    outcomes = {v.step_id: v.outcome for v in report.verdicts}
    assert outcomes == {"a.m_w": "wrong", "a.s_w": "correct", "a.mhat_w": "follows through",
                        "a.shat_w": "correct", "a.w_new": "follows through"}, report.render()
    assert Slip.DECAY_AND_ONE_MINUS_SWAPPED in verdict_of(report, "a.m_w").slips
    assert verdict_of(report, "a.mhat_w").follows_from == ("a.m_w",)
    assert verdict_of(report, "a.w_new").follows_from == ("a.m_w",)  # the slip's origin, through m̂


@pytest.mark.parametrize("rule", [ADAM, ADAM_INSIDE, RMSPROP, ADAGRAD, MOMENTUM], ids=_case_id)
def test_every_step_written_right_to_eight_figures_is_correct(rule):
    """The control for the slip cases: the oracle's true values of both updates, rounded to 8
    figures and carried on from, are all judged correct."""
    truth = optimizer_values(rule)
    report = judged(optimizer_exercise(rule), {k: eight_figures(v) for k, v in truth.items()})
    assert len(report.verdicts) == len(truth)
    assert {v.outcome for v in report.verdicts} == {"correct"}, report.render()


NESTEROV = Rule("nesterov", 0.1, momentum=0.9)


# a regression test: the reset once reached only the update, not the look-ahead taken before it
@pytest.mark.parametrize("step_id", ["a.t2.v_w", "a.t2.w_ahead", "a.t2.w_new"])
def test_nesterov_state_reset_is_named_for_the_whole_iteration(step_id):
    """Seed 002's Nesterov loop with v not carried into iteration 2: the look-ahead is θ + 0.9·0 = θ,
    g = ∇f(θ), v = −εg, θ ← θ + v. The student's numbers are that iteration's."""
    truth = optimizer_values(NESTEROV)
    slipped = optimizer_values(NESTEROV, Slips(reset=True))
    np.testing.assert_array_equal(slipped["a.t2.w_ahead"], truth["a.t2.w"])  # the oracle looks ahead from θ
    assert differs_at_eight_figures(slipped[step_id], truth[step_id])
    verdict = verdict_of(judged(optimizer_exercise(NESTEROV), {step_id: eight_figures(slipped[step_id])}), step_id)
    assert verdict.outcome == "wrong"
    assert Slip.STATE_RESET in verdict.slips, [s.name for s in verdict.slips]


# ---------------------------------------------------------------------------------------------
# a network trained by an optimiser

SAMPLES = [([1.0, 0.0], [1.0, 0.0]), ([0.0, 1.0], [0.0, 1.0]), ([1.0, 1.0], [1.0, 1.0])]
WEIGHTS = [[[0.1, 0.2], [0.3, -0.4], [0.5, 0.1]], [[0.2, -0.3, 0.1], [0.4, 0.2, -0.5]]]
BIASES = [[0.1, 0.0, -0.1], [0.05, -0.05]]

NET_ADAM = Rule("adam", 0.1, epsilon=0.001)
NET_RMSPROP = Rule("rmsprop", 0.05, rho=0.9, epsilon=0.001)
NET_MOMENTUM = Rule("momentum", 0.5, momentum=0.9, form="average", bias_correction=True)


def network(rule: Rule):
    data = network_exercise([2, 3, 2], ["tanh", "sigmoid"], weights=WEIGHTS, biases=BIASES,
                            samples=[{"input": x, "target": t} for x, t in SAMPLES], mode="minibatch")
    data["training"].update({"batch_size": 2, "optimizer": rule.table()})
    return parse_exercise(data, "net.toml")


def network_values(rule: Rule, slips: Slips = Slips()) -> dict:
    expected, *_ = train(list(zip(WEIGHTS, BIASES)), ["tanh", "sigmoid"], "half_sse", SAMPLES, rule=rule,
                         mode="minibatch", batch_size=2, slips=slips)
    return expected


# a bias's states are among the answered steps on purpose: the "bias not updated" variant has none
NETWORK_CASES = [
    (NET_ADAM, "no_bias_correction", Slip.BIAS_CORRECTION_FORGOTTEN, "a.t1.mhat_W2"),
    (NET_ADAM, "no_bias_correction", Slip.BIAS_CORRECTION_FORGOTTEN, "a.t1.W1_new"),
    (NET_ADAM, "epsilon_other_side", Slip.EPSILON_ON_THE_OTHER_SIDE, "a.t1.W2_new"),
    (NET_ADAM, "no_one_minus", Slip.MOVING_AVERAGE_WITHOUT_ONE_MINUS, "a.t1.m_W1"),
    (NET_ADAM, "swapped", Slip.DECAY_AND_ONE_MINUS_SWAPPED, "a.t1.s_b2"),
    (NET_ADAM, "reset", Slip.STATE_RESET, "a.t2.m_W2"),
    (NET_ADAM, "not_squared", Slip.GRADIENT_NOT_SQUARED, "a.t1.s_W2"),
    (NET_RMSPROP, "epsilon_other_side", Slip.EPSILON_ON_THE_OTHER_SIDE, "a.t1.b1_new"),
    (NET_RMSPROP, "no_one_minus", Slip.MOVING_AVERAGE_WITHOUT_ONE_MINUS, "a.t1.s_W1"),
    (NET_RMSPROP, "swapped", Slip.DECAY_AND_ONE_MINUS_SWAPPED, "a.t1.s_W2"),
    (NET_RMSPROP, "reset", Slip.STATE_RESET, "a.t2.s_W1"),
    (NET_RMSPROP, "not_squared", Slip.GRADIENT_NOT_SQUARED, "a.t1.s_b1"),
    (NET_MOMENTUM, "no_bias_correction", Slip.BIAS_CORRECTION_FORGOTTEN, "a.t1.vhat_W2"),
    (NET_MOMENTUM, "no_one_minus", Slip.MOVING_AVERAGE_WITHOUT_ONE_MINUS, "a.t1.v_W1"),
    (NET_MOMENTUM, "swapped", Slip.DECAY_AND_ONE_MINUS_SWAPPED, "a.t1.v_b2"),
    (NET_MOMENTUM, "reset", Slip.STATE_RESET, "a.t2.v_W2"),
]


@pytest.mark.parametrize("case", NETWORK_CASES, ids=[_case_id(c) for c in NETWORK_CASES])
def test_a_network_optimiser_slip_is_named(case):
    """A 2-3-2 network, mini-batches of 2 (two updates): the slipped value from the oracle's
    own gradients and optimiser."""
    rule, flag, slip, step_id = case
    truth = network_values(rule)
    slipped = network_values(rule, Slips(**{flag: True}))[step_id]
    assert differs_at_eight_figures(slipped, truth[step_id]), "the slip must change the written number"
    exercise = network(rule)
    verdict = verdict_of(judged(exercise, {step_id: eight_figures(slipped)}), step_id)
    assert verdict.outcome == "wrong"
    assert slip in verdict.slips, [s.name for s in verdict.slips]


@pytest.mark.parametrize("rule", [NET_ADAM, NET_RMSPROP, NET_MOMENTUM], ids=_case_id)
def test_every_network_step_written_right_to_eight_figures_is_correct(rule):
    """The control for the network cases: every update and optimiser step of the oracle's run."""
    truth = network_values(rule)
    answers = {k: eight_figures(v) for k, v in truth.items()}
    report = judged(network(rule), answers)
    assert len(report.verdicts) == len(answers)
    assert {v.outcome for v in report.verdicts} == {"correct"}, report.render()


def test_a_wrong_bias_velocity_is_judged_not_an_error():
    """A wrong answer for a bias's optimiser state is judged, not an error. (At commit 2602b75
    check() raised SolverError "no step with id 'a.v_b1'" here, and `byhand check` exited 2: the
    "bias not updated" slip variant records no state for the bias and the diagnosis indexed it.)
    A 1-1 identity network, one momentum step (seed 002: v = −ηg): the bias's true velocity is
    −0.1·(0.5·1 + 0 − 0) = −0.05; the student writes 0.5."""
    data = network_exercise([1, 1], ["identity"], weights=[[[0.5]]], biases=[[0.0]],
                            samples=[{"input": [1], "target": [0]}], mode="batch")
    data["training"]["optimizer"] = {"name": "momentum", "learning_rate": 0.1}
    exercise = parse_exercise(data, "one.toml")
    assert verdict_of(judged(exercise, {"a.v_b1": "-0.05"}), "a.v_b1").outcome == "correct"
    assert verdict_of(judged(exercise, {"a.v_b1": "0.5"}), "a.v_b1").outcome == "wrong"


def test_the_gradient_added_in_the_update_is_named_beside_right_corrected_states():
    """m̂ = 3 and ŝ = 9 are right (Adam's first step on x² from x = 1.5); x + η m̂/√ŝ = 1.6 adds the step."""
    import tomllib

    from solver.check import check, parse_answers
    from solver.engine.slips import Slip
    from solver.exercise import parse_exercise

    exercise = parse_exercise(tomllib.loads('kind = "optimizer"\nsteps = 2\nobjective = "x^2 + 3*y^2"\n'
                                            '[parameters]\nx = 1.5\ny = -0.5\n[optimizer]\nname = "adam"\n'
                                            'learning_rate = 0.1\n'), "adam.toml")
    report = check(exercise, parse_answers({"a.t1.mhat_x": 3, "a.t1.shat_x": 9, "a.t1.x_new": 1.6}, "mine.toml"))
    verdicts = {v.step_id: v for v in report.verdicts}
    assert verdicts["a.t1.mhat_x"].outcome == verdicts["a.t1.shat_x"].outcome == "correct"
    assert Slip.GRADIENT_ADDED in verdicts["a.t1.x_new"].slips


def test_t_not_counted_up_at_the_second_update_is_named():
    """Update 1 written right; update 2 worked from it with t = 1 again (the pseudo-code run from t0 = 0)."""
    truth = optimizer_values(ADAM)
    _, values, states, _ = run(ADAM, {"w": W0}, 1, gradient_of=lambda v: {"w": quartic_gradient(v["w"])})
    written = {"w": as_written(values["w"])}
    written_states = {"w": {name: as_written(value) for name, value in states["w"].items()}}
    second, *_ = run(ADAM, written, 1, gradient_of=lambda v: {"w": quartic_gradient(v["w"])}, state=written_states,
                     t0=0)
    slipped = second["a.mhat_w"]
    assert differs_at_eight_figures(slipped, truth["a.t2.mhat_w"])
    answers = {step_id: eight_figures(value) for step_id, value in truth.items()
               if step_id.startswith("a.t1.") and step_id.endswith(("_w", "_new"))}
    answers["a.t2.mhat_w"] = eight_figures(slipped)
    verdict = verdict_of(judged(optimizer_exercise(ADAM), answers), "a.t2.mhat_w")
    assert verdict.outcome == "wrong" and Slip.ITERATION_NOT_COUNTED in verdict.slips, [s.name for s in verdict.slips]
