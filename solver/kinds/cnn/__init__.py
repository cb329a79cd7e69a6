"""Counting a network (kind "cnn"): each layer's output size by (W + 2P − F)/S + 1, its weights,
biases, parameters, connections and activations, the totals and a table of the whole network
(seed 002: LeNet-5, AlexNet, VGG, the FC-vs-CNN comparison, the 3-4-2 count).

reader.py reads the exercise file, sizes.py explains a window that does not fit, counts.py checks
the counts before anything is worked, engine.py records the steps, view.py writes what the sheet
says around them; fully-connected counts are solver/engine/counting.py, shared with other kinds.
"""

from solver.engine.slips import Slip
from solver.kinds import Kind
from solver.kinds.cnn import view
from solver.kinds.cnn.engine import solve
from solver.kinds.cnn.reader import KEYS, Conv, Pool, read_cnn_problem


def _slips(exercise) -> tuple[Slip, ...]:
    """Only the slips that can change a number of this exercise."""
    layers = [layer for part in exercise.parts for layer in part.network.layers]
    counts_bias = any(part.conventions.bias_is_connection for part in exercise.parts)
    possible = {
        Slip.PADDING_COUNTED_ONCE: any(isinstance(layer, Conv) and (layer.padding.width or layer.padding.height)
                                       for layer in layers),
        Slip.PLUS_ONE_FORGOTTEN: any(isinstance(layer, (Conv, Pool)) for layer in layers),
        Slip.FILTER_DEPTH_FORGOTTEN: any(isinstance(layer, Conv) and layer.input_channels is None for layer in layers),
        Slip.BIAS_CONNECTION_FORGOTTEN: counts_bias,
        Slip.BIASES_LEFT_OUT: any(not isinstance(layer, Pool) or layer.op == "subsample" for layer in layers),
    }
    return tuple(slip for slip, can in possible.items() if can)


KIND = Kind(
    name="cnn",
    keys=KEYS,
    read=read_cnn_problem,
    solve=solve,
    slips=_slips,
    setup_heading=view.SETUP_HEADING,
    setup_facts=view.network_facts,
    convention_facts=view.convention_facts,
    part_facts=view.part_facts,
    derived_blocks=view.derived_blocks,
    whole_numbers=True,
    one_line_equations=True,
    part_table=view.network_table,
)
