"""k nearest neighbours (kind "knn"): labelled points, one or more queries, k, the L1 or L2
distance: every distance, the points sorted, the vote and its tie rule (seed 002).

reader.py reads the exercise file, engine.py records the steps, view.py writes what the sheet
says around them.
"""

from solver.engine.slips import Slip
from solver.kinds import Kind
from solver.kinds.knn import view
from solver.kinds.knn.engine import solve
from solver.kinds.knn.reader import KEYS, read_knn_problem


def _slips(exercise) -> tuple[Slip, ...]:
    """Only the slips that can happen here: a k − 1 needs k ≥ 2, a k + 1 a point to spare, a
    square root the L2 distance; the other norm only changes something with two coordinates or more."""
    part, m = exercise.parts[0], exercise.setup.x.shape[1]
    slips = []
    if exercise.setup.x.shape[0] > 1:
        slips.append(Slip.DISTANCE_NORM_SWAPPED)
    if part.distance == "l2":
        slips.append(Slip.SQUARE_ROOT_OMITTED)
    if part.k < m:
        slips.append(Slip.ONE_NEIGHBOUR_MORE)
    if part.k > 1:
        slips.append(Slip.ONE_NEIGHBOUR_FEWER)
    return tuple(slips)


def _json_header(exercise) -> dict:
    """The class names behind the numbers in a.labels, a.q1.votes (one count per class, in this
    order) and a.q1.class."""
    points = exercise.setup
    return {"classes": [{"number": number, "name": name} for name, number in zip(points.classes, points.numbers)]}


KIND = Kind(
    name="knn",
    keys=KEYS,
    read=read_knn_problem,
    solve=solve,
    slips=_slips,
    setup_heading=view.SETUP_HEADING,
    setup_facts=view.points_facts,
    convention_facts=view.convention_facts,
    part_facts=view.part_facts,
    derived_blocks=view.derived_blocks,
    json_header=_json_header,
    section_table=view.distances_table,
)
