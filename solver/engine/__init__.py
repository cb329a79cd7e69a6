"""The step-recording NumPy engine."""

from solver.kinds.mlp.engine import solve
from solver.engine.steps import Solution, Step

__all__ = ["solve", "Solution", "Step"]
