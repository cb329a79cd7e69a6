"""Which slips a network exercise can show: each is tried by the checker at the cost of two
engine runs, so a slip that cannot change any number of this exercise is not tried."""

from __future__ import annotations

import numpy as np

from solver.engine.optimizer import possible_slips
from solver.engine.slips import Slip
from solver.kinds.mlp import regularization
from solver.kinds.mlp.backprop import HALF_SWAPPED
from solver.kinds.mlp.dropout import part_masks
from solver.kinds.mlp.engine import plan


def network_slips(exercise) -> tuple[Slip, ...]:
    """The slips that can change a number of `exercise` (see Slip for each): in the forward and
    backward pass, and in each training part's optimiser."""
    layers = exercise.setup.layers
    training = [part for part in exercise.parts if part.train]
    batches = [part for part in training if part.mode == "batch" and len(part.samples) > 1]
    possible = {
        Slip.ERROR_SIGN_FLIPPED: True,
        Slip.DERIVATIVE_OMITTED: True,
        Slip.FUNCTION_FOR_DERIVATIVE: True,
        Slip.TANH_DERIVATIVE_UNSQUARED: any(layer.activation == "tanh" for layer in layers),
        Slip.WEIGHTS_NOT_TRANSPOSED: any(layer.weights.shape[0] == layer.weights.shape[1] for layer in layers[1:]),
        Slip.UPDATED_WEIGHTS_IN_BACKWARD: len(layers) > 1,
        # biases that are not 0 from the start, or once an update has moved them for a later z
        Slip.BIAS_LEFT_OUT_OF_NET: any(np.any(layer.biases != 0) for layer in layers) or len(exercise.parts) > 1 or any(
            part.conventions.update_biases and len(plan(part)) > 1 for part in training),
        Slip.GRADIENT_ADDED: True,
        Slip.RATE_OMITTED: True,
        Slip.BIAS_NOT_UPDATED: any(part.conventions.update_biases for part in training),
        Slip.MEAN_INSTEAD_OF_SUM: any(part.conventions.batch_reduction == "sum" for part in batches),
        Slip.SUM_INSTEAD_OF_MEAN: any(part.conventions.batch_reduction == "mean" for part in batches),
        Slip.SOFTMAX_AS_ELEMENTWISE: layers[-1].activation == "softmax",
        Slip.OUTPUT_AND_TARGET_SWAPPED: True,
        Slip.LOSS_HALF_SWAPPED: any(part.loss in HALF_SWAPPED for part in training),
        Slip.DELTA_HALF_SWAPPED: any(part.loss in HALF_SWAPPED for part in training),
    }
    masks = [(layer.dropout, mask) for part in training for layer, mask in zip(layers, part_masks(exercise.setup, part))
             if mask is not None]
    # forgetting the mask changes a δ only where a unit was dropped; the scaling, only where p_keep < 1
    possible[Slip.DROPOUT_MASK_FORGOTTEN] = any((mask == 0).any() for _, mask in masks)
    possible[Slip.DROPOUT_SCALING_FORGOTTEN] = any(dropout.keep_prob < 1 and mask.any() for dropout, mask in masks)
    possible[Slip.DROPOUT_BACKWARD_SCALING_FORGOTTEN] = possible[Slip.DROPOUT_SCALING_FORGOTTEN]
    network = tuple(slip for slip, can in possible.items() if can) if training else ()
    optimizer = (slip for part in training for slip in possible_slips(part.optimizer, len(plan(part))))
    penalty = (slip for part in training for slip in regularization.slips(
        part.regularization, {len(update.samples) for update in plan(part)}, part.conventions.update_biases))
    return tuple(dict.fromkeys((*network, *optimizer, *penalty)))
