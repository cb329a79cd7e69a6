"""Dropout on a hidden layer of an MLP, in training only (queries and the losses after an epoch
use every unit), with the masks an exercise states or drawn from a seed.

Two forms, a layer's `form` (README "Dropout"):
- "inverted" (seeds 002, 004): a 0/1 mask D, x̃ = (D ∘ x) / p_keep forward, and backward
  δ = (Wᵀ δ_above) ∘ (D / p_keep) ∘ f′(z) (seed 004's dA ← dA ∘ D / keep_prob).
- "scaled_mask" (seed 003, drop ratio δ_drop = 1 − p_keep): r = D / (1 − δ_drop), so r ∈ {0, 1/(1 − δ_drop)},
  x̃ = r ∘ f(s) and d = r ∘ (Wᵀ d_above) ∘ f′(s). The net input s is W a + b for every unit: seed 003's
  scalar Algorithm 16 computes it so for a kept unit; its matrix form's s ← r ∘ (W a) would also scale
  the kept units' net input, which its own backward pass (Algorithm 19) does not differentiate.
Both forms give the same numbers; they differ in how the sheet writes them.

A seeded mask keeps a unit when random.Random(seed).random() < p_keep (seed 004's
np.random.rand(...) < keep_prob), drawn sample by sample, unit by unit; each training part draws
afresh from the seed. Step ids: ``mask1`` (D, given), ``r1`` (scaled_mask form), ``x1_drop`` (x̃).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import numpy as np

from solver.arrays import read_only
from solver.engine.scope import Scope, Tracked
from solver.engine.slips import Slip
from solver.fields import FieldReader, describe, join
from solver.formula import Constant, Formula, Ref

FORMS = ("inverted", "scaled_mask")
KEYS = {"keep_prob", "drop_ratio", "form", "masks", "seed"}


@dataclass(frozen=True)
class Dropout:
    """A layer's dropout: p_keep, the form, and either the given 0/1 masks (units × count; one
    column for every sample, or one per sample presentation of a training part) or a seed."""

    keep_prob: float
    form: str
    where: str
    masks: np.ndarray | None = None
    seed: int = 0

    def part_masks(self, units: int, presentations: int) -> np.ndarray:
        """The 0/1 mask of every sample presentation of a part, one column each, in training order."""
        if self.masks is not None:
            return self.masks if self.masks.shape[1] == presentations else np.repeat(self.masks, presentations, axis=1)
        generator = random.Random(self.seed)
        drawn = [[1.0 if generator.random() < self.keep_prob else 0.0 for _ in range(units)]
                 for _ in range(presentations)]
        return read_only(np.array(drawn, dtype=float).reshape(presentations, units).T)


def read_dropout(read: FieldReader, data: Any, where: str, units: int, output_layer: bool) -> Dropout:
    """A layer's `dropout` table; ExerciseError for p_keep outside (0, 1], a mask of the wrong
    shape or with a value other than 0 and 1, or dropout on the output layer."""
    read.table(data, where, KEYS)
    if output_layer:
        raise read.error(where, "dropout is for hidden layers; the output layer keeps every unit")
    if ("keep_prob" in data) == ("drop_ratio" in data):
        raise read.error(join(where, "keep_prob"), "expected keep_prob = p (0 < p ≤ 1) or drop_ratio = δ "
                                                   "(0 ≤ δ < 1), exactly one of them")
    if "keep_prob" in data:
        keep = read.number(data["keep_prob"], join(where, "keep_prob"))
        if not 0 < keep <= 1:
            raise read.error(join(where, "keep_prob"), f"expected a number greater than 0 and at most 1, got {keep:g}")
    else:
        ratio = read.number(data["drop_ratio"], join(where, "drop_ratio"))
        if not 0 <= ratio < 1:
            raise read.error(join(where, "drop_ratio"), f"expected a number from 0 up to (not including) 1, "
                                                        f"got {ratio:g}")
        keep = 1.0 - ratio
    form = read.choice(data, "form", where, FORMS, "inverted")
    if ("masks" in data) == ("seed" in data):
        raise read.error(join(where, "masks"), "expected masks = [[…], …] (0 drops a unit, 1 keeps it) or seed = n, "
                                               "exactly one of them")
    if "seed" in data:
        return Dropout(keep, form, where, seed=read.integer(data, "seed", where, 0, minimum=0, maximum=2**32 - 1))
    return Dropout(keep, form, where, masks=_masks(read, data["masks"], join(where, "masks"), units))


def _masks(read: FieldReader, value: Any, where: str, units: int) -> np.ndarray:
    """One mask (a list of `units` 0/1 numbers) or a list of them, as columns."""
    expected = f"a mask of {units} numbers (0 or 1, one per unit) or a list of such masks"
    if not isinstance(value, list) or not value:
        raise read.error(where, f"expected {expected}, got {describe(value)}")
    masks = value if isinstance(value[0], list) else [value]
    columns = []
    for index, mask in enumerate(masks):
        key = f"{where}[{index}]" if masks is value else where
        if not isinstance(mask, list) or len(mask) != units:
            raise read.error(key, f"expected {expected}, got {describe(mask)}")
        for position, entry in enumerate(mask):
            number = read.number(entry, f"{key}[{position}]")
            if number not in (0.0, 1.0):
                raise read.error(f"{key}[{position}]", f"expected 0 (dropped) or 1 (kept), got {entry!r}"[:200])
        columns.append([float(entry) for entry in mask])
    return read_only(np.array(columns, dtype=float).T)


def check_mask_counts(read: FieldReader, layers, parts) -> None:
    """Several given masks must be one per sample presentation (samples × epochs) of every training part."""
    for layer in layers:
        dropout = layer.dropout
        if dropout is None or dropout.masks is None or dropout.masks.shape[1] == 1:
            continue
        for part in parts:
            presentations = part.epochs * len(part.samples)
            if part.train and presentations != dropout.masks.shape[1]:
                raise read.error(f"{dropout.where}.masks",
                                 f"expected one mask, or one per sample presentation of part ({part.name}): "
                                 f"{presentations} ({_count(len(part.samples), 'sample')} × "
                                 f"{_count(part.epochs, 'epoch')}), "
                                 f"got {dropout.masks.shape[1]} masks")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def part_masks(network, part) -> tuple[np.ndarray | None, ...]:
    """Per layer, the 0/1 masks of every sample presentation of `part` (None without dropout)."""
    presentations = part.epochs * len(part.samples)
    return tuple(None if layer.dropout is None else layer.dropout.part_masks(layer.units, presentations)
                 for layer in network.layers)


def given_masks(scope: Scope, masks: tuple[np.ndarray | None, ...]) -> tuple[Tracked | None, ...]:
    """Each layer's 0/1 mask D of this update (a column per sample) as a given step, or None."""
    n = scope.notation
    return tuple(None if mask is None else scope.record(f"mask{l}", "given", "dropout mask", n.layered("D", l), mask)
                 for l, mask in enumerate(masks, 1))


