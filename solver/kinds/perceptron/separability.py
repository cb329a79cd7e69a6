"""Whether two classes of points can be split by a hyperplane, decided exactly (Python's Fraction,
a small simplex), with a reason either way.

Separable: weights w₀, w₁ … wₙ with w₀ + w·x > 0 on every sample of the high class and ≤ 0 on
every sample of the low class exist exactly when, after scaling, w₀ + w·x ≥ 1 and ≤ −1 can hold
(the samples are finitely many), a linear programme; its solution is the witness.

Not separable: then (Farkas' lemma) some point c is a convex combination of high samples and also
of low samples, c = Σ λᵢ xᵢ (high) = Σ μⱼ xⱼ (low), λ, μ ≥ 0, Σ λ = Σ μ = 1. Summing the
inequalities of the high samples with the weights λ gives w₀ + w·c > 0, summing those of the low
samples with μ gives w₀ + w·c ≤ 0: no weights satisfy both. For XOR, c = (½, ½) =
½(0, 1) + ½(1, 0) = ½(0, 0) + ½(1, 1).

(SymPy 1.14's simplex returns points that break its own constraints on these programmes, so the
phase-one simplex is written out here, with Bland's rule so that it always ends.)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cache

import numpy as np


@dataclass(frozen=True)
class Separability:
    """When not `separable`, `combination`: one exact weight per sample (λ on the high ones, μ on
    the low ones, most of them 0) and `point`, the point c both combinations give."""

    separable: bool
    combination: tuple[Fraction, ...] = ()
    point: tuple[Fraction, ...] = ()


def exact(value: float) -> Fraction:
    """A number of the file as the decimal it was written as: 0.1 is 1/10, not 0.1000000000000000055…"""
    return Fraction(repr(float(value)))


def separability(x: np.ndarray, high: np.ndarray) -> Separability:
    """Whether the samples (columns of `x`) with `high` True can be split from the others."""
    columns = tuple(tuple(exact(v) for v in column) for column in np.asarray(x, dtype=float).T)
    return _decide(columns, tuple(bool(h) for h in np.ravel(high)))


@cache
def _decide(columns: tuple[tuple[Fraction, ...], ...], high: tuple[bool, ...]) -> Separability:
    # first the common point, a programme of n + 2 rows: Σ_high λ = 1, Σ_low μ = 1,
    # Σ_high λ x − Σ_low μ x = 0, all ≥ 0
    features = len(columns[0])
    rows = [[Fraction(int(h)) for h in high], [Fraction(int(not h)) for h in high]]
    rows += [[column[j] if h else -column[j] for h, column in zip(high, columns)] for j in range(features)]
    weights = feasible_point(rows, [Fraction(1), Fraction(1)] + [Fraction(0)] * features)
    if weights is not None:
        point = tuple(sum((w * column[j] for w, column, h in zip(weights, columns, high) if h), Fraction(0))
                      for j in range(features))
        return Separability(False, combination=tuple(weights), point=point)
    return Separability(True)


def separating_weights(x: np.ndarray, high: np.ndarray) -> tuple[Fraction, ...]:
    """Exact weights (bias first) that separate the samples of a separable set (the larger
    programme, asked for only when the rule did not find weights of its own in time)."""
    columns = tuple(tuple(exact(v) for v in column) for column in np.asarray(x, dtype=float).T)
    return _witness(columns, tuple(bool(h) for h in np.ravel(high)))


@cache
def _witness(columns: tuple[tuple[Fraction, ...], ...], high: tuple[bool, ...]) -> tuple[Fraction, ...]:
    # one row per sample: sᵢ (w₀ + w·xᵢ) − slackᵢ = 1 with w = u − v and u, v, slack ≥ 0
    features = len(columns[0])
    augmented = [(Fraction(1), *column) for column in columns]
    rows = [[s * a for a in row] + [-s * a for a in row] + [Fraction(-int(k == i)) for k in range(len(columns))]
            for i, (row, s) in enumerate(zip(augmented, (1 if h else -1 for h in high)))]
    found = feasible_point(rows, [Fraction(1)] * len(columns))
    if found is None:  # Farkas' lemma: one of the two programmes is feasible
        raise ArithmeticError("the samples are separable, yet no separating weights were found")
    size = features + 1
    return tuple(found[j] - found[size + j] for j in range(size))


def feasible_point(rows: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """A z ≥ 0 with `rows` · z = `rhs`, exactly, or None when there is none (phase one of the
    simplex method: minimise the sum of one artificial variable per row, Bland's rule)."""
    m, n = len(rows), len(rows[0])
    table = []
    for i, (row, r) in enumerate(zip(rows, rhs)):
        sign = -1 if r < 0 else 1
        table.append([sign * a for a in row] + [Fraction(int(k == i)) for k in range(m)] + [sign * r])
    cost = [-sum((table[i][j] for i in range(m)), Fraction(0)) for j in range(n)] + [Fraction(0)] * m
    cost.append(-sum((table[i][-1] for i in range(m)), Fraction(0)))
    basis = [n + i for i in range(m)]
    while True:
        entering = next((j for j in range(n + m) if cost[j] < 0), None)
        if entering is None:
            break
        candidates = [i for i in range(m) if table[i][entering] > 0]
        leaving = min(candidates, key=lambda i: (table[i][-1] / table[i][entering], basis[i]))
        _pivot(table, cost, leaving, entering)
        basis[leaving] = entering
    if cost[-1] != 0:
        return None
    point = [Fraction(0)] * n
    for i, j in enumerate(basis):
        if j < n:
            point[j] = table[i][-1]
    return point


def _pivot(table: list[list[Fraction]], cost: list[Fraction], row: int, column: int) -> None:
    pivot = table[row][column]
    table[row] = [a / pivot for a in table[row]]
    for other in (*table, cost):
        if other is not table[row] and other[column] != 0:
            factor = other[column]
            other[:] = [a - factor * b for a, b in zip(other, table[row])]
