"""The multilayer perceptron (kind "mlp"): a network trained by gradient descent on samples, and
new points classified by it.

reader.py reads the exercise file ([network] through network.py), engine.py records the steps,
view.py writes what the sheet says around them.
"""

from solver.kinds import Kind
from solver.kinds.mlp import view
from solver.kinds.mlp.engine import solve
from solver.kinds.mlp.picture import network_picture
from solver.kinds.mlp.reader import KEYS, read_mlp
from solver.kinds.mlp.slips import network_slips

KIND = Kind(
    name="mlp",
    keys=KEYS,
    read=read_mlp,
    solve=solve,
    slips=network_slips,
    setup_heading=view.SETUP_HEADING,
    setup_facts=view.network_facts,
    convention_facts=view.convention_facts,
    part_facts=view.part_facts,
    derived_blocks=view.derived_blocks,
    setup_picture=network_picture,
)
