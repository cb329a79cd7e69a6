"""The multilayer perceptron (kind "mlp"): a network trained by gradient descent on samples, and
new points classified by it.

reader.py reads the exercise file ([network] through network.py), engine.py records the steps.
"""

from solver.engine.slips import Slip
from solver.kinds import Kind
from solver.kinds.mlp.engine import solve
from solver.kinds.mlp.reader import KEYS, read_mlp

KIND = Kind(
    name="mlp",
    keys=KEYS,
    read=read_mlp,
    solve=solve,
    slips=tuple(Slip),  # every slip of slips.py is one a hand-worked MLP can show
)
