"""Fuzzing the dropout and initialization tables of a layer (and [network]'s initialization):
whatever they hold, the result is a solution or a clean SolverError, never another exception."""

import tomllib

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import EXERCISES
from tests.hostile import FUZZ
from tests.hostile.test_fuzz import numbers, run_pipeline, toml_values

DROPOUT = tomllib.loads((EXERCISES / "mlp-dropout-inverted-masks.toml").read_text())
INIT = tomllib.loads((EXERCISES / "mlp-4-3-2-he-xavier-init.toml").read_text())

bits = st.sampled_from([0, 1, 0.0, 1.0, 2, -1, 0.5, True])
masks = st.one_of(st.lists(bits, max_size=6), st.lists(st.lists(bits, max_size=6), max_size=7), toml_values)
dropout_tables = st.dictionaries(
    st.sampled_from(["keep_prob", "drop_ratio", "form", "masks", "seed", "other"]),
    st.one_of(numbers, masks, st.sampled_from(["inverted", "scaled_mask", "inverse", ""]), st.integers(-5, 2**33)),
    max_size=5)
init_tables = st.dictionaries(
    st.sampled_from(["scheme", "distribution", "seed", "value", "low", "high", "mean", "std", "other"]),
    st.one_of(numbers, st.sampled_from(["zeros", "constant", "uniform", "normal", "xavier", "glorot", "he", "tanh",
                                        "kaiming", "gaussian"]), st.integers(-5, 2**33), toml_values),
    max_size=5)


@FUZZ
@given(dropout_tables, st.sampled_from(["stochastic", "batch", "minibatch"]), st.integers(1, 3))
def test_random_dropout_tables(table, mode, epochs):
    import copy

    document = copy.deepcopy(DROPOUT)
    document["network"]["layers"][0]["dropout"] = table
    document["training"].update(mode=mode, batch_size=1, epochs=epochs)
    run_pipeline(document)


@FUZZ
@given(init_tables, init_tables, st.booleans())
def test_random_initialization_tables(layer_table, network_table, on_network):
    import copy

    document = copy.deepcopy(INIT)
    document["network"]["layers"][0]["initialization"] = layer_table
    if on_network:
        del document["network"]["layers"][1]["initialization"]
        document["network"]["initialization"] = network_table
    run_pipeline(document)
