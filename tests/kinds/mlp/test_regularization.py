"""L2 and L1 regularisation (solver/kinds/mlp/regularization.py) against oracles written here: a
plain-NumPy training loop that adds each seed's penalty as the notes write it (the network's own
forward and backward pass are tests/kinds/mlp/plain_network.py, the optimisers
tests/kinds/optimizer/pseudocode.py, neither of which imports byhand), and central finite
differences of the regularised loss."""

from __future__ import annotations

import copy
import tomllib

import numpy as np
import pytest

import solver
from solver.check import check, parse_answers
from solver.engine import solve
from solver.engine.slips import Slip
from solver.errors import ExerciseError
from solver.exercise import parse_exercise
from solver.kinds import kind
from solver.limits import Limits
from tests.kinds.mlp.plain_network import batch_loss, gradients
from tests.kinds.optimizer.pseudocode import Rule, update

ACTIVATIONS = ["tanh", "sigmoid"]
# a zero weight: L1's |0|' = 0 (seed 003) must leave it alone
W1 = [[0.2, -0.4, 0.0], [0.5, 0.1, -0.3]]
B1 = [0.1, -0.2]
W2 = [[0.3, -0.6], [-0.2, 0.4]]
B2 = [0.05, 0.0]
SAMPLES = [([1.0, 0.5, -1.0], [1.0, 0.0]), ([0.0, 1.0, 2.0], [0.0, 1.0]), ([-1.0, 0.3, 0.5], [1.0, 1.0])]

# the three seeds' forms as settings (README "Regularisation"), with the conventions they come with
SEED_FORMS = {
    "003-l2": ({"penalty": "l2", "strength": 0.1, "biases": True}, {}),
    "003-l1": ({"penalty": "l1", "strength": 0.05, "biases": True}, {}),
    "004-l2": ({"penalty": "l2", "strength": 0.3, "divide_by_batch": True, "form": "weight_decay"},
               {"batch_reduction": "mean"}),
    "004-l1": ({"penalty": "l1", "strength": 0.3, "divide_by_batch": True}, {"batch_reduction": "mean"}),
    "002-l2": ({"penalty": "l2", "strength": 0.2, "form": "weight_decay"}, {}),
    "002-l1": ({"penalty": "l1", "strength": 0.2, "form": "weight_decay"}, {}),
}


def exercise_data(regularization: dict, conventions: dict | None = None, **training) -> dict:
    return {
        "title": "regularised",
        "network": {"inputs": 3, "layers": [
            {"units": 2, "activation": "tanh", "weights": W1, "biases": B1},
            {"units": 2, "activation": "sigmoid", "weights": W2, "biases": B2}]},
        "training": {"loss": "half_sse", "mode": "batch", "learning_rate": 0.5,
                     "samples": [{"input": x, "target": t} for x, t in SAMPLES],
                     "regularization": regularization, **training},
        "conventions": conventions or {},
    }


def solved(data: dict, limits: Limits = Limits()):
    return solver.solve(parse_exercise(data, "reg.toml", limits=limits))


def plain_penalty(params, settings: dict, m: int) -> float:
    """Seed 003: λ·½‖w‖² or λ‖w‖₁ over weights and biases; seed 004: λ/(2M)Σ‖W‖²_F or λ/M‖w‖₁;
    seed 002: (λ/2)wᵀw or λ‖w‖₁ over the weights."""
    lam = settings["strength"] / (m if settings.get("divide_by_batch") else 1)
    arrays = [W for W, _ in params] + ([b for _, b in params] if settings.get("biases") else [])
    if settings["penalty"] == "l2":
        return lam / 2 * sum(float((a**2).sum()) for a in arrays)
    return lam * sum(float(np.abs(a).sum()) for a in arrays)


def plain_penalty_gradient(value, settings: dict, m: int, bias: bool):
    if bias and not settings.get("biases"):
        return np.zeros_like(value)
    lam = settings["strength"] / (m if settings.get("divide_by_batch") else 1)
    return lam * (value if settings["penalty"] == "l2" else np.sign(value))


