"""SymPy is the single source of truth for every formula byhand evaluates or prints."""

from solver.symbolic.activations import ACTIVATIONS, Activation, activation
from solver.symbolic.losses import LOSSES, Loss, OutputDelta, loss, output_delta

__all__ = ["ACTIVATIONS", "Activation", "activation", "LOSSES", "Loss", "OutputDelta", "loss", "output_delta"]
