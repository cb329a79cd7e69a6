"""What a batch-norm sheet says around the steps: the batch, γ, β, ε, where ∂L/∂y comes from, and
the conventions (biased variance, ε inside the root). Math between $…$, numbers written by
solver/render/format.py."""

from __future__ import annotations

import numpy as np

from solver.conventions import Conventions
from solver.exercise import Exercise
from solver.kinds.batchnorm.reader import Batch, Part
from solver.render.format import NumberFormat, matrix, number

SETUP_HEADING = "The batch"
LOSS_FACTS = {"half_sse": r"$L = \frac{1}{2} \sum_{i,j} (y_{ij} - t_{ij})^2$",
              "sse": r"$L = \sum_{i,j} (y_{ij} - t_{ij})^2$"}


def batch_facts(exercise: Exercise, style: NumberFormat) -> tuple[str, ...]:
    batch: Batch = exercise.setup
    m, n = batch.samples, batch.features
    return (f"A batch of $m = {m}$ samples of $n = {n}$ feature{'s' if n > 1 else ''}; $x$ holds one column "
            f"per sample ({n}×{m}), and $\\mu$, $\\sigma^{{2}}$, $\\gamma$, $\\beta$ are columns of {n}, one "
            "entry per feature.",
            f"Scale $\\gamma = {_per_feature(batch.gamma, style)}$, shift $\\beta = {_per_feature(batch.beta, style)}$, "
            f"$\\epsilon = {number(batch.epsilon, style)}$.")


def convention_facts(conventions: Conventions) -> tuple[str, ...]:
    return (r"The variance is the biased one, $\sigma^{2} = \frac{1}{m} \sum_j (x_j - \mu)^2$ (seeds 002 and 004), "
            r"and $\epsilon$ is added inside the root, $\sqrt{\sigma^{2} + \epsilon}$.",
            r"A sum over the samples is a product with $\mathbf{1}$, a column of $m$ ones; a column such as "
            r"$\mu$ is taken from every column (sample) of $x$.",
            r"Products, quotients and powers of vectors and matrices are entry by entry ($\circ$); the square root too.")


def part_facts(exercise: Exercise, part: Part, style: NumberFormat) -> tuple[str, ...]:
    upstream = part.upstream
    if upstream.gradient is not None:
        source = r"The upstream gradient $\frac{\partial L}{\partial y}$ is given, one column per sample."
    else:
        source = (f"The loss is {LOSS_FACTS[upstream.loss]} with the given targets $t$; "
                  r"$\frac{\partial L}{\partial y}$ is its derivative, by SymPy.")
    return (source,
            r"The backward pass goes in stages through $\hat{x}$, $\sigma^{2}$ and $\mu$ (seed 002); then "
            r"$\frac{\partial L}{\partial x}$ again in one closed form (seed 004), with "
            r"$\sum_j \frac{\partial L}{\partial y_j} = \frac{\partial L}{\partial \beta}$ and "
            r"$\sum_j \frac{\partial L}{\partial y_j} \circ \hat{x}_j = \frac{\partial L}{\partial \gamma}$. "
            "The two are the same function of the batch, so they agree to every digit shown.")


def derived_blocks(exercise: Exercise, part: Part) -> tuple:
    return ()


def _per_feature(value: np.ndarray, style: NumberFormat) -> str:
    """One number when every feature has the same, else the column."""
    if np.all(value == value.flat[0]):
        return number(float(value.flat[0]), style)
    return matrix(value, style)