def plain_run(settings: dict, reduction: str, mode: str, rule: Rule, batch_size: int | None = None):
    """{step id: value} of a regularised run: every sample in order, in `mode`, one epoch."""
    params = [(np.array(W1), np.array(B1).reshape(-1, 1)), (np.array(W2), np.array(B2).reshape(-1, 1))]
    size = {"stochastic": 1, "batch": len(SAMPLES), "minibatch": batch_size}[mode]
    batches = [list(range(k, min(k + size, len(SAMPLES)))) for k in range(0, len(SAMPLES), size)]
    states = {name: {s: np.zeros_like(v) for s in rule.states}
              for l, pair in enumerate(params, 1) for name, v in zip((f"W{l}", f"b{l}"), pair)}
    expected = {}
    for t, batch in enumerate(batches, 1):
        prefix = "a." if len(batches) == 1 else (f"a.s{t}." if mode == "stochastic" else f"a.t{t}.")
        X = np.hstack([np.array(SAMPLES[i][0]).reshape(-1, 1) for i in batch])
        T = np.hstack([np.array(SAMPLES[i][1]).reshape(-1, 1) for i in batch])
        m = X.shape[1]
        E = batch_loss(params, ACTIVATIONS, "half_sse", X, T, reduction)
        expected[prefix + "penalty"] = plain_penalty(params, settings, m)
        expected[prefix + "J"] = E + expected[prefix + "penalty"]
        new = []
        for l, ((W, b), (dW, db)) in enumerate(zip(params, gradients(params, ACTIVATIONS, "half_sse", X, T,
                                                                       reduction)), 1):
            pair = []
            for name, value, grad, bias in ((f"W{l}", W, dW, False), (f"b{l}", b, db, True)):
                total = grad + plain_penalty_gradient(value, settings, m, bias)
                if not bias or settings.get("biases"):
                    expected[f"{prefix}d{name}_penalty"] = total - grad
                    expected[f"{prefix}d{name}_reg"] = total
                value_new, states[name], _ = update(rule, value, total, states[name], t)
                expected[f"{prefix}{name}_new"] = value_new
                pair.append(value_new)
            new.append(tuple(pair))
        params = new
    return expected


def assert_steps(solution, expected: dict) -> None:
    for step_id, value in expected.items():
        np.testing.assert_allclose(solution[step_id], np.asarray(value).reshape(solution[step_id].shape),
                                   rtol=1e-10, atol=1e-13, err_msg=step_id)


@pytest.mark.parametrize("form", SEED_FORMS)
@pytest.mark.parametrize("mode", ["stochastic", "batch", "minibatch"])
def test_each_seed_form_agrees_with_a_plain_loop(form, mode):
    settings, conventions = SEED_FORMS[form]
    training = {"mode": mode} | ({"batch_size": 2} if mode == "minibatch" else {})
    solution = solved(exercise_data(settings, conventions, **training))
    expected = plain_run(settings, conventions.get("batch_reduction", "sum"), mode, Rule("sgd", 0.5), 2)
    assert_steps(solution, expected)


@pytest.mark.parametrize("optimizer", [{"name": "adam", "learning_rate": 0.1},
                                       {"name": "momentum", "momentum": 0.8},
                                       {"name": "rmsprop", "epsilon_placement": "inside"},
                                       {"name": "adagrad"}])
def test_every_optimiser_is_given_the_regularised_gradient(optimizer):
    settings, conventions = SEED_FORMS["004-l1"]
    data = exercise_data(settings, conventions, mode="minibatch", batch_size=2, optimizer=optimizer)
    rule = Rule(learning_rate=optimizer.get("learning_rate", 0.5), **{k: v for k, v in optimizer.items()
                                                                       if k != "learning_rate"})
    assert_steps(solved(data), plain_run(settings, "mean", "minibatch", rule, 2))


def test_nesterov_penalises_the_look_ahead_point_it_takes_the_gradient_at():
    settings = {"penalty": "l2", "strength": 0.2}
    solution = solved(exercise_data(settings, mode="stochastic", optimizer={"name": "nesterov", "momentum": 0.5}))
    for t in (1, 2, 3):
        np.testing.assert_allclose(solution[f"a.s{t}.dW1_penalty"], 0.2 * solution[f"a.s{t}.W1_ahead"], rtol=1e-14)
    assert solution.step("a.s2.dW1_reg").inputs == ("a.s2.dW1", "a.s2.dW1_penalty")


