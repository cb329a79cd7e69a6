"""The shipped exercises reproduce every number seed 001 prints, to the digits it prints.

The expected strings are copied from the seed (../shared/seeds/001_515ec06346dde2f6.txt) and were
each reproduced independently before being trusted; where the seed slips (a 2×2 zero matrix for
a 3×2 delta, three ones for a two-sample batch) the test states the true shape.
"""

import numpy as np
import pytest

import solver
from tests.conftest import EXERCISES, assert_printed


@pytest.fixture(scope="module")
def sigmoid():
    return solver.solve(solver.load_exercise(EXERCISES / "mlp-5-3-2-sigmoid.toml"))


@pytest.fixture(scope="module")
def tanh():
    return solver.solve(solver.load_exercise(EXERCISES / "mlp-4-4-3-3-tanh.toml"))


@pytest.fixture(scope="module")
def softmax():
    return solver.solve(solver.load_exercise(EXERCISES / "mlp-4-4-3-3-softmax-ce.toml"))


def rows(*values, width):
    return [[v] * width for v in values]


SIGMOID = {
    "a.z1": [["0.2"]] * 3,
    "a.x1": [["0.549834"]] * 3,
    "a.z2": [["0.16495"]] * 2,
    "a.x2": [["0.541144"]] * 2,
    "a.delta2": [["-0.113937"], ["0.13437"]],
    "a.delta1": [["0.00050575"]] * 3,
    "a.dW2": rows("-0.0626465", "0.0738812", width=3),
    "a.db2": [["-0.113937"], ["0.13437"]],
    "a.dW1": [["0.00050575", "0.00050575", "0", "0", "0"]] * 3,
    "a.db1": [["0.00050575"]] * 3,
    "a.W2_new": rows("0.162647", "0.0261188", width=3),
    "a.b2_new": [["0.113937"], ["-0.13437"]],
    "a.W1_new": [["0.0994943", "0.0994943", "0.1", "0.1", "0.1"]] * 3,
    "a.b1_new": [["-0.00050575"]] * 3,
    "b.q1.z1": [["0.198989"]] * 3,
    "b.q1.x1": [["0.549584"]] * 3,
    "b.q1.z2": [["0.382101"], ["-0.0913066"]],
    "b.q1.x2": [["0.59438"], ["0.477189"]],
}

TANH_BATCH = {
    "b.z1": [["0.3", "1.1"]] * 4,
    "b.x1": [["0.291313", "0.800499"]] * 4,
    "b.z2": [["0.216525", "0.4202"]] * 3,
    "b.x2": [["0.213204", "0.397099"]] * 3,
    "b.z3": [["0.163961", "0.21913"]] * 3,
    "b.x3": [["0.162507", "0.215688"]] * 3,
    "b.delta3": [["0.158216", "0.205654"], ["-0.815376", "0.205654"], ["0.158216", "-0.747824"]],
    "b.delta2": [["-0.0476264", "-0.0283452"]] * 3,
    "b.delta1": [["-0.0130754", "-0.00305449"]] * 4,
    "b.dW3": rows("0.115397", "-0.092176", "-0.263228", width=3),
    "b.db3": [["0.36387"], ["-0.609721"], ["-0.589609"]],
    "b.dW2": [["-0.0365645"] * 4] * 3,
    "b.db2": [["-0.0759716"]] * 3,
    "b.dW1": [["-0.0130754", "0", "-0.0436203", "0"]] * 4,
    "b.db1": [["-0.0161299"]] * 4,
    "b.W3_new": rows("0.0884603", "0.109218", "0.126323", width=3),
    "b.b3_new": [["0.063613"], ["0.160972"], ["0.158961"]],
    "b.W2_new": [["0.103656"] * 4] * 3,
    "b.b2_new": [["0.107597"]] * 3,
    "b.W1_new": [["0.101308", "0.1", "0.104362", "0.1"]] * 4,
    "b.b1_new": [["0.101613"]] * 4,
}

SOFTMAX = {
    "a.x3": [["0.333333", "0.333333"]] * 3,
    "a.delta3": [["0.333333", "0.333333"], ["-0.666667", "0.333333"], ["0.333333", "-0.666667"]],
    "a.delta2": [["0", "0"]] * 3,
    "a.delta1": [["0", "0"]] * 4,
    "a.dW3": rows("0.203434", "-0.0097695", "-0.193665", width=3),
    "a.db3": [["0.666667"], ["-0.333333"], ["-0.333333"]],
    "a.W3_new": rows("0.0796566", "0.100977", "0.119366", width=3),
    "a.b3_new": [["0.0333333"], ["0.133333"], ["0.133333"]],
}


@pytest.mark.parametrize("step_id", SIGMOID)
def test_sigmoid_exercise_reproduces_seed(sigmoid, step_id):
    assert_printed(sigmoid[step_id], SIGMOID[step_id])


def test_sigmoid_query_is_class_one(sigmoid):
    assert sigmoid["b.q1.class"] == 1


@pytest.mark.parametrize("step_id", TANH_BATCH)
def test_tanh_batch_reproduces_seed(tanh, step_id):
    assert_printed(tanh[step_id], TANH_BATCH[step_id])


def test_tanh_sgd_step_is_the_first_batch_column(tanh):
    # seed: "the forward pass is the exact same as before" — part (a) is column 1 of part (b)
    for quantity in ("z1", "x1", "z2", "x2", "z3", "x3", "delta3", "delta2", "delta1"):
        np.testing.assert_allclose(tanh[f"a.{quantity}"][:, 0], tanh[f"b.{quantity}"][:, 0], rtol=1e-12)


def test_tanh_batch_starts_from_initial_weights(tanh):
    np.testing.assert_array_equal(tanh["b.W1"], np.full((4, 4), 0.1))


@pytest.mark.parametrize("step_id", SOFTMAX)
def test_softmax_exercise_reproduces_seed(softmax, step_id):
    assert_printed(softmax[step_id], SOFTMAX[step_id])


def test_softmax_leaves_hidden_layers_unchanged(softmax):
    # delta[2] = delta[1] = 0, so W[1], W[2] do not move (up to floating-point noise)
    np.testing.assert_allclose(softmax["a.W2_new"], softmax["a.W2"], atol=1e-15)
    np.testing.assert_allclose(softmax["a.W1_new"], softmax["a.W1"], atol=1e-15)
