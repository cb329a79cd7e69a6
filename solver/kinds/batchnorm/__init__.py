"""Batch normalisation of one batch (kind "batchnorm"): the forward pass, and the backward pass in
seed 002's stages and seed 004's closed form, from a given ∂L/∂y or a loss on y.

reader.py reads the exercise file, engine.py records the steps, view.py writes what the sheet
says around them.
"""

from solver.engine.slips import BATCHNORM_SLIPS
from solver.kinds import Kind
from solver.kinds.batchnorm import view
from solver.kinds.batchnorm.engine import solve
from solver.kinds.batchnorm.reader import KEYS, read_batchnorm_problem


def _slips(exercise):
    """Every batch-norm slip changes a number in any batch of m ≥ 2 with some spread."""
    return BATCHNORM_SLIPS


KIND = Kind(
    name="batchnorm",
    keys=KEYS,
    read=read_batchnorm_problem,
    solve=solve,
    slips=_slips,
    setup_heading=view.SETUP_HEADING,
    setup_facts=view.batch_facts,
    convention_facts=view.convention_facts,
    part_facts=view.part_facts,
    derived_blocks=view.derived_blocks,
)
