"""Least squares (kind "least_squares"): a line through points, a linear model with a design
matrix, or several outputs at once, W = (Y Xᵀ)(X Xᵀ)⁻¹; every product, the inverse, the
solution and the loss at the optimum, in exact fractions when the data are rational (seed 002).

reader.py reads the exercise file (and refuses dependent columns, naming the dependence),
engine.py records the steps, view.py writes what the sheet says around them.
"""

from solver.kinds import Kind
from solver.kinds.least_squares import view
from solver.kinds.least_squares.engine import solve
from solver.kinds.least_squares.reader import KEYS, read_least_squares_problem

KIND = Kind(
    name="least_squares",
    keys=KEYS,
    read=read_least_squares_problem,
    solve=solve,
    slips=lambda exercise: (),
    setup_heading=view.SETUP_HEADING,
    setup_facts=view.data_facts,
    convention_facts=view.convention_facts,
    part_facts=view.part_facts,
    derived_blocks=view.derived_blocks,
)
