"""Typical slips in a hand calculation, each one a variant of the engine.

The engine is run with one slip switched on, and where that changes the arithmetic it computes
what a student who made that slip would write. The checker compares a wrong answer with these
variants to name the slip. Each slip is read by the engine in the one place it happens.
"""

from __future__ import annotations

import enum


class Slip(enum.Enum):
    """A mistake, with the sentence a report shows for it."""

    ERROR_SIGN_FLIPPED = "the sign of (x − t) is flipped: (t − x) was used"
    DERIVATIVE_OMITTED = "the activation derivative f′(z) is left out"
    FUNCTION_FOR_DERIVATIVE = "f(z) is used where f′(z) belongs"
    TANH_DERIVATIVE_UNSQUARED = "1 − tanh(z) is used instead of 1 − tanh²(z)"
    WEIGHTS_NOT_TRANSPOSED = "W is used instead of Wᵀ in the backward pass"
    UPDATED_WEIGHTS_IN_BACKWARD = "the already updated weights are used in the backward pass"
    BIAS_LEFT_OUT_OF_NET = "the bias is left out of the net input: z = Wx where z = Wx + b belongs"
    GRADIENT_ADDED = "the gradient is added instead of subtracted"
    RATE_OMITTED = "the learning rate is left out of the update"
    BIAS_NOT_UPDATED = "the bias is not updated"
    MEAN_INSTEAD_OF_SUM = "the batch gradient is the mean where the sum belongs"
    SUM_INSTEAD_OF_MEAN = "the batch gradient is the sum where the mean belongs"
    SOFTMAX_AS_ELEMENTWISE = "softmax is differentiated as if elementwise: s(1 − s)"
    OUTPUT_AND_TARGET_SWAPPED = "the output and the target are swapped in the loss"
    BIAS_CORRECTION_FORGOTTEN = "the bias correction 1/(1 − βᵗ) is forgotten"
    ITERATION_NOT_COUNTED = "t is not counted up: the bias correction uses t = 1 in every update"
    EPSILON_ON_THE_OTHER_SIDE = "ε is on the other side of the square root"
    MOVING_AVERAGE_WITHOUT_ONE_MINUS = "(1 − β) is left out of the moving average"
    DECAY_AND_ONE_MINUS_SWAPPED = "β and 1 − β are swapped in the moving average"
    STATE_RESET = "the optimiser state is reset to 0 instead of carried over from the last iteration"
    GRADIENT_NOT_SQUARED = "g is used where g ⊙ g belongs in the squared-gradient state"
    GRADIENT_PATHS_NOT_SUMMED = ("the gradients of a value that feeds several nodes are not summed: only the path "
                                 "worked last counts")
    FIRST_GRADIENT_PATH_ONLY = ("the gradients of a value that feeds several nodes are not summed: only the path "
                                "worked first counts")
    RECIPROCAL_DERIVATIVE_SIGN_LOST = "the derivative of 1/x is taken as 1/x² (the minus sign is lost)"
    MAX_GRADIENT_TO_BOTH = "the max gate passes the gradient to both inputs, not only to the larger"
    MEAN_PATH_OMITTED = "the path through μ is left out of ∂L/∂x (the ∂L/∂μ · 1/m term)"
    UNBIASED_VARIANCE = "the variance divides by m − 1 (the unbiased estimate) where batch norm divides by m"
    STRENGTH_NOT_DIVIDED = "λ is used where λ/M belongs in the penalty (M the batch size)"
    STRENGTH_DIVIDED = "λ/M is used where λ belongs in the penalty (M the batch size)"
    PENALTY_GRADIENT_DOUBLED = "2λw is used for the L2 penalty's gradient where λw belongs (the ½ is forgotten)"
    BIASES_PENALIZED = "the biases are regularised too, where the penalty covers the weights only"
    BIASES_NOT_PENALIZED = "the biases are left out of the penalty, where it covers the biases too"
    DROPOUT_MASK_FORGOTTEN = "the dropout mask is left out of the backward pass"
    DROPOUT_SCALING_FORGOTTEN = "the dropout scaling 1/keep_prob is forgotten (the kept units are not scaled up)"
    DROPOUT_BACKWARD_SCALING_FORGOTTEN = ("the dropout scaling 1/keep_prob is forgotten in the backward pass only "
                                          "(dA ∘ D, not dA ∘ D/keep_prob)")
    PERCEPTRON_ERROR_REVERSED = "the error is written y − t where e = t − y belongs (and the update follows it)"
    ACTIVATION_HIGH_AT_ZERO = ("the activation at exactly 0 is taken as its high value; seed 003 defines "
                               "Threshold(0) = 0 and Sign(0) = −1")
    DISTANCE_NORM_SWAPPED = "the L1 distance is used where L2 belongs, or L2 where L1 belongs"
    SQUARE_ROOT_OMITTED = "the square root is left out of the L2 distance (the squared distance is used)"
    ONE_NEIGHBOUR_MORE = "k + 1 neighbours vote instead of k"
    ONE_NEIGHBOUR_FEWER = "k − 1 neighbours vote instead of k"
    PADDING_COUNTED_ONCE = "the padding is added once, W + P − F, where it is on both sides: W + 2P − F"
    PLUS_ONE_FORGOTTEN = "the + 1 of (W + 2P − F)/S + 1 is left out"
    FILTER_DEPTH_FORGOTTEN = "a filter's depth (the input channels C) is left out of its weights: F·F instead of F·F·C"
    BIAS_CONNECTION_FORGOTTEN = ("the bias is not counted as a connection: each output value has one more, to its "
                                 "bias (F·F·C + 1 in a convolution, n + 1 in a fully-connected layer)")
    BIASES_LEFT_OUT = "the biases are left out of the parameters"
    INTERCEPT_FORGOTTEN = ("the column of ones is left out of X: a fit through the origin where the intercept "
                           "belongs (a row of ones, for several outputs)")
    LOSS_HALF_SWAPPED = "the ½ of the loss is left out where it belongs, or written where the loss has none"
    DELTA_HALF_SWAPPED = ("the output δ is worked as if the ½ of the loss were swapped: 2(x − t)f′(z) where "
                          "½Σ(x − t)² gives (x − t)f′(z), or the reverse for Σ(x − t)²")
    OTHER_OUTCOME_COUNTED = "the other outcome is counted: the failures, n − k, where θ is the probability of a success"
    UNBIASED_COVARIANCE = ("the covariance divides by nⱼ − 1 (the unbiased estimate) where the maximum-likelihood "
                           "estimate divides by nⱼ")
    BIASED_COVARIANCE = "the covariance divides by nⱼ where covariance = \"unbiased\" asks for nⱼ − 1"
    PRIOR_LEFT_OUT = "the prior is left out of the class decision: the largest pⱼ where the largest πⱼpⱼ belongs"
    POOLED_MEAN = "the mean of all the points is used where the class's own mean μⱼ belongs"

    @property
    def description(self) -> str:
        return self.value

    @property
    def made_at(self) -> frozenset[str]:
        """The kinds of step where this slip is made (later steps only carry it forward)."""
        return _MADE_AT[self]


