"""Counting a fully-connected layer (solver/engine/counting.py), for any kind: against seed 002's
3-4-2 network and SymPy's own evaluation of the formulas the engines print."""

from __future__ import annotations

import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from solver.engine.counting import N_IN, N_OUT, dense_biases, dense_connections, dense_counts, dense_weights
from tests.hostile import FUZZ


def test_seed_002_counts_a_3_4_2_network():
    # seed 002: WEIGHTS = 3 × 4 + 4 × 2 = 20, BIASES = 4 + 2 = 6, PARAMETERS = 20 + 6 = 26
    layers = [dense_counts(3, 4), dense_counts(4, 2)]
    assert sum(c.weights for c in layers) == 20 and sum(c.biases for c in layers) == 6
    assert sum(c.parameters for c in layers) == 26 and sum(c.activations for c in layers) == 6


@FUZZ
@given(st.integers(1, 10**6), st.integers(1, 2000), st.booleans())
def test_the_formulas_and_the_whole_numbers_agree(n_in, n_out, bias):
    counts = dense_counts(n_in, n_out, bias)
    values = {N_IN: n_in, N_OUT: n_out}
    assert dense_weights().subs(values) == counts.weights == sum(n_in for _unit in range(n_out))
    assert dense_biases().subs(values) == counts.biases == n_out
    assert dense_connections(bias_is_connection=bias).subs(values) == counts.connections
    assert counts.connections == (counts.parameters if bias else counts.weights)


def test_the_formulas_print_as_a_sheet_writes_them():
    assert sp.latex(dense_connections()) in (r"\left(n + 1\right) m", r"m \left(n + 1\right)")
