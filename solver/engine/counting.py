"""Counting a fully-connected layer: the arithmetic any kind with dense layers shares (the cnn
kind's fc layers; the MLP's layer counts, seed 002's 3-4-2 network).

A dense layer of n_out units over n_in inputs has n_in·n_out weights and n_out biases; seed 002
counts a 3-4-2 network's 3·4 + 4·2 = 20 weights, 4 + 2 = 6 biases and 26 parameters. Each unit
is connected to its n_in inputs and, as one more connection, to its bias (seed 002 and LeCun et
al. 1998 count the bias as a connection), so the connections equal the parameters unless the bias
is not counted as one.

The SymPy formulas are what a kind's engine evaluates and prints; `dense_counts` is the same
arithmetic in plain integers, for a kind that needs the numbers without steps.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from solver.formula import Scalar

N_IN, N_OUT = Scalar("n", positive=True, integer=True), Scalar("m", positive=True, integer=True)


@dataclass(frozen=True)
class DenseCounts:
    """What a fully-connected layer of `units` over `inputs` holds: weights, biases, parameters,
    connections, and its activations (one output value per unit)."""

    inputs: int
    units: int
    weights: int
    biases: int
    parameters: int
    connections: int
    activations: int


def dense_weights(n_in: sp.Expr = N_IN, n_out: sp.Expr = N_OUT) -> sp.Expr:
    """n_in · n_out: one weight from every input to every unit."""
    return sp.Mul(n_in, n_out, evaluate=False)


def dense_biases(n_out: sp.Expr = N_OUT) -> sp.Expr:
    """n_out: one bias per unit."""
    return n_out


def dense_connections(n_in: sp.Expr = N_IN, n_out: sp.Expr = N_OUT, bias_is_connection: bool = True) -> sp.Expr:
    """(n_in + 1) · n_out with the bias counted as a connection, else n_in · n_out."""
    if bias_is_connection:
        return sp.Mul(sp.Add(n_in, 1, evaluate=False), n_out, evaluate=False)
    return dense_weights(n_in, n_out)


def dense_counts(inputs: int, units: int, bias_is_connection: bool = True) -> DenseCounts:
    """The counts of a dense layer of `units` units over `inputs` inputs, as whole numbers."""
    weights, biases = inputs * units, units
    connections = (inputs + 1) * units if bias_is_connection else weights
    return DenseCounts(inputs, units, weights, biases, weights + biases, connections, units)