_MADE_AT = {
    Slip.ERROR_SIGN_FLIPPED: frozenset({"delta"}),
    Slip.DERIVATIVE_OMITTED: frozenset({"derivative", "delta"}),
    Slip.FUNCTION_FOR_DERIVATIVE: frozenset({"derivative"}),
    Slip.TANH_DERIVATIVE_UNSQUARED: frozenset({"derivative"}),
    Slip.WEIGHTS_NOT_TRANSPOSED: frozenset({"delta"}),
    Slip.UPDATED_WEIGHTS_IN_BACKWARD: frozenset({"delta"}),
    Slip.BIAS_LEFT_OUT_OF_NET: frozenset({"net"}),
    Slip.GRADIENT_ADDED: frozenset({"updated weights", "updated biases", "updated parameter"}),
    Slip.RATE_OMITTED: frozenset({"updated weights", "updated biases", "updated parameter"}),
    Slip.BIAS_NOT_UPDATED: frozenset({"updated biases"}),
    Slip.MEAN_INSTEAD_OF_SUM: frozenset({"loss", "weight gradient", "bias gradient", "scale gradient", "shift gradient"}),
    Slip.SUM_INSTEAD_OF_MEAN: frozenset({"loss", "weight gradient", "bias gradient"}),
    Slip.SOFTMAX_AS_ELEMENTWISE: frozenset({"delta"}),
    Slip.OUTPUT_AND_TARGET_SWAPPED: frozenset({"loss", "delta"}),
    Slip.BIAS_CORRECTION_FORGOTTEN: frozenset({"corrected state"}),
    Slip.ITERATION_NOT_COUNTED: frozenset({"corrected state"}),
    Slip.EPSILON_ON_THE_OTHER_SIDE: frozenset({"updated weights", "updated biases", "updated parameter",
                                               "normalized input"}),
    Slip.MOVING_AVERAGE_WITHOUT_ONE_MINUS: frozenset({"optimizer state"}),
    Slip.DECAY_AND_ONE_MINUS_SWAPPED: frozenset({"optimizer state"}),
    Slip.STATE_RESET: frozenset({"optimizer state"}),
    Slip.GRADIENT_NOT_SQUARED: frozenset({"optimizer state"}),
    Slip.GRADIENT_PATHS_NOT_SUMMED: frozenset({"graph gradient"}),
    Slip.FIRST_GRADIENT_PATH_ONLY: frozenset({"graph gradient"}),
    Slip.RECIPROCAL_DERIVATIVE_SIGN_LOST: frozenset({"graph gradient"}),
    Slip.MAX_GRADIENT_TO_BOTH: frozenset({"graph gradient"}),
    Slip.MEAN_PATH_OMITTED: frozenset({"input gradient"}),
    Slip.UNBIASED_VARIANCE: frozenset({"variance"}),
    Slip.STRENGTH_NOT_DIVIDED: frozenset({"penalty", "penalty gradient", "updated weights", "updated biases"}),
    Slip.STRENGTH_DIVIDED: frozenset({"penalty", "penalty gradient", "updated weights", "updated biases"}),
    Slip.PENALTY_GRADIENT_DOUBLED: frozenset({"penalty gradient", "updated weights", "updated biases"}),
    Slip.BIASES_PENALIZED: frozenset({"norm", "penalty", "updated biases"}),
    Slip.BIASES_NOT_PENALIZED: frozenset({"norm", "penalty", "updated biases"}),
    Slip.DROPOUT_MASK_FORGOTTEN: frozenset({"delta"}),
    Slip.DROPOUT_SCALING_FORGOTTEN: frozenset({"dropout mask", "dropped activation", "delta"}),
    Slip.DROPOUT_BACKWARD_SCALING_FORGOTTEN: frozenset({"delta"}),
    Slip.PERCEPTRON_ERROR_REVERSED: frozenset({"error"}),
    Slip.ACTIVATION_HIGH_AT_ZERO: frozenset({"prediction"}),
    Slip.DISTANCE_NORM_SWAPPED: frozenset({"distance"}),
    Slip.SQUARE_ROOT_OMITTED: frozenset({"distance"}),
    Slip.ONE_NEIGHBOUR_MORE: frozenset({"votes"}),
    Slip.ONE_NEIGHBOUR_FEWER: frozenset({"votes"}),
    Slip.PADDING_COUNTED_ONCE: frozenset({"output size"}),
    Slip.PLUS_ONE_FORGOTTEN: frozenset({"output size"}),
    Slip.FILTER_DEPTH_FORGOTTEN: frozenset({"weights", "connections"}),
    Slip.BIAS_CONNECTION_FORGOTTEN: frozenset({"connections"}),
    Slip.BIASES_LEFT_OUT: frozenset({"parameters"}),
    Slip.INTERCEPT_FORGOTTEN: frozenset({"design matrix"}),
    Slip.LOSS_HALF_SWAPPED: frozenset({"loss"}),
    Slip.DELTA_HALF_SWAPPED: frozenset({"delta"}),
    Slip.OTHER_OUTCOME_COUNTED: frozenset({"count"}),
    Slip.UNBIASED_COVARIANCE: frozenset({"covariance"}),
    Slip.BIASED_COVARIANCE: frozenset({"covariance"}),
    Slip.PRIOR_LEFT_OUT: frozenset({"class"}),
    Slip.POOLED_MEAN: frozenset({"mean"}),
}
OPTIMIZER_SLIPS = (Slip.BIAS_CORRECTION_FORGOTTEN, Slip.EPSILON_ON_THE_OTHER_SIDE, Slip.MOVING_AVERAGE_WITHOUT_ONE_MINUS,
                   Slip.DECAY_AND_ONE_MINUS_SWAPPED, Slip.STATE_RESET, Slip.GRADIENT_NOT_SQUARED,
                   Slip.ITERATION_NOT_COUNTED)
