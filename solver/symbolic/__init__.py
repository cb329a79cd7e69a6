"""SymPy is the single source of truth for every formula byhand evaluates or prints."""

from solver.symbolic.activation_catalogue import ACTIVATIONS, activation
from solver.symbolic.activations import Activation, Family
from solver.symbolic.losses import LOSSES, Loss, OutputDelta, loss, output_delta

__all__ = ["ACTIVATIONS", "Activation", "Family", "activation", "LOSSES", "Loss", "OutputDelta", "loss", "output_delta"]
