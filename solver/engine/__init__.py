"""The step-recording NumPy engine."""

from solver.engine.mlp import solve
from solver.engine.steps import Solution, Step

__all__ = ["solve", "Solution", "Step"]
