"""Training runs of an MLP (mini-batches, epochs, shuffling, optimisers, schedules, clipping,
validation) against a separate plain-NumPy loop, tests/kinds/mlp/plain_network.py.

The oracle's backward pass is seed 003's algorithm in matrix form, its optimisers the pseudo-code of
seeds 002, 003 and 004 (tests/kinds/optimizer/pseudocode.py), its schedules seed 004's decays per
epoch (epochs from 1), its clipping seed 002's "if ‖g‖ ≥ c then g ← c·g/‖g‖", and its shuffle the
Fisher–Yates draw the brief describes. The network gradients are also checked against central
finite differences of the batch loss computed by the oracle's own forward pass.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import solver
from solver.exercise import parse_exercise
from tests.conftest import network_exercise
from tests.kinds.mlp.plain_network import batch_loss, finite_difference, train
from tests.kinds.optimizer.pseudocode import Rule, fisher_yates_orders

RTOL, ATOL = 1e-12, 1e-14

SIZES = [2, 3, 2]
WEIGHTS = [[[0.1, 0.2], [0.3, -0.4], [0.5, 0.1]], [[0.2, -0.3, 0.1], [0.4, 0.2, -0.5]]]
BIASES = [[0.1, 0.0, -0.1], [0.05, -0.05]]
SAMPLES = [([1.0, 0.0], [1.0, 0.0]), ([0.0, 1.0], [0.0, 1.0]), ([1.0, 1.0], [1.0, 1.0]),
           ([0.5, -1.0], [0.0, 1.0]), ([-1.0, 0.5], [1.0, 0.0])]
VALIDATION = [([0.2, 0.8], [0.0, 1.0]), ([0.9, 0.1], [1.0, 0.0])]

RULES = {
    "sgd": Rule("sgd", 0.5),
    "momentum-velocity": Rule("momentum", 0.3, momentum=0.8),
    "momentum-average": Rule("momentum", 0.5, momentum=0.7, form="average"),
    "momentum-average-bias-corrected": Rule("momentum", 0.5, momentum=0.7, form="average", bias_correction=True),
    "nesterov": Rule("nesterov", 0.3, momentum=0.9),
    "adagrad-outside": Rule("adagrad", 0.2, epsilon=1e-3),
    "adagrad-inside": Rule("adagrad", 0.2, epsilon=1e-3, epsilon_placement="inside"),
    "rmsprop-outside": Rule("rmsprop", 0.05, rho=0.8, epsilon=1e-4),
    "rmsprop-inside": Rule("rmsprop", 0.05, rho=0.8, epsilon=1e-4, epsilon_placement="inside"),
    "adam": Rule("adam", 0.1, beta1=0.8, beta2=0.95, epsilon=1e-6),
    "adam-without-bias-correction": Rule("adam", 0.1, beta1=0.8, beta2=0.95, epsilon=1e-6, bias_correction=False),
}

# the backward pass's intermediate steps, which this file checks only through the gradients
INTERMEDIATE = re.compile(r"\.(z\d+|x\d+|t|fprime\d+|delta\d+)$")


def as_samples(pairs):
    return [{"input": list(x), "target": list(t)} for x, t in pairs]


def mlp(rule: Rule | None, activations=("tanh", "sigmoid"), loss="half_sse", samples=SAMPLES, weights=WEIGHTS,
        biases=BIASES, sizes=SIZES, conventions=None, learning_rate=0.5, **training) -> dict:
    """An MLP exercise; `training` adds keys to [training] (validation given as pairs)."""
    data = network_exercise(sizes, list(activations), weights=weights, biases=biases, samples=as_samples(samples),
                            loss=loss, mode=training.pop("mode", "minibatch"), learning_rate=learning_rate,
                            conventions=conventions)
    if rule is not None:
        data["training"]["optimizer"] = rule.table()
    if "validation" in training:
        training["validation"] = as_samples(training["validation"])
    data["training"].update(training)
    return data


def oracle(rule: Rule, activations=("tanh", "sigmoid"), loss="half_sse", samples=SAMPLES, weights=WEIGHTS,
           biases=BIASES, reduction="sum", **training):
    return train(list(zip(weights, biases)), list(activations), loss, samples, rule=rule, reduction=reduction,
                 **training)


def solve(data: dict):
    return solver.solve(parse_exercise(data, "run.toml"))


def assert_run_agrees(solution, expected: dict) -> None:
    """Every optimiser, clipping, epoch and update step is one the oracle computed, and agrees."""
    ours = {i for i in expected if not INTERMEDIATE.search(i)}
    theirs = {i for i in solution.ids if not INTERMEDIATE.search(i)}
    assert theirs == ours, f"byhand only: {sorted(theirs - ours)}; oracle only: {sorted(ours - theirs)}"
    for step_id, value in expected.items():
        np.testing.assert_allclose(solution[step_id], value, rtol=RTOL, atol=ATOL, err_msg=step_id)


# ---------------------------------------------------------------------------------------------
# the order of the samples


def test_shuffled_minibatches_follow_one_fisher_yates_draw_across_epochs():
    """Each update's input columns are the samples of the oracle's Fisher–Yates order, with one
    random.Random(seed) for all epochs (so the epochs' orders differ)."""
    data = mlp(Rule("sgd", 0.5), batch_size=2, epochs=3, shuffle=True, seed=11)
    solution = solve(data)
    orders = fisher_yates_orders(len(SAMPLES), 3, 11, True)
    assert len({tuple(o) for o in orders}) > 1, "the seed should give different orders per epoch"
    k = 0
    for order in orders:
        for start in range(0, len(order), 2):
            k += 1
            columns = np.array([SAMPLES[i][0] for i in order[start:start + 2]]).T
            np.testing.assert_array_equal(solution[f"a.t{k}.x0"], columns)
            np.testing.assert_array_equal(solution[f"a.t{k}.t"], np.array([SAMPLES[i][1] for i in order[start:start + 2]]).T)
    assert f"a.t{k + 1}.W1" not in solution


@pytest.mark.parametrize("seed", [0, 1, 2**32 - 1])
def test_shuffle_seeds_give_the_oracle_order(seed):
    """The draw for seeds at both ends of the allowed range (stochastic mode, two epochs)."""
    data = mlp(Rule("sgd", 0.5), mode="stochastic", epochs=2, shuffle=True, seed=seed)
    solution = solve(data)
    orders = fisher_yates_orders(len(SAMPLES), 2, seed, True)
    flat = [i for order in orders for i in order]
    for k, i in enumerate(flat, 1):
        np.testing.assert_array_equal(solution[f"a.t{k}.x0"], np.array(SAMPLES[i][0]).reshape(-1, 1))


def test_without_shuffle_the_order_is_as_written():
    solution = solve(mlp(Rule("sgd", 0.5), batch_size=2, epochs=2))
    for k, first in zip(range(1, 7), [0, 2, 4, 0, 2, 4]):
        np.testing.assert_array_equal(solution[f"a.t{k}.x0"][:, 0], SAMPLES[first][0])
    assert solution["a.t3.x0"].shape == (2, 1)  # the last batch of an epoch holds what is left


# ---------------------------------------------------------------------------------------------
# whole runs against the oracle


@pytest.mark.parametrize("rule_name", RULES)
def test_each_optimiser_on_shuffled_minibatches_with_validation_matches_the_oracle(rule_name):
    """Two epochs of shuffled mini-batches of 2 (3 updates each), validation after each epoch."""
    rule = RULES[rule_name]
    settings = dict(mode="minibatch", batch_size=2, epochs=2, shuffle=True, seed=5, validation=VALIDATION)
    expected, *_ = oracle(rule, **settings)
    assert_run_agrees(solve(mlp(rule, **settings)), expected)


@pytest.mark.parametrize("rule_name", ["sgd", "momentum-average-bias-corrected", "nesterov", "rmsprop-inside", "adam"])
def test_mean_reduction_runs_match_the_oracle(rule_name):
    """[conventions] batch_reduction = "mean": gradients and losses divided by the batch's size
    (the last batch of 1 by 1)."""
    rule = RULES[rule_name]
    settings = dict(mode="minibatch", batch_size=2, epochs=2, shuffle=True, seed=9, validation=VALIDATION)
    expected, *_ = oracle(rule, reduction="mean", **settings)
    assert_run_agrees(solve(mlp(rule, conventions={"batch_reduction": "mean"}, **settings)), expected)


@pytest.mark.parametrize("schedule", [
    {"name": "constant"},
    {"name": "inverse", "decay": 0.5},
    {"name": "inverse"},
    {"name": "exponential"},
    {"name": "exponential", "base": 0.5},
    {"name": "inverse_sqrt", "k": 2.0},
    {"name": "inverse_sqrt"},
], ids=lambda s: "-".join(f"{v}" for v in s.values()))
@pytest.mark.parametrize("rule_name", ["sgd", "adam", "momentum-velocity"])
def test_learning_rate_schedules_match_seed_004(rule_name, schedule):
    """Seed 004: α = α₀/(1 + decay·epoch), α = 0.95^epoch·α₀ (or any base), α = k/√epoch·α₀,
    epochs numbered from 1; three epochs of batch updates."""
    rule = RULES[rule_name]
    settings = dict(mode="batch", epochs=3, schedule=schedule)
    expected, *_ = oracle(rule, **settings)
    solution = solve(mlp(rule, **settings))
    assert_run_agrees(solution, expected)
    if schedule["name"] != "constant":
        assert solution["a.e1.eta"] < rule.learning_rate or schedule["name"] == "inverse_sqrt"


def test_schedule_values_by_hand():
    """η₀ = 0.4: inverse with decay 1 gives 0.4/2, 0.4/3; exponential 0.95¹·0.4 = 0.38,
    0.95²·0.4 = 0.361; inverse_sqrt with k = 2 gives 0.8, 0.8/√2."""
    cases = {("inverse", 1.0): (0.2, 0.4 / 3), ("exponential", 0.95): (0.38, 0.361), ("inverse_sqrt", 2.0): (0.8, 0.8 / 2**0.5)}
    keys = {"inverse": "decay", "exponential": "base", "inverse_sqrt": "k"}
    for (name, value), (first, second) in cases.items():
        solution = solve(mlp(Rule("sgd", 0.4), mode="batch", epochs=2, schedule={"name": name, keys[name]: value}))
        assert solution["a.e1.eta"] == pytest.approx(first, rel=1e-14), name
        assert solution["a.e2.eta"] == pytest.approx(second, rel=1e-14), name


@pytest.mark.parametrize("scope", ["parameter", "global"])
@pytest.mark.parametrize("rule_name", ["sgd", "momentum-velocity", "nesterov", "adam"])
def test_clipping_by_norm_matches_seed_002(rule_name, scope):
    """Gradient clipping before the optimiser, each gradient by its own norm or all jointly; the
    threshold clips some gradients and not others."""
    rule = RULES[rule_name]
    settings = dict(mode="minibatch", batch_size=3, epochs=2, clipping={"threshold": 0.1, "scope": scope})
    expected, *_ = oracle(rule, **settings)
    clipped = [k for k, v in expected.items() if k.endswith("_clipped")]
    changed = [k for k in clipped if not np.allclose(expected[k], expected[k.replace("_clipped", "")])]
    if scope == "parameter":
        assert 0 < len(changed) < len(clipped), "the threshold should clip some gradients, not all"
    else:
        assert changed
    assert_run_agrees(solve(mlp(rule, **settings)), expected)


@pytest.mark.parametrize("rule_name", ["adam", "nesterov", "rmsprop-outside"])
def test_softmax_cross_entropy_runs_match_the_oracle(rule_name):
    """A 2-3-3 network, softmax output with cross-entropy (δ through softmax's Jacobian)."""
    rule = RULES[rule_name]
    samples = [([1.0, 0.0], [1.0, 0.0, 0.0]), ([0.0, 1.0], [0.0, 1.0, 0.0]), ([1.0, 1.0], [0.0, 0.0, 1.0]),
               ([0.5, -0.5], [1.0, 0.0, 0.0])]
    weights = [WEIGHTS[0], [[0.2, -0.3, 0.1], [0.4, 0.2, -0.5], [-0.1, 0.3, 0.2]]]
    biases = [BIASES[0], [0.0, 0.1, -0.1]]
    settings = dict(mode="minibatch", batch_size=2, epochs=2, shuffle=True, seed=3,
                    validation=[([0.3, 0.3], [0.0, 0.0, 1.0])])
    expected, *_ = oracle(rule, activations=("sigmoid", "softmax"), loss="cross_entropy", samples=samples,
                          weights=weights, biases=biases, **settings)
    data = mlp(rule, activations=("sigmoid", "softmax"), loss="cross_entropy", samples=samples, weights=weights,
               biases=biases, sizes=[2, 3, 3], **settings)
    assert_run_agrees(solve(data), expected)


@pytest.mark.parametrize("rule_name", ["adagrad-inside", "momentum-average"])
def test_relu_identity_sse_runs_match_the_oracle(rule_name):
    """ReLU hidden layer (one unit dead at the start), identity output, loss Σ(x − t)²."""
    rule = RULES[rule_name]
    settings = dict(mode="minibatch", batch_size=2, epochs=2, shuffle=True, seed=4, validation=VALIDATION)
    expected, *_ = oracle(rule, activations=("relu", "identity"), loss="sse", **settings)
    assert_run_agrees(solve(mlp(rule, activations=("relu", "identity"), loss="sse", **settings)), expected)


@pytest.mark.parametrize("rule_name", ["adam", "nesterov", "momentum-average-bias-corrected"])
def test_everything_at_once_matches_the_oracle(rule_name):
    """Shuffled mini-batches over three epochs with a decaying rate, global clipping, the mean
    reduction and validation, all in one run."""
    rule = RULES[rule_name]
    settings = dict(mode="minibatch", batch_size=2, epochs=3, shuffle=True, seed=21, validation=VALIDATION,
                    schedule={"name": "exponential", "base": 0.8}, clipping={"threshold": 0.05, "scope": "global"})
    expected, *_ = oracle(rule, reduction="mean", **settings)
    assert_run_agrees(solve(mlp(rule, conventions={"batch_reduction": "mean"}, **settings)), expected)


def test_the_delta_sign_convention_does_not_change_the_update():
    """With delta = "-dE/dz" the gradient steps still hold ∂E/∂W, so Adam's run is the same."""
    rule = RULES["adam"]
    settings = dict(mode="minibatch", batch_size=2, epochs=2, shuffle=True, seed=2)
    expected, *_ = oracle(rule, **settings)
    assert_run_agrees(solve(mlp(rule, conventions={"delta": "-dE/dz"}, **settings)), expected)


def test_eta0_comes_from_the_optimizer_table_else_the_training_rate():
    """The optimizer's learning_rate overrides [training]'s; without it [training]'s is η₀."""
    rule = Rule("adam", 0.05)
    expected, *_ = oracle(rule, mode="batch", epochs=2, schedule={"name": "inverse", "decay": 0.5})
    assert_run_agrees(solve(mlp(rule, learning_rate=0.9, mode="batch", epochs=2,
                                schedule={"name": "inverse", "decay": 0.5})), expected)
    data = mlp(None, learning_rate=0.05, mode="batch", epochs=2, schedule={"name": "inverse", "decay": 0.5})
    data["training"]["optimizer"] = {"name": "adam"}
    assert_run_agrees(solve(data), expected)


def test_group_names_follow_the_kind_of_run():
    """A single-epoch stochastic pass keeps s{k}; two epochs number t{k} across epochs; one batch
    update has no group and no epoch losses unless validation is given."""
    rule = RULES["momentum-velocity"]
    for settings, probe, absent in (
        (dict(mode="stochastic"), "a.s5.W1_new", "a.e1.E_train"),
        (dict(mode="stochastic", epochs=2), "a.t10.W1_new", "a.s1.W1"),
        (dict(mode="batch"), "a.W1_new", "a.e1.E_train"),
        (dict(mode="batch", validation=VALIDATION), "a.e1.E_val", "a.t1.W1"),
    ):
        expected, *_ = oracle(rule, **settings)
        solution = solve(mlp(rule, **settings))
        assert probe in solution and absent not in solution, settings
        assert_run_agrees(solution, expected)


def test_a_part_started_from_previous_carries_the_optimiser_state_and_t():
    """Adam over two parts: part b continues from part a's weights, moments and t, with its own
    mini-batch setting (and one epoch: a part inherits the epochs of the part before)."""
    rule = RULES["adam"]
    first, params, states, t, _ = oracle(rule, mode="batch", epochs=2)
    second, *_ = train(params, ["tanh", "sigmoid"], "half_sse", SAMPLES, rule=rule, mode="minibatch", batch_size=2,
                       part="b", states=states, t0=t)
    data = mlp(rule, mode="batch", epochs=2)
    data["parts"] = [{"name": "a"}, {"name": "b", "start": "previous", "mode": "minibatch", "batch_size": 2,
                                     "epochs": 1}]
    assert_run_agrees(solve(data), {**first, **second})


# ---------------------------------------------------------------------------------------------
# the gradients against finite differences


@pytest.mark.parametrize("reduction", ["sum", "mean"])
@pytest.mark.parametrize("rule_name", ["adam", "nesterov"])
def test_minibatch_gradients_equal_finite_differences_of_the_batch_loss(rule_name, reduction):
    """At each update's weights (Nesterov: at the look-ahead point), ∂E/∂W and ∂E/∂b of the
    batch's summed (or mean) loss, by central differences of the oracle's forward pass on the
    samples the oracle's shuffle puts in that batch."""
    rule = RULES[rule_name]
    conventions = {"batch_reduction": reduction} if reduction == "mean" else None
    solution = solve(mlp(rule, batch_size=2, epochs=2, shuffle=True, seed=8, conventions=conventions))
    orders = fisher_yates_orders(len(SAMPLES), 2, 8, True)
    batches = [order[k:k + 2] for order in orders for k in range(0, len(order), 2)]
    suffix = "_ahead" if rule.name == "nesterov" else ""
    for k, batch in enumerate(batches, 1):
        params = [(np.array(solution[f"a.t{k}.W{l}{suffix}"]), np.array(solution[f"a.t{k}.b{l}{suffix}"]))
                  for l in (1, 2)]
        X = np.array([SAMPLES[i][0] for i in batch]).T
        T = np.array([SAMPLES[i][1] for i in batch]).T
        numeric = finite_difference(params, ["tanh", "sigmoid"], "half_sse", X, T, reduction)
        for l, (dW, db) in enumerate(numeric, 1):
            np.testing.assert_allclose(solution[f"a.t{k}.dW{l}"], dW, rtol=1e-6, atol=1e-9, err_msg=f"t{k} W{l}")
            np.testing.assert_allclose(solution[f"a.t{k}.db{l}"], db, rtol=1e-6, atol=1e-9, err_msg=f"t{k} b{l}")
        assert solution[f"a.t{k}.E"] == pytest.approx(batch_loss(params, ["tanh", "sigmoid"], "half_sse", X, T,
                                                                 reduction), rel=1e-12)


# ---------------------------------------------------------------------------------------------
# the shipped training-run exercises, set up here from their descriptions


def _shipped(name: str):
    from tests.conftest import EXERCISES

    path = EXERCISES / f"{name}.toml"
    if not path.exists():
        pytest.skip(f"{path.name} is not shipped")
    return solver.solve(solver.load_exercise(path))


def test_shipped_two_adam_steps_match_the_oracle():
    """Seed 004's Adam (0.9, 0.999, 1e-8, bias corrected), η = 0.1, batch of both samples, two
    updates of a 2-2-1 sigmoid network, ½SSE summed over the batch."""
    expected, *_ = train([([[0.1, -0.2], [0.3, 0.4]], [0.0, 0.1]), ([[0.5, -0.5]], [0.2])], ["sigmoid", "sigmoid"],
                         "half_sse", [([1.0, 0.0], [1.0]), ([0.0, 1.0], [0.0])], rule=Rule("adam", 0.1),
                         mode="batch", epochs=2)
    assert_run_agrees(_shipped("mlp-2-2-1-adam-two-steps"), expected)


def test_shipped_learning_rate_decay_matches_seed_004():
    """One tanh unit, batch updates for four epochs from η₀ = 0.5: (a) η₀/(1 + e), (b) 0.95ᵉ·η₀."""
    params = [([[0.1, -0.1]], [0.0])]
    samples = [([1.0, 0.0], [0.9]), ([0.0, 1.0], [-0.9])]
    a, *_ = train(params, ["tanh"], "half_sse", samples, rule=Rule("sgd", 0.5), mode="batch", epochs=4,
                  schedule={"name": "inverse", "decay": 1.0})
    b, *_ = train(params, ["tanh"], "half_sse", samples, rule=Rule("sgd", 0.5), mode="batch", epochs=4,
                  schedule={"name": "exponential", "base": 0.95}, part="b")
    assert_run_agrees(_shipped("mlp-learning-rate-decay"), {**a, **b})


def test_shipped_minibatch_sgd_three_epochs_matches_the_oracle():
    """OR in shuffled mini-batches of two (seed 7), η = 2, three epochs, validation (0.9, 0.1) → 1."""
    samples = [([0.0, 0.0], [0.0]), ([0.0, 1.0], [1.0]), ([1.0, 0.0], [1.0]), ([1.0, 1.0], [1.0])]
    expected, *_ = train([([[0.2, -0.1], [-0.3, 0.4]], [0.0, 0.0]), ([[0.3, -0.2]], [0.1])], ["sigmoid", "sigmoid"],
                         "half_sse", samples, rule=Rule("sgd", 2.0), mode="minibatch", batch_size=2, epochs=3,
                         shuffle=True, seed=7, validation=[([0.9, 0.1], [1.0])])
    assert_run_agrees(_shipped("mlp-minibatch-sgd-3-epochs"), expected)


def test_the_iteration_letter_is_set_as_math():
    # t is the t of the optimiser's formulas (m̂ = m/(1 − β₁ᵗ)), not a word
    for form in ("md", "tex"):
        sheet = solver.solve(solver.load("mlp-2-2-1-adam-two-steps")).render(form)
        assert "Iterations $t$ are numbered across epochs." in sheet and "Iterations t " not in sheet
