"""Gradient checking (solver/kinds/mlp/gradient_check.py): its numeric side against central
differences written here from seed 004's recipe, its verdict on correct gradients (< 1e-7) and on
a deliberately broken one (through the engine's overrides, as byhand check substitutes a
student's values), the penalty included, and its refusals."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import numpy as np
import pytest

import solver
from solver.check import check, parse_answers
from solver.engine import solve
from solver.errors import ExerciseError
from solver.exercise import parse_exercise
from solver.limits import Limits
from tests.conftest import needs_pdflatex

EXERCISES = Path(__file__).parents[3] / "exercises"


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def seed_001_network():
    """Seed 001's 5-3-2 network: weights 0.1, biases 0, x = (1, 1, 0, 0, 0), t = (1, 0), ½Σ(x − t)²."""
    params = [[np.full((3, 5), 0.1), np.zeros((3, 1))], [np.full((2, 3), 0.1), np.zeros((2, 1))]]
    x, t = np.array([[1.0, 1, 0, 0, 0]]).T, np.array([[1.0, 0]]).T
    return params, x, t


def cost(params, x, t, lam=0.0):
    """J(θ) = ½‖a − t‖² + (λ/2) Σ‖W‖²_F (seed 002's L2, weights only)."""
    a = x
    for W, b in params:
        a = sigmoid(W @ a + b)
    return 0.5 * float(((a - t) ** 2).sum()) + lam / 2 * sum(float((W**2).sum()) for W, _ in params)


def two_sided(params, x, t, lam, eps=1e-7):
    """(J(θ + ε eᵢ) − J(θ − ε eᵢ)) / 2ε for every weight and bias, as seed 004 writes it."""
    result = []
    for l in range(len(params)):
        for which in (0, 1):
            g = np.zeros_like(params[l][which])
            for index in np.ndindex(g.shape):
                values = []
                for sign in (1, -1):
                    changed = [[W.copy(), b.copy()] for W, b in params]
                    changed[l][which][index] += sign * eps
                    values.append(cost(changed, x, t, lam))
                g[index] = (values[0] - values[1]) / (2 * eps)
            result.append(g)
    return result