def test_clipping_clips_the_regularised_gradient():
    settings = {"penalty": "l2", "strength": 2.0}
    solution = solved(exercise_data(settings, clipping={"threshold": 0.5}))
    g = solution["a.dW1_reg"]
    np.testing.assert_allclose(solution["a.dW1_reg_clipped"], g * min(1.0, 0.5 / np.linalg.norm(g)), rtol=1e-13)
    np.testing.assert_allclose(solution["a.W1_new"], np.array(W1) - 0.5 * solution["a.dW1_reg_clipped"], rtol=1e-13)


@pytest.mark.parametrize("penalty", ["l2", "l1"])
@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_regularised_gradients_agree_with_finite_differences(penalty, reduction):
    settings = {"penalty": penalty, "strength": 0.25, "divide_by_batch": True, "biases": True}
    solution = solved(exercise_data(settings, {"batch_reduction": reduction}))
    params = [(np.array(W1), np.array(B1).reshape(-1, 1)), (np.array(W2), np.array(B2).reshape(-1, 1))]
    X = np.array([x for x, _ in SAMPLES]).T
    T = np.array([t for _, t in SAMPLES]).T

    def J(candidate):
        return batch_loss(candidate, ACTIVATIONS, "half_sse", X, T, reduction) + plain_penalty(candidate, settings, 3)

    h = 1e-6
    for l in range(2):
        for which, name in ((0, f"W{l + 1}"), (1, f"b{l + 1}")):
            numeric = np.zeros_like(params[l][which])
            for index in np.ndindex(numeric.shape):
                if penalty == "l1" and abs(params[l][which][index]) < 2 * h:
                    continue  # |w| has no derivative at 0; seed 003 takes 0 there
                shifted = []
                for sign in (1, -1):
                    changed = [[W.copy(), b.copy()] for W, b in params]
                    changed[l][which][index] += sign * h
                    shifted.append(J(changed))
                numeric[index] = (shifted[0] - shifted[1]) / (2 * h)
            engine = solution[f"a.d{name}_reg"].copy()
            if penalty == "l1":
                engine[np.abs(params[l][which]) < 2 * h] = 0
            np.testing.assert_allclose(engine, numeric, rtol=1e-6, atol=1e-9, err_msg=name)
    assert solution["a.J"] == pytest.approx(J(params), rel=1e-12)


def test_l1_leaves_a_zero_weight_alone_and_the_sheet_says_so():
    solution = solved(exercise_data({"penalty": "l1", "strength": 0.05}))
    assert solution["a.dW1_penalty"][0, 2] == 0
    assert r"\operatorname{sign}(0) = 0" in solution.render("md")


def test_the_weight_decay_form_is_written_as_decay_and_equals_the_penalty_form():
    settings = {"penalty": "l2", "strength": 0.3, "divide_by_batch": True}
    decay = solved(exercise_data(settings | {"form": "weight_decay"}))
    penalty = solved(exercise_data(settings))
    np.testing.assert_allclose(decay["a.W1_new"], penalty["a.W1_new"], rtol=1e-13)
    sheet = decay.render("md")
    assert r"\left(1 - \frac{\eta \lambda}{M}\right) w^{[1]} - \eta \frac{\partial E}{\partial w^{[1]}}" in sheet
    assert "The update is written as weight decay" in sheet
    assert decay.step("a.W1_new").inputs == ("a.W1", "a.dW1")


def test_later_parts_inherit_the_table_and_override_single_keys():
    data = exercise_data({"penalty": "l2", "strength": 0.1})
    data["parts"] = [{"name": "a"}, {"name": "b", "regularization": {"strength": 0.4}},
                     {"name": "c", "regularization": {"penalty": "none"}}]
    solution = solved(data)
    a, b = solution["a.dW2_penalty"], solution["b.dW2_penalty"]
    np.testing.assert_allclose(b, 4 * a)
    assert "c.penalty" not in solution and "c.W1_new" in solution


