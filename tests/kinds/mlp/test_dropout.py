"""Dropout on an MLP layer (solver/kinds/mlp/dropout.py) against a plain-NumPy oracle written here
from the seeds' pseudo-code (seed 004: a ← a ∘ D / keep_prob, dA ← dA ∘ D / keep_prob; seed 003:
r ∈ {0, 1/(1 − δ)}, a ← r ∘ f(s), d ← r ∘ (Wᵀ d) ∘ f′(s)), central differences of the loss with
the masks fixed, the seeded masks re-drawn here with random.Random, and the slips it names.
"""

from __future__ import annotations

import copy
import random
import tomllib

import numpy as np
import pytest

import solver
from solver.check import check, parse_answers
from solver.check.checker import WRONG
from solver.engine import solve
from solver.engine.slips import Slip
from solver.exercise import parse_exercise
from solver.kinds.mlp.slips import network_slips
from tests.conftest import EXERCISES

FUNCTIONS = {"relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float)),
             "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
             "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2)}


def _data() -> dict:
    return tomllib.loads((EXERCISES / "mlp-dropout-inverted-masks.toml").read_text())


def _solve(data: dict, **options):
    return solve(parse_exercise(data, "dropout.toml"), **options)


def _plain(data: dict):
    """[(W, b, f name)] per layer as plain arrays."""
    network = data["network"]
    return [(np.array(layer["weights"], float), np.full((layer["units"], 1), float(network.get("biases", 0.0))),
             layer["activation"]) for layer in network["layers"]]


def _forward(layers, x, masks, keep):
    """Per layer (z, f(z), the activation fed on); `masks[l]` is a 0/1 matrix or None."""
    passes = []
    for (W, b, name), mask in zip(layers, masks):
        z = W @ x + b
        a = FUNCTIONS[name][0](z)
        x = a if mask is None else a * mask / keep
        passes.append((z, a, x))
    return passes


def _gradients(layers, x0, t, masks, keep):
    """δ per layer and (dW, db) per layer, summed over the batch, for E = ½Σ(x − t)²."""
    passes = _forward(layers, x0, masks, keep)
    z, a, _ = passes[-1]
    delta = (a - t) * FUNCTIONS[layers[-1][2]][1](z)
    deltas = [delta]
    for l in range(len(layers) - 2, -1, -1):
        dA = layers[l + 1][0].T @ deltas[0]
        if masks[l] is not None:
            dA = dA * masks[l] / keep
        deltas.insert(0, dA * FUNCTIONS[layers[l][2]][1](passes[l][0]))
    inputs = [x0] + [p[2] for p in passes[:-1]]
    return deltas, [(d @ below.T, d.sum(axis=1, keepdims=True)) for d, below in zip(deltas, inputs)], passes


def _loss(layers, x0, t, masks, keep) -> float:
    return float(0.5 * ((_forward(layers, x0, masks, keep)[-1][1] - t) ** 2).sum())


def _batch(data):
    samples = data["training"]["samples"]
    return (np.array([s["input"] for s in samples], float).T, np.array([s["target"] for s in samples], float).T)


def test_inverted_dropout_forward_backward_and_update_match_plain_numpy():
    data = _data()
    solution = _solve(data)
    layers, (x0, t) = _plain(data), _batch(data)
    masks = [np.array(data["network"]["layers"][0]["dropout"]["masks"], float).T, None]
    deltas, gradients, passes = _gradients(layers, x0, t, masks, 0.8)
    assert np.allclose(solution["a.mask1"], masks[0])
    assert np.allclose(solution["a.x1"], passes[0][1])
    assert np.allclose(solution["a.x1_drop"], passes[0][2])
    assert np.allclose(solution["a.x2"], passes[1][1])
    for l in (1, 2):
        assert np.allclose(solution[f"a.delta{l}"], deltas[l - 1])
        assert np.allclose(solution[f"a.dW{l}"], gradients[l - 1][0])
        assert np.allclose(solution[f"a.db{l}"], gradients[l - 1][1])
        assert np.allclose(solution[f"a.W{l}_new"], layers[l - 1][0] - 0.5 * gradients[l - 1][0])


def test_the_query_uses_every_unit():
    data = _data()
    solution = _solve(data)
    x0, t = _batch(data)
    updated = [(solution[f"a.W{l}_new"], solution[f"a.b{l}_new"], layer[2]) for l, layer in enumerate(_plain(data), 1)]
    output = _forward(updated, np.array([[1.0], [0.0], [1.0]]), [None, None], 1.0)[-1][1]
    assert np.allclose(solution["b.q1.x2"], output)
    assert not any(step.id.startswith("b.") and "mask" in step.id for step in solution.steps)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_gradients_are_central_differences_of_the_loss_with_the_masks_fixed(activation):
    data = _data()
    data["network"]["layers"][0]["activation"] = activation
    solution = _solve(data)
    layers, (x0, t) = _plain(data), _batch(data)
    masks = [np.array(data["network"]["layers"][0]["dropout"]["masks"], float).T, None]
    h = 1e-6
    for l in range(2):
        for k, name in ((0, "dW"), (1, "db")):
            numeric = np.zeros_like(layers[l][k])
            for position in np.ndindex(numeric.shape):
                shifted = [copy.deepcopy(layers), copy.deepcopy(layers)]
                shifted[0][l][k][position] += h
                shifted[1][l][k][position] -= h
                numeric[position] = (_loss(shifted[0], x0, t, masks, 0.8) - _loss(shifted[1], x0, t, masks, 0.8)) / (2 * h)
            assert np.allclose(solution[f"a.{name}{l + 1}"], numeric, rtol=1e-6, atol=1e-9), (name, l)


def test_seed_003s_scaled_mask_form_gives_the_same_numbers_with_r_in_0_and_1_over_1_minus_delta():
    data = _data()
    inverted = _solve(data)
    dropout = data["network"]["layers"][0]["dropout"]
    data["network"]["layers"][0]["dropout"] = {"drop_ratio": 0.2, "form": "scaled_mask", "masks": dropout["masks"]}
    scaled = _solve(data)
    r = scaled["a.r1"]
    assert set(np.unique(r)) == {0.0, 1 / (1 - 0.2)}
    assert np.allclose(r, np.array(dropout["masks"], float).T / 0.8)
    assert np.allclose(scaled["a.x1_drop"], r * scaled["a.x1"])
    assert np.allclose(scaled["a.delta1"], r * (scaled["a.W2"].T @ scaled["a.delta2"]) * (scaled["a.z1"] > 0))
    for step in ("a.x1_drop", "a.delta1", "a.dW1", "a.dW2", "a.W1_new", "a.b2_new"):
        assert np.allclose(scaled[step], inverted[step])


def _seeded_masks(seed, keep, units, presentations):
    """Seed 004's rand < keep_prob with Python's generator, sample by sample, unit by unit."""
    draw = random.Random(seed)
    return np.array([[1.0 if draw.random() < keep else 0.0 for _ in range(units)] for _ in range(presentations)]).T


@pytest.mark.parametrize("mode,extra", [
    ("stochastic", {}),
    ("minibatch", {"batch_size": 2, "epochs": 2, "optimizer": {"name": "adam", "learning_rate": 0.05}}),
    ("batch", {"epochs": 2, "optimizer": {"name": "momentum", "momentum": 0.9}}),
    ("minibatch", {"batch_size": 2, "optimizer": {"name": "nesterov", "momentum": 0.5}}),
    ("stochastic", {"epochs": 2, "optimizer": {"name": "rmsprop", "learning_rate": 0.01}}),
    ("batch", {"optimizer": {"name": "adagrad", "learning_rate": 0.1}}),
])
def test_seeded_masks_in_every_mode_and_optimiser_give_the_plain_gradient_of_each_update(mode, extra):
    data = _data()
    data["training"]["samples"].append({"input": [0.2, -0.4, 0.9], "target": [1, 0]})
    data["network"]["layers"][0]["dropout"] = {"keep_prob": 0.6, "seed": 5}
    data["training"].update(mode=mode, **extra)
    data["parts"] = [{"name": "a", "validation": [{"input": [1.0, 0.0, 1.0], "target": [0, 1]}]}]
    solution = _solve(data)
    part = solution.exercise.parts[0]
    samples = [(np.array(s["input"], float).reshape(-1, 1), np.array(s["target"], float).reshape(-1, 1))
               for s in data["training"]["samples"]]
    masks = _seeded_masks(5, 0.6, 4, part.epochs * len(samples))
    size = {"stochastic": 1, "batch": len(samples), "minibatch": 2}[mode]
    order = [i for _ in range(part.epochs) for i in range(len(samples))]
    batches = [order[k:min(k + size, (epoch + 1) * len(samples))] for epoch in range(part.epochs)
               for k in range(epoch * len(samples), (epoch + 1) * len(samples), size)]
    presented, ids = 0, {step.id for step in solution.steps}
    for t, batch in enumerate(batches, 1):
        group = "" if len(batches) == 1 else f"s{t}" if mode == "stochastic" and part.epochs == 1 else f"t{t}"
        pre = f"a.{group}." if group else "a."
        at = "_ahead" if f"{pre}W1_ahead" in ids else ""  # Nesterov's gradient is at the look-ahead point
        layers = [(solution[f"{pre}W{l}{at}"], solution[f"{pre}b{l}{at}"], name)
                  for l, name in ((1, "relu"), (2, "sigmoid"))]
        x0 = np.hstack([samples[i][0] for i in batch])
        target = np.hstack([samples[i][1] for i in batch])
        mask = masks[:, presented:presented + len(batch)]
        presented += len(batch)
        assert np.array_equal(solution[f"{pre}mask1"], mask)
        deltas, gradients, _ = _gradients(layers, x0, target, [mask, None], 0.6)
        for l in (1, 2):
            assert np.allclose(solution[f"{pre}dW{l}"], gradients[l - 1][0])
            assert np.allclose(solution[f"{pre}db{l}"], gradients[l - 1][1])
    if part.epochs > 1:  # the losses after an epoch use every unit
        final = [(solution[f"a.t{len(batches)}.W{l}_new"], solution[f"a.t{len(batches)}.b{l}_new"], name)
                 for l, name in ((1, "relu"), (2, "sigmoid"))]
        x_all = np.hstack([s[0] for s in samples])
        t_all = np.hstack([s[1] for s in samples])
        assert np.isclose(solution[f"a.e{part.epochs}.E_train"], _loss(final, x_all, t_all, [None, None], 1.0))
        assert np.isclose(solution[f"a.e{part.epochs}.E_val"],
                          _loss(final, np.array([[1.0], [0.0], [1.0]]), np.array([[0.0], [1.0]]), [None, None], 1.0))


def test_one_given_mask_serves_every_sample():
    data = _data()
    data["network"]["layers"][0]["dropout"]["masks"] = [1, 0, 1, 1]
    solution = _solve(data)
    assert np.array_equal(solution["a.mask1"], np.array([[1, 1], [0, 0], [1, 1], [1, 1]], float))


def _checked(data, text):
    return check(parse_exercise(data, "dropout.toml"), parse_answers(tomllib.loads(text)))


def _digits(value):
    return "[" + ", ".join("[" + ", ".join(f'"{v:.7e}"' for v in row) + "]" for row in value) + "]"


@pytest.mark.parametrize("form", ["inverted", "scaled_mask"])
def test_a_delta_with_the_mask_forgotten_is_named(form):
    data = _data()
    data["network"]["layers"][0]["dropout"]["form"] = form
    truth = _solve(data)
    keep = 0.8 if form == "inverted" else 1.0  # seed 003's r carries the scaling: forgetting r forgets both
    wrong = (truth["a.W2"].T @ truth["a.delta2"]) / keep * (truth["a.z1"] > 0)
    (verdict,) = _checked(data, f'"a.delta1" = {_digits(wrong)}\n').verdicts
    assert verdict.outcome == WRONG and Slip.DROPOUT_MASK_FORGOTTEN in verdict.slips


def test_the_scaling_forgotten_is_named_forward_and_backward():
    data = _data()
    truth = _solve(data)
    mask = truth["a.mask1"]
    (verdict,) = _checked(data, f'"a.x1_drop" = {_digits(mask * truth["a.x1"])}\n').verdicts
    assert verdict.outcome == WRONG and verdict.slips[0] is Slip.DROPOUT_SCALING_FORGOTTEN
    # forgotten everywhere, it is dropout with p_keep = 1 and the same mask: δ² changes too
    deltas = _gradients(_plain(data), *_batch(data), [mask, None], 1.0)[0]
    (verdict,) = _checked(data, f'"a.delta1" = {_digits(deltas[0])}\n').verdicts
    assert verdict.outcome == WRONG and Slip.DROPOUT_SCALING_FORGOTTEN in verdict.slips


@pytest.mark.parametrize("form", ["inverted", "scaled_mask"])
def test_the_scaling_forgotten_in_the_backward_pass_only_is_named(form):
    # seed 004 writes the backward scaling as its own line (dA1 = dA1 / keep_prob): forgetting it
    # leaves the forward pass right and δ¹ = (W²ᵀ δ²) ∘ D ∘ f′(z¹), here from the true δ²
    data = _data()
    data["network"]["layers"][0]["dropout"]["form"] = form
    truth = _solve(data)
    wrong = (truth["a.W2"].T @ truth["a.delta2"]) * truth["a.mask1"] * (truth["a.z1"] > 0)
    (verdict,) = _checked(data, f'"a.delta1" = {_digits(wrong)}\n').verdicts
    assert verdict.outcome == WRONG and Slip.DROPOUT_BACKWARD_SCALING_FORGOTTEN in verdict.slips


def test_dropout_slips_are_offered_only_where_they_change_a_number():
    data = _data()
    offered = network_slips(parse_exercise(data, "d.toml"))
    assert Slip.DROPOUT_MASK_FORGOTTEN in offered and Slip.DROPOUT_SCALING_FORGOTTEN in offered
    data["network"]["layers"][0]["dropout"] = {"keep_prob": 1.0, "masks": [1, 1, 1, 1]}
    offered = network_slips(parse_exercise(data, "d.toml"))
    assert Slip.DROPOUT_MASK_FORGOTTEN not in offered and Slip.DROPOUT_SCALING_FORGOTTEN not in offered
    assert not {Slip.DROPOUT_MASK_FORGOTTEN, Slip.DROPOUT_SCALING_FORGOTTEN} & set(network_slips(solver.load("mlp-5-3-2-sigmoid")))