"""The slips of an optimiser's update, wherever an optimiser is used."""
GRAPH_SLIPS = (Slip.GRADIENT_PATHS_NOT_SUMMED, Slip.FIRST_GRADIENT_PATH_ONLY, Slip.RECIPROCAL_DERIVATIVE_SIGN_LOST,
               Slip.MAX_GRADIENT_TO_BOTH)
"""The slips of a computational graph's backward pass."""
BATCHNORM_SLIPS = (Slip.MEAN_PATH_OMITTED, Slip.UNBIASED_VARIANCE, Slip.EPSILON_ON_THE_OTHER_SIDE,
                   Slip.MEAN_INSTEAD_OF_SUM)
"""The slips of batch normalisation's forward and backward pass (the last is also a network's: ∂L/∂γ and
∂L/∂β divided by m)."""
CNN_SLIPS = (Slip.PADDING_COUNTED_ONCE, Slip.PLUS_ONE_FORGOTTEN, Slip.FILTER_DEPTH_FORGOTTEN,
             Slip.BIAS_CONNECTION_FORGOTTEN, Slip.BIASES_LEFT_OUT)
"""The slips of counting a network's sizes, parameters and connections."""
REGULARIZATION_SLIPS = (Slip.STRENGTH_NOT_DIVIDED, Slip.STRENGTH_DIVIDED, Slip.PENALTY_GRADIENT_DOUBLED,
                        Slip.BIASES_PENALIZED, Slip.BIASES_NOT_PENALIZED)