def drop(scope: Scope, l: int, dropout: Dropout, given: Tracked, x: Tracked) -> tuple[Tracked, Tracked]:
    """x̃ = (D ∘ x)/p_keep of layer `l` from its `given` mask D, or r = D/(1 − δ_drop) and
    x̃ = r ∘ x; returns (the mask the backward pass multiplies by, D or r) and x̃."""
    n = scope.notation
    forgotten = scope.slip is Slip.DROPOUT_SCALING_FORGOTTEN
    mask = given.value
    dropped_symbol = n.layered(rf"\tilde{{{n.activation}}}", l)
    if dropout.form == "inverted":
        if forgotten:
            return given, scope.record(f"x{l}_drop", "forward", "dropped activation", dropped_symbol,
                                       mask * x.value, Formula((Ref(given.id), r" \circ ", Ref(x.id))))
        keep = Constant(r"p_{\mathrm{keep}}", np.array(dropout.keep_prob))
        return given, scope.record(f"x{l}_drop", "forward", "dropped activation", dropped_symbol,
                                   mask * x.value / dropout.keep_prob,
                                   Formula((r"\frac{", Ref(given.id), r" \circ ", Ref(x.id), "}{", keep, "}")))
    ratio = Constant(r"\delta_{\mathrm{drop}}", np.array(1.0 - dropout.keep_prob))
    scaled = scope.record(f"r{l}", "forward", "dropout mask", n.layered("r", l),
                          mask if forgotten else mask / dropout.keep_prob,
                          Formula((r"\frac{1}{1 - ", ratio, "} ", Ref(given.id))))
    return scaled, scope.record(f"x{l}_drop", "forward", "dropped activation", dropped_symbol,
                                scaled.value * x.value, Formula((Ref(scaled.id), r" \circ ", Ref(x.id))))


