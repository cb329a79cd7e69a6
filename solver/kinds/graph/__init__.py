"""A computational graph worked node by node (kind "graph"): an expression broken into primitive
gates, or nodes written in order, with scalar values; the forward pass, then the backward pass
from the output with each gradient as local derivative times upstream gradient.

reader.py reads the exercise file, engine.py records the steps, view.py writes what the sheet
says around them; the graph and its local derivatives are solver/symbolic/graph.py, the breaking into gates
solver/symbolic/gates.py.
"""

from solver.engine.slips import Slip
from solver.kinds import Kind
from solver.kinds.graph import view
from solver.kinds.graph.engine import solve
from solver.kinds.graph.picture import graph_picture
from solver.kinds.graph.reader import KEYS, read_graph_problem
from solver.symbolic.graph import Graph


def _slips(exercise) -> tuple[Slip, ...]:
    """Only the slips that can change a number of this graph."""
    graph: Graph = exercise.setup
    found = []
    if any(len(graph.consumers(name)) > 1 for name in (*graph.inputs, *(node.name for node in graph.nodes))):
        found += [Slip.GRADIENT_PATHS_NOT_SUMMED, Slip.FIRST_GRADIENT_PATH_ONLY]
    if any(node.is_reciprocal for node in graph.nodes):
        found.append(Slip.RECIPROCAL_DERIVATIVE_SIGN_LOST)
    if any(node.is_max for node in graph.nodes):
        found.append(Slip.MAX_GRADIENT_TO_BOTH)
    return tuple(found)


KIND = Kind(
    name="graph",
    keys=KEYS,
    read=read_graph_problem,
    solve=solve,
    slips=_slips,
    setup_heading=view.SETUP_HEADING,
    setup_facts=view.graph_facts,
    convention_facts=view.convention_facts,
    part_facts=view.part_facts,
    derived_blocks=view.derived_blocks,
    picture=graph_picture,
)