def data(lam: float | None = None, **part) -> dict:
    exercise = tomllib.loads((EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text())
    exercise["parts"] = [{"name": "a", "gradient_check": True, **part}]
    if lam is not None:
        exercise["training"]["regularization"] = {"penalty": "l2", "strength": lam}
    return exercise


def solved(exercise: dict, limits: Limits = Limits()):
    return solver.solve(parse_exercise(exercise, "check.toml", limits=limits))


@pytest.mark.parametrize("lam", [None, 0.2])
def test_the_numeric_side_is_seed_004s_two_sided_difference(lam):
    solution = solved(data(lam))
    params, x, t = seed_001_network()
    expected = two_sided(params, x, t, lam or 0.0)
    for name, value in zip(("W1", "b1", "W2", "b2"), expected):
        np.testing.assert_allclose(solution[f"a.d{name}_approx"], value, rtol=1e-12, atol=1e-15, err_msg=name)
    shifted = params[0][0].copy()
    shifted[1, 0] += 1e-7
    assert solution["a.J_plus_W1"][1, 0] == pytest.approx(cost([[shifted, params[0][1]], params[1]], x, t, lam or 0),
                                                          rel=1e-15)


@pytest.mark.parametrize("lam", [None, 0.2])
def test_correct_gradients_pass_below_1e_7(lam):
    solution = solved(data(lam))
    for step_id in ("a.rel_diff1", "a.rel_diff2", "a.rel_diff"):
        assert 0 <= float(solution[step_id]) < 1e-7
    for step_id in ("a.passed1", "a.passed2", "a.passed"):
        assert float(solution[step_id]) == 1.0
    params, x, t = seed_001_network()
    a = np.concatenate([g.ravel() for g in two_sided(params, x, t, lam or 0.0)])
    exact = "_reg" if lam else ""
    g = np.concatenate([solution[f"a.d{n}{exact if n.startswith('W') else ''}"].ravel()
                        for n in ("W1", "b1", "W2", "b2")])
    assert float(solution["a.rel_diff"]) == pytest.approx(np.linalg.norm(a - g) / (np.linalg.norm(a)
                                                                                   + np.linalg.norm(g)), rel=1e-6)


def backprop(params, x, t, lam=0.0):
    """∂J/∂W and ∂J/∂b of `cost` for sigmoid layers, written from seed 001's δ rules:
    δ = (a − t) ⊙ a(1 − a) at the output, δ = (Wᵀδ) ⊙ a(1 − a) below; ∂J/∂W = δ aᵀ + λW."""
    activations = [x]
    for W, b in params:
        activations.append(sigmoid(W @ activations[-1] + b))
    delta = (activations[-1] - t) * activations[-1] * (1 - activations[-1])
    gradients = []
    for l in range(len(params) - 1, -1, -1):
        W = params[l][0]
        gradients[:0] = [delta @ activations[l].T + lam * W, delta]
        delta = (W.T @ delta) * activations[l] * (1 - activations[l])
    return gradients


@pytest.mark.parametrize("lam", [None, 0.2])
def test_the_norms_are_steps_and_the_difference_is_their_ratio(lam):
    """‖a − g‖₂, ‖a‖₂ and ‖g‖₂ per layer and over all, against two-sided differences and a
    backprop written here; diff is the first over the sum of the other two."""
    solution = solved(data(lam))
    params, x, t = seed_001_network()
    a = two_sided(params, x, t, lam or 0.0)
    g = backprop(params, x, t, lam or 0.0)
    for suffix, entries in (("1", slice(0, 2)), ("2", slice(2, 4)), ("", slice(0, 4))):
        a_flat = np.concatenate([array.ravel() for array in a[entries]])
        g_flat = np.concatenate([array.ravel() for array in g[entries]])
        assert float(solution[f"a.approx_norm{suffix}"]) == pytest.approx(np.linalg.norm(a_flat), rel=1e-6)
        assert float(solution[f"a.backprop_norm{suffix}"]) == pytest.approx(np.linalg.norm(g_flat), rel=1e-12)
        # a − g is rounding noise of about 1e-10: a here and the engine's agree to 1e-12 of a
        assert float(solution[f"a.diff_norm{suffix}"]) == pytest.approx(np.linalg.norm(a_flat - g_flat), rel=1e-3)
        assert float(solution[f"a.rel_diff{suffix}"]) == pytest.approx(
            float(solution[f"a.diff_norm{suffix}"])
            / (float(solution[f"a.approx_norm{suffix}"]) + float(solution[f"a.backprop_norm{suffix}"])), rel=1e-12)


def test_the_sheet_writes_the_division_out_with_its_numbers():
    sheet = solver.render(solved(data()), "md")
    division = sheet[sheet.index(r"\mathrm{diff}^{[1]} &="):]
    division = division[:division.index(r"\end{aligned}")]
    substituted = division.splitlines()[1]
    assert substituted.startswith(r"&= \frac{") and " + " in substituted and r"\|" not in substituted


def test_the_check_compares_the_regularised_gradient_and_the_penalty_is_in_j():
    """With the penalty left out of the backprop side, the difference is large: the check
    includes the regularisation term (seed 004, point 3)."""
    exercise = parse_exercise(data(0.2), "check.toml")
    truth = solve(exercise)
    unregularised = solve(exercise, overrides={"a.dW1_reg": truth["a.dW1"], "a.dW2_reg": truth["a.dW2"]})
    assert float(unregularised["a.rel_diff"]) > 1e-2 and float(unregularised["a.passed"]) == 0.0


def test_a_broken_gradient_is_flagged_in_its_own_layer():
    exercise = parse_exercise(data(), "check.toml")
    truth = solve(exercise)
    broken = truth["a.dW1"].copy()
    broken[0, 0] *= 1.5  # one entry of layer 1's backprop gradient is wrong
    solution = solve(exercise, overrides={"a.dW1": broken})
    assert float(solution["a.rel_diff1"]) > 1e-2 and float(solution["a.passed1"]) == 0.0
    assert float(solution["a.rel_diff2"]) < 1e-7 and float(solution["a.passed2"]) == 1.0
    assert float(solution["a.passed"]) == 0.0


def test_byhand_check_judges_the_numeric_side():
    exercise = parse_exercise(data(), "check.toml")
    truth = solve(exercise)
    written = {"a": {"dW2_approx": [[f"{v:.6g}" for v in row] for row in truth["a.dW2_approx"]],
                     "db2_approx": [0.5, 0.5]}}
    report = check(exercise, parse_answers(written, "mine.toml"))
    outcomes = {v.step_id: v.outcome for v in report.verdicts}
    assert outcomes == {"a.dW2_approx": "correct", "a.db2_approx": "wrong"}


def test_the_settings_change_epsilon_and_threshold():
    solution = solved(data(gradient_check_epsilon=1e-4, gradient_check_threshold=1e-12))
    params, x, t = seed_001_network()
    np.testing.assert_allclose(solution["a.dW2_approx"], two_sided(params, x, t, 0.0, eps=1e-4)[2], rtol=1e-12)
    assert float(solution["a.passed"]) == 0.0  # 1e-4 is far coarser than a threshold of 1e-12 allows


def test_only_the_first_update_is_checked_and_the_part_still_trains():
    exercise = data(mode="stochastic", epochs=2)
    solution = solved(exercise)
    assert "a.t1.rel_diff" in solution and "a.t2.rel_diff" not in solution and "a.t2.W1_new" in solution


def test_batch_norm_parameters_are_checked_too():
    exercise = tomllib.loads((EXERCISES / "mlp-batch-norm-layer.toml").read_text())
    exercise["parts"] = [{"name": "a", "gradient_check": True}]
    solution = solved(exercise)
    assert float(solution["a.t1.rel_diff"]) < 1e-6
    assert "a.t1.dgamma1_approx" in solution and "a.t1.dbeta1_approx" in solution
    exercise["training"]["regularization"] = {"penalty": "l2", "strength": 0.5, "divide_by_batch": True}
    regularised = solved(exercise)
    assert float(regularised["a.t1.rel_diff"]) < 1e-6 and "a.t1.dgamma1_penalty" not in regularised


@pytest.mark.parametrize("part, key, message", [
    ({"gradient_check_epsilon": 0}, "parts[0].gradient_check_epsilon", "above 0"),
    ({"gradient_check_threshold": -1}, "parts[0].gradient_check_threshold", "above 0"),
    ({"gradient_check_epsilon": "small"}, "parts[0].gradient_check_epsilon", "expected a number"),
    ({"gradient_check": "yes"}, "parts[0].gradient_check", "expected true or false"),
    ({"gradient_check": False, "gradient_check_epsilon": 1e-6}, "parts[0].gradient_check_epsilon",
     "only a part with gradient_check = true"),
    ({"train": False}, "parts[0].train", "does not train"),
    ({"gradient_chek": True}, "parts[0].gradient_chek", "did you mean 'gradient_check'"),
])
def test_bad_gradient_check_settings_are_one_line(part, key, message):
    exercise = data(**part)
    if "gradient_chek" in part:
        del exercise["parts"][0]["gradient_check"]
    with pytest.raises(ExerciseError) as raised:
        solved(exercise)
    text = str(raised.value)
    assert raised.value.key == key and message in text and "\n" not in text, text


def test_a_check_beyond_the_limits_is_refused_before_any_work():
    # 26 parameters: 52 forward passes, each of 5 numbers on one sample
    with pytest.raises(ExerciseError) as raised:
        solved(data(), Limits(steps=51))
    assert raised.value.key == "parts[0].gradient_check" and "52 forward passes" in str(raised.value)
    assert "--max-steps" in str(raised.value)
    with pytest.raises(ExerciseError) as raised:
        solved(data(), Limits(values=259))
    assert "260 numbers" in str(raised.value) and "--max-values" in str(raised.value)
    solved(data(), Limits(steps=52, values=400))  # at the limits it works


def test_gradient_checking_with_dropout_is_refused_with_the_reason():
    # seed 004: "doesn't work with dropout" — the masks make J a different function on every pass
    exercise = data()
    exercise["network"]["layers"][0]["dropout"] = {"keep_prob": 0.5, "masks": [[1, 0, 1]]}
    with pytest.raises(ExerciseError) as raised:
        solved(exercise)
    text = str(raised.value)
    assert raised.value.key == "parts[0].gradient_check" and "\n" not in text
    assert "does not work with dropout" in text and "layer 1" in text


def test_a_layer_whose_true_gradient_is_zero_passes():
    # seed 001 exercise 3 (weights and biases 0.1, softmax and cross-entropy): by symmetry the
    # hidden layers' true gradients are 0, so backprop's rounding noise (~1e-17) against an exact 0
    # would give a relative difference of 1 without the resolution floor
    exercise = tomllib.loads((EXERCISES / "mlp-4-4-3-3-softmax-ce.toml").read_text())
    exercise["parts"][0]["gradient_check"] = True
    solution = solved(exercise)
    assert np.abs(solution["a.t1.dW1_approx"] if "a.t1.dW1_approx" in solution else solution["a.dW1_approx"]).max() < 1e-8
    ids = [i for i in solution.ids if i.rpartition(".")[2].startswith("passed")]
    assert ids and all(float(solution[i]) == 1.0 for i in ids)


def test_gradient_check_under_training_says_it_belongs_to_a_part():
    exercise = data()
    exercise["training"]["gradient_check"] = True
    with pytest.raises(ExerciseError) as raised:
        solved(exercise)
    assert raised.value.key == "training.gradient_check" and "[[parts]]" in str(raised.value)


@needs_pdflatex
def test_latex_of_a_floored_check_and_of_dropout_in_seed_003s_notation_compiles(tmp_path):
    # the gradient check's max(…, ρ√n) denominator, and the dropout sentence written in s, a, W
    floored = tomllib.loads((EXERCISES / "mlp-4-4-3-3-softmax-ce.toml").read_text())
    floored["parts"][0]["gradient_check"] = True
    dropout = tomllib.loads((EXERCISES / "mlp-dropout-inverted-masks.toml").read_text())
    dropout.setdefault("conventions", {})["notation"] = "sa"
    for name, exercise in (("floored", floored), ("dropout", dropout)):
        sheet = solved(exercise).render("tex")
        assert (r"\max\left(" in sheet) if name == "floored" else (r"\tilde{a}" in sheet)
        (tmp_path / f"{name}.tex").write_text(sheet)
        run = subprocess.run(["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error",
                              f"{name}.tex"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stdout[-2000:]


def test_the_count_of_entries_is_set_as_math():
    # n in ρ√n is the number of entries: in the prose after it, it is the same math letter
    sheet = solver.solve(solver.load("mlp-5-3-2-gradient-check")).render("tex")
    assert r"$\rho \sqrt{n}$" in sheet and "($n$ entries)" in sheet and "(n entries)" not in sheet
