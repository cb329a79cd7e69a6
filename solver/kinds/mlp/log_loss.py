"""What a loss that takes a log of the output (cross-entropy) needs: outputs where its log is
defined, and, with probability_clip, the output clipped to [ε, 1 − ε] before the log. Where the
clip moves an output the clipped loss is flat, so its gradient there is 0 (backprop.py's δ)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from solver.conventions import atom
from solver.engine.scope import Scope, Tracked
from solver.errors import NumericError
from solver.formula import Formula, Ref

if TYPE_CHECKING:  # the reader imports the gradient check, which imports this module
    from solver.kinds.mlp.reader import Part


def for_loss(part: Part, output: np.ndarray) -> np.ndarray:
    """The output as the loss sees it: clipped to [ε, 1 − ε] when the loss takes a log and the
    exercise sets probability_clip."""
    epsilon = part.log_clip
    return output if epsilon is None else np.clip(output, epsilon, 1 - epsilon)


LOG_DOMAINS = {"binary_cross_entropy": (0.0, 1.0, "log x and log(1 − x), which need outputs from 0 to 1"),
               "cross_entropy": (0.0, np.inf, "log x, which needs outputs of 0 or more")}
"""Where a named log loss is defined: cross-entropy takes any positive output (seed 001 feeds it
exp(…) > 1); binary cross-entropy's log(1 − x) needs x ≤ 1 too."""


def require_probabilities(scope: Scope, output: np.ndarray) -> None:
    """NumericError at E when an output lies outside the domain of the part's named log loss (an
    identity or ReLU output layer can give 1.5 or −0.3), said as such and not as a log of 0."""
    part = scope.part
    if part.loss not in LOG_DOMAINS or not scope.recorder.require_finite:
        return
    low, high, needs = LOG_DOMAINS[part.loss]
    outside = (output < low) | (output > high)
    if outside.any():
        raise NumericError(f"an output of {output[outside].flat[0]:g} is outside what {part.loss} takes: {needs} "
                           "(a sigmoid or softmax output layer gives such outputs)",
                           file=scope.recorder.source, key=scope.id_of("E"))


def clipped_output(scope: Scope, x: Tracked, L: int) -> Tracked | None:
    """The step x̂ = clip(x, ε, 1 − ε) that the loss is worked on, when the clip moves an output;
    else None (the sheet then works on x itself)."""
    if flat_under_clip(scope.part, x.value) is None:
        return None
    n = scope.notation
    return scope.record(f"x{L}_clipped", "loss", "clipped output", n.layered(rf"\hat{{{atom(n.activation)}}}", L),
                        for_loss(scope.part, x.value),
                        Formula((r"\operatorname{clip}\left(", Ref(x.id), r",\ \varepsilon,\ 1 - \varepsilon\right)")))


def flat_under_clip(part: Part, output: np.ndarray) -> np.ndarray | None:
    """Where probability_clip moves the output (below ε or above 1 − ε), as a boolean array of the
    output's shape; None when it moves none. There the clipped loss does not change with the
    output, so its gradient is 0, as the gradient check's differences of the clipped loss find."""
    epsilon = part.log_clip
    if epsilon is None:
        return None
    moved = (output < epsilon) | (output > 1 - epsilon)
    return moved if moved.any() else None