def test_epoch_losses_are_the_data_loss_without_the_penalty():
    settings = {"penalty": "l2", "strength": 0.5}
    data = exercise_data(settings, epochs=2)
    solution = solved(data)
    last = [solution[f"a.t2.{name}_new"] for name in ("W1", "b1", "W2", "b2")]
    params = [(last[0], last[1]), (last[2], last[3])]
    X, T = np.array([x for x, _ in SAMPLES]).T, np.array([t for _, t in SAMPLES]).T
    assert solution["a.e2.E_train"] == pytest.approx(batch_loss(params, ACTIVATIONS, "half_sse", X, T), rel=1e-12)


# the slips of point 5: each one reproduced by a plain-loop variant and named by byhand check
SLIP_CASES = {
    Slip.STRENGTH_NOT_DIVIDED: ({"penalty": "l2", "strength": 0.3, "divide_by_batch": True},
                                {"penalty": "l2", "strength": 0.3}),
    Slip.STRENGTH_DIVIDED: ({"penalty": "l2", "strength": 0.3}, {"penalty": "l2", "strength": 0.1}),
    Slip.PENALTY_GRADIENT_DOUBLED: ({"penalty": "l2", "strength": 0.3}, None),
    Slip.BIASES_PENALIZED: ({"penalty": "l1", "strength": 0.3}, {"penalty": "l1", "strength": 0.3, "biases": True}),
    Slip.BIASES_NOT_PENALIZED: ({"penalty": "l1", "strength": 0.3, "biases": True},
                                {"penalty": "l1", "strength": 0.3}),
}


@pytest.mark.parametrize("slip", SLIP_CASES, ids=lambda slip: slip.name)
@pytest.mark.parametrize("form", ["penalty", "weight_decay"])
def test_each_slip_is_what_a_student_computes_and_is_named(slip, form):
    settings, student = SLIP_CASES[slip]
    settings = settings | {"form": form}
    exercise = parse_exercise(exercise_data(settings), "reg.toml")
    assert slip in kind(exercise.kind).slips(exercise)
    if student is None:  # 2λw: the penalty's gradient with λ doubled, the penalty itself unchanged
        student = settings | {"strength": 2 * settings["strength"]}
    expected = plain_run(student | {"form": form}, "sum", "batch", Rule("sgd", 0.5))
    wrong = solve(exercise, slip=slip)
    np.testing.assert_allclose(wrong["a.W2_new"], expected["a.W2_new"], rtol=1e-12)
    report = check(exercise, parse_answers(tomllib.loads(f'"a.b2_new" = {_digits(expected["a.b2_new"])}\n'
                                                         f'"a.W2_new" = {_digits(expected["a.W2_new"])}\n'),
                                           "mine.toml"))
    verdicts = {v.step_id: v for v in report.verdicts}
    changed = [step_id for step_id in ("a.W2_new", "a.b2_new")
               if not np.allclose(expected[step_id], solve(exercise)[step_id])]
    assert changed and all(slip in verdicts[step_id].slips for step_id in changed)


def test_a_slip_that_cannot_change_a_number_is_not_offered():
    one_sample = parse_exercise(exercise_data({"penalty": "l2", "strength": 0.3, "divide_by_batch": True},
                                              mode="stochastic", samples=[{"input": [1, 0, 0], "target": [1, 0]}]),
                                "reg.toml")
    offered = kind("mlp").slips(one_sample)
    assert Slip.STRENGTH_NOT_DIVIDED not in offered and Slip.PENALTY_GRADIENT_DOUBLED in offered
    l1 = parse_exercise(exercise_data({"penalty": "l1", "strength": 0.3}), "reg.toml")
    assert Slip.PENALTY_GRADIENT_DOUBLED not in kind("mlp").slips(l1)


def _digits(value) -> str:
    array = np.asarray(value, dtype=float)
    rows = ["[" + ", ".join(f'"{v:.10f}"' for v in row) + "]" for row in array.reshape(array.shape[0], -1)]
    return "[" + ", ".join(rows) + "]"


