"""SymPy is the single source of truth for every formula byhand evaluates or prints."""

from solver.symbolic.activations import ACTIVATIONS, Activation, Family, activation
from solver.symbolic.losses import LOSSES, Loss, OutputDelta, loss, output_delta

__all__ = ["ACTIVATIONS", "Activation", "Family", "activation", "LOSSES", "Loss", "OutputDelta", "loss", "output_delta"]