def dropout_delta(scope: Scope, l: int, dropout: Dropout, mask: Tracked, W_next: Tracked, above: Tracked,
                  fprime: Tracked, backpropagated: np.ndarray) -> Tracked:
    """δ of layer `l` through its dropout: (Wᵀ δ) ∘ (D/p_keep) ∘ f′, or r ∘ (Wᵀ d) ∘ f′; `mask`
    is what drop() returned, `backpropagated` the value of Wᵀ δ."""
    n = scope.notation
    unscaled = scope.slip in (Slip.DROPOUT_SCALING_FORGOTTEN, Slip.DROPOUT_BACKWARD_SCALING_FORGOTTEN)
    if dropout.form == "inverted":
        factor = mask.value if unscaled else mask.value / dropout.keep_prob
        scaled = (Ref(mask.id),) if unscaled else (
            r"\frac{", Ref(mask.id), "}{", Constant(r"p_{\mathrm{keep}}", np.array(dropout.keep_prob)), "}")
        if scope.slip is Slip.DROPOUT_MASK_FORGOTTEN:
            factor = np.full_like(mask.value, 1.0 / dropout.keep_prob)
        formula = Formula((r"\left(", Ref(W_next.id, transpose=True), " ", Ref(above.id), r"\right) \circ ",
                           *scaled, r" \circ ", Ref(fprime.id)))
    else:
        factor = np.ones_like(mask.value) if scope.slip is Slip.DROPOUT_MASK_FORGOTTEN else mask.value
        if scope.slip is Slip.DROPOUT_BACKWARD_SCALING_FORGOTTEN:
            factor = mask.value * dropout.keep_prob  # D where r = D/(1 − δ_drop) belongs
        formula = Formula((Ref(mask.id), r" \circ \left(", Ref(W_next.id, transpose=True), " ", Ref(above.id),
                           r"\right) \circ ", Ref(fprime.id)))
    return scope.record(f"delta{l}", "backward", "delta", n.layered(n.delta, l),
                        backpropagated * factor * fprime.value, formula)


def dropout_fact(index: int, dropout: Dropout, keep: str, ratio: str, given: int | None, notation) -> str:
    """How layer `index`'s dropout is worked, for the sheet, in the sheet's `notation`; `keep` and
    `ratio` are p_keep and 1 − p_keep written out, `given` the number of given masks (None when drawn)."""
    if given is None:
        masks = (f"the masks are drawn from Python's random.Random({dropout.seed}): a unit is kept when its "
                 r"draw $u < p_{\mathrm{keep}}$, sample by sample, unit by unit, afresh in each part")
    elif given == 1:
        masks = "the mask is given, the same for every sample"
    else:
        masks = "the masks are given, one per sample in the order the samples are worked"
    x, z, W, delta = notation.activation, notation.net, notation.weight, notation.delta
    if dropout.form == "inverted":
        how = (rf"inverted dropout with $p_{{\mathrm{{keep}}}} = {keep}$: $\tilde{{{x}}} = (D \circ {x})/p_{{\mathrm{{keep}}}}$ "
               rf"feeds the next layer, and backward ${delta} = ({W}^T {delta}_{{\mathrm{{above}}}}) \circ "
               rf"(D/p_{{\mathrm{{keep}}}}) \circ f'({z})$")
    else:
        how = (rf"dropout in seed 003's form with drop ratio $\delta_{{\mathrm{{drop}}}} = {ratio}$: "
               r"$r = D/(1 - \delta_{\mathrm{drop}})$, so $r \in \{0, 1/(1 - \delta_{\mathrm{drop}})\}$; "
               rf"$\tilde{{{x}}} = r \circ f({z})$ feeds the next layer, and backward ${delta} = r \circ "
               rf"({W}^T {delta}_{{\mathrm{{above}}}}) \circ f'({z})$")
    return (f"Layer {index} has {how}; {masks} (D: 0 drops a unit, 1 keeps it). Dropout is for training "
            "only: queries and the losses after an epoch use every unit.")