@pytest.mark.parametrize("change, key, message", [
    ({"strength": -0.1}, "training.regularization.strength", "λ ≥ 0"),
    ({"strength": "big"}, "training.regularization.strength", "expected a number"),
    ({"penalty": "l3"}, "training.regularization.penalty", "expected one of 'l2', 'l1', 'none', got 'l3'"),
    ({"penalty": "l2 "}, "training.regularization.penalty", "did you mean 'l2'"),
    ({"strenght": 0.1}, "training.regularization.strenght", "did you mean 'strength'"),
    ({"form": "decay"}, "training.regularization.form", "expected one of 'penalty', 'weight_decay'"),
    ({"divide_by_batch": 1}, "training.regularization.divide_by_batch", "expected true or false"),
    ({"biases": "yes"}, "training.regularization.biases", "expected true or false"),
    ({"strength": None}, "training.regularization.strength", "missing"),
    ({"penalty": None}, "training.regularization.penalty", "missing"),
    ({"form": "weight_decay", "optimizer": {"name": "adam"}}, "training.regularization.form", "use form = \"penalty\""),
    ({"form": "weight_decay", "clipping": {"threshold": 1.0}}, "training.regularization.form", "clipped"),
])
def test_bad_regularisation_is_one_line(change, key, message):
    table = {"penalty": "l2", "strength": 0.1}
    outside = {k: change.pop(k) for k in ("optimizer", "clipping") if k in change}
    table.update(change)
    table = {k: v for k, v in table.items() if v is not None}
    with pytest.raises(ExerciseError) as raised:
        solved(exercise_data(table, **outside))
    text = str(raised.value)
    assert raised.value.key == key and message in text and "\n" not in text, text


def test_a_part_that_switches_to_another_optimiser_under_weight_decay_is_refused_at_its_optimizer():
    data = exercise_data({"penalty": "l2", "strength": 0.1, "form": "weight_decay"})
    data["parts"] = [{"name": "a"}, {"name": "b", "optimizer": {"name": "momentum"}}]
    with pytest.raises(ExerciseError) as raised:
        solved(data)
    assert raised.value.key == "parts[1].optimizer"


def test_the_cli_refuses_a_negative_strength_with_one_line_and_status_2(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "bad.toml"
    path.write_text(
        'title = "bad"\n[network]\ninputs = 1\nweights = 0.1\nbiases = 0\nactivation = "sigmoid"\n'
        '[[network.layers]]\nunits = 1\n[training]\nsamples = [{ input = [1], target = [1] }]\n'
        '[training.regularization]\npenalty = "l2"\nstrength = -0.5\n')
    run = subprocess.run([sys.executable, "-m", "solver", "solve", str(path), "-o", str(tmp_path / "out.md")],
                         capture_output=True, text=True)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and "bad.toml:13: training.regularization.strength" in run.stderr
    assert not (tmp_path / "out.md").exists()


def test_regularisation_keeps_other_settings_apart():
    """Without a table nothing changes: the same steps as before, no penalty ids."""
    data = exercise_data({"penalty": "l2", "strength": 0.1})
    del data["training"]["regularization"]
    plain = solved(data)
    assert not any(step.section == "regularization" for step in plain.steps)
    zero = solved(exercise_data({"penalty": "l2", "strength": 0.0}))
    np.testing.assert_array_equal(zero["a.W1_new"], plain["a.W1_new"])


def test_the_regularisation_table_is_read_from_a_copy():
    data = exercise_data({"penalty": "l2", "strength": 0.1})
    before = copy.deepcopy(data)
    solved(data)
    assert data == before


def test_readme_excerpt_is_from_the_shipped_sheet():
    from pathlib import Path

    root = Path(__file__).parents[3]
    readme = (root / "README.md").read_text()
    start = readme.index("$$\n\\begin{aligned}\nW^{[2]}_{\\mathrm{new}} &= \\left(1 - \\frac{\\eta \\lambda}{M}\\right)")
    excerpt = readme[start: readme.index("\\end{aligned}\n$$", start) + len("\\end{aligned}\n$$")]
    assert excerpt in (root / "output" / "mlp-l2-weight-decay.md").read_text()
