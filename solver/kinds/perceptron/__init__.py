"""The perceptron learning rule (kind "perceptron"): a logic gate or labelled samples, Threshold
or Sign, the bias as w₀ or a separate b; sample by sample, epoch by epoch, to the decision
boundary, or the reason there is none (seed 003 §2.2.2.3).

reader.py reads the exercise file, datasets.py knows the gates, separability.py decides exactly
whether a hyperplane separates the classes, engine.py records the steps, view.py writes what the
sheet says around them, tables.py writes each epoch as a table and the answers template.
"""

from solver.engine.slips import Slip
from solver.kinds import Kind
from solver.kinds.perceptron import tables, view
from solver.kinds.perceptron.engine import solve
from solver.kinds.perceptron.reader import KEYS, read_perceptron_problem


def _slips(exercise) -> tuple[Slip, ...]:
    """The rule's slips; leaving η out changes nothing when η = 1."""
    slips = [Slip.PERCEPTRON_ERROR_REVERSED, Slip.ACTIVATION_HIGH_AT_ZERO, Slip.BIAS_NOT_UPDATED]
    if any(part.learning_rate != 1 for part in exercise.parts):
        slips.append(Slip.RATE_OMITTED)
    return tuple(slips)


KIND = Kind(
    name="perceptron",
    keys=KEYS,
    read=read_perceptron_problem,
    solve=solve,
    slips=_slips,
    setup_heading=view.SETUP_HEADING,
    setup_facts=view.samples_facts,
    convention_facts=view.convention_facts,
    part_facts=view.part_facts,
    derived_blocks=view.derived_blocks,
    part_table=tables.epochs_table,
    group_table=tables.epoch_table,
    answer_template=tables.answer_template,
)
