"""Optimiser updates without a network (kind "optimizer"): parameters, a gradient (given, or
derived from an objective), an update rule and its state, worked step by step.

reader.py reads the exercise file, engine.py records the steps, view.py writes what the sheet
says around them; the update rules are shared with every kind that trains
(solver/symbolic/optimizers.py, solver/engine/optimizer.py).
"""

from solver.engine.optimizer import possible_slips
from solver.kinds import Kind
from solver.kinds.optimizer import view
from solver.kinds.optimizer.engine import solve
from solver.kinds.optimizer.reader import KEYS, read_optimizer_problem


def _slips(exercise):
    found = (slip for part in exercise.parts for slip in possible_slips(part.optimizer, part.steps))
    return tuple(dict.fromkeys(found))


KIND = Kind(
    name="optimizer",
    keys=KEYS,
    read=read_optimizer_problem,
    solve=solve,
    slips=_slips,
    setup_heading=view.SETUP_HEADING,
    setup_facts=view.problem_facts,
    convention_facts=view.convention_facts,
    part_facts=view.part_facts,
    derived_blocks=view.derived_blocks,
)
