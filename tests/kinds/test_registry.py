"""The registry of kinds: each kind is found by its name and says what it reads and which slips
its engine can make."""

import pytest

import solver

from solver.engine.slips import Slip
from solver.kinds import KINDS, Kind, kind


def test_every_registered_kind_is_found_by_its_name():
    assert list(KINDS) == ["mlp", "optimizer", "graph", "batchnorm", "perceptron", "knn", "cnn", "least_squares",
                           "mle"]
    for name in KINDS:
        assert isinstance(kind(name), Kind) and kind(name).name == name


def test_an_unknown_kind_is_not_found():
    assert "foo" not in KINDS
    with pytest.raises(KeyError):
        kind("foo")


def test_mlp_can_make_every_slip():
    assert set(kind("mlp").slips(solver.load("mlp-4-4-3-3-tanh"))) >= {Slip.TANH_DERIVATIVE_UNSQUARED, Slip.GRADIENT_ADDED}


def test_mlp_reads_its_own_tables():
    assert kind("mlp").keys == {"network", "training", "conventions", "parts"}