"""The slips of an L2 or L1 penalty (solver/kinds/mlp/regularization.py)."""
DROPOUT_SLIPS = (Slip.DROPOUT_MASK_FORGOTTEN, Slip.DROPOUT_SCALING_FORGOTTEN, Slip.DROPOUT_BACKWARD_SCALING_FORGOTTEN)
"""The slips of dropout on a network's layer (only an exercise with dropout can show them)."""
PERCEPTRON_SLIPS = (Slip.PERCEPTRON_ERROR_REVERSED, Slip.ACTIVATION_HIGH_AT_ZERO, Slip.BIAS_NOT_UPDATED,
                    Slip.RATE_OMITTED)
"""The slips of the perceptron learning rule (the last two are also a network's)."""
KNN_SLIPS = (Slip.DISTANCE_NORM_SWAPPED, Slip.SQUARE_ROOT_OMITTED, Slip.ONE_NEIGHBOUR_MORE, Slip.ONE_NEIGHBOUR_FEWER)
"""The slips of a k-nearest-neighbour vote."""
LEAST_SQUARES_SLIPS = (Slip.INTERCEPT_FORGOTTEN, Slip.LOSS_HALF_SWAPPED)
"""The slips of a least-squares fit by the normal equations (the second is also a network's, in E)."""
MLE_SLIPS = (Slip.OTHER_OUTCOME_COUNTED, Slip.UNBIASED_COVARIANCE, Slip.BIASED_COVARIANCE, Slip.PRIOR_LEFT_OUT,
             Slip.POOLED_MEAN)
"""The slips of a maximum-likelihood estimate: a Bernoulli θ, or Gaussian classes and a query's class."""
SHARED_WITH_NETWORKS = frozenset({Slip.MEAN_INSTEAD_OF_SUM, Slip.BIAS_NOT_UPDATED, Slip.RATE_OMITTED,
                                  Slip.LOSS_HALF_SWAPPED})
"""Slips of another kind's list that a network's forward or backward pass or gradient step makes too."""
NETWORK_SLIPS = tuple(slip for slip in Slip if slip in SHARED_WITH_NETWORKS or slip not in (
    OPTIMIZER_SLIPS + GRAPH_SLIPS + BATCHNORM_SLIPS + REGULARIZATION_SLIPS + DROPOUT_SLIPS + PERCEPTRON_SLIPS
    + KNN_SLIPS + CNN_SLIPS + LEAST_SQUARES_SLIPS + MLE_SLIPS))
"""The slips of a network's forward pass, backward pass and plain gradient step."""
