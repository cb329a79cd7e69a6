"""Least squares (kind "least_squares"): a line through points, a linear model with a design
matrix, or several outputs at once, W = (Y Xᵀ)(X Xᵀ)⁻¹; every product, the inverse, the
solution and the loss at the optimum, in exact fractions when the data are rational (seed 002).

reader.py reads the exercise file (and refuses dependent columns, naming the dependence),
engine.py records the steps, view.py writes what the sheet says around them.
"""

from solver.engine.slips import Slip
from solver.kinds import Kind
from solver.kinds.least_squares import view
from solver.kinds.least_squares.engine import solve
from solver.kinds.least_squares.reader import KEYS, Data, read_least_squares_problem


def _slips(exercise) -> tuple[Slip, ...]:
    """Only the slips that can change a number of this exercise: the ones can be left out only
    where they were added; the ½ changes the loss only where it is not 0, which needs more samples
    than unknowns."""
    data: Data = exercise.setup
    unknowns = data.X.shape[0] if data.form == "multi" else data.X.shape[1]
    possible = {
        Slip.INTERCEPT_FORGOTTEN: data.intercept,
        Slip.LOSS_HALF_SWAPPED: data.samples > unknowns,
    }
    return tuple(slip for slip, can in possible.items() if can)

KIND = Kind(
    name="least_squares",
    keys=KEYS,
    read=read_least_squares_problem,
    solve=solve,
    slips=_slips,
    setup_heading=view.SETUP_HEADING,
    setup_facts=view.data_facts,
    convention_facts=view.convention_facts,
    part_facts=view.part_facts,
    derived_blocks=view.derived_blocks,
)
