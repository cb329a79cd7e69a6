"""The picture of a network as given: a column of units per layer, an arrow from every unit to every
unit of the next layer, and on each arrow its weight, as a lecturer draws a small network. A
layer of more than MAX_UNITS units shows its first and last units with ⋮ between them; a network
with a layer of more than MAX_LABELLED units is drawn without weights (they would not be legible)."""

from __future__ import annotations

from solver.conventions import Notation
from solver.exercise import Exercise
from solver.kinds.mlp.network import Network
from solver.render.diagram import COLUMN_GAP, ROW_GAP, WIDTH, Arrow, Diagram, Heading, Label, Vertex
from solver.kinds.mlp.counts import COUNTS
from solver.render.format import brief, number, plain_digits

MAX_UNITS = 10
SHOWN = (7, 2)
"""How many units a larger layer shows: the first 7 and the last 2."""
MAX_LABELLED = 8
WEIGHT_POSITION = 0.2
"""Where a weight stands along its arrow: nearer its unit of origin, where the arrows fan out."""


def network_picture(exercise: Exercise) -> Diagram:
    """The diagram of the network given by `exercise`, with its starting weights where it is small."""
    network: Network = exercise.setup
    sizes = [network.inputs, *(layer.units for layer in network.layers)]
    labelled = max(sizes) <= MAX_LABELLED
    gap = min(COLUMN_GAP + (0.8 if labelled else 0.0), WIDTH / len(network.layers))
    row_gap = ROW_GAP * (1.25 if labelled else 1.0)  # room for the weights where the arrows fan out
    vertices: list[Vertex] = []
    shown: list[list[tuple[int, int]]] = []  # per layer: (unit j from 1, vertex index)
    for l, size in enumerate(sizes):
        units = _shown_units(size)
        rows = len(units) + (size > len(units))
        column = []
        for row, j in enumerate(units):
            row += row >= SHOWN[0] and size > len(units)  # leave a row for ⋮
            vertices.append(Vertex(l * gap, ((rows - 1) / 2 - row) * row_gap, Label(str(j), str(j))))
            column.append((j, len(vertices) - 1))
        if size > len(units):
            vertices.append(Vertex(l * gap, ((rows - 1) / 2 - SHOWN[0]) * row_gap, Label(r"\vdots", "⋮"),
                                   circled=False))
        shown.append(column)
    arrows = []
    for l, layer in enumerate(network.layers, 1):
        for k, target in shown[l]:
            for j, source in shown[l - 1]:
                weight = Label(*brief(layer.weights[k - 1, j - 1])) if labelled else None
                arrows.append(Arrow(source, target, above=weight, position=WEIGHT_POSITION))
    notation = exercise.parts[0].conventions.notation
    headings = tuple(Heading(l * gap, _caption(network, l)) for l in range(len(sizes)))
    return Diagram("network", tuple(vertices), tuple(arrows), description=_description(labelled, sizes, notation),
                   alt="The network: " + ", ".join(heading.plain for heading in headings) + ".",
                   headings=headings)


def _shown_units(size: int) -> list[int]:
    if size <= MAX_UNITS:
        return list(range(1, size + 1))
    return [*range(1, SHOWN[0] + 1), *range(size - SHOWN[1] + 1, size + 1)]


def _caption(network: Network, l: int) -> tuple[Label, ...]:
    """A column's name in two short lines, so that the names of neighbouring columns stay apart."""
    if l == 0:
        noun = "input" if network.inputs == 1 else "inputs"
        return (Label(rf"{number(network.inputs, COUNTS)}\ \text{{{noun}}}", f"{plain_digits(float(network.inputs), COUNTS)} {noun}"),)
    layer = network.layers[l - 1]
    name = layer.activation.replace("_", " ")
    return (Label(rf"\text{{layer {l}}}", f"layer {l}"),
            Label(rf"{number(layer.units, COUNTS)} \times \text{{{name}}}",
                  f"{plain_digits(float(layer.units), COUNTS)} × {name}"))


def _description(labelled: bool, sizes: list[int], notation: Notation) -> str:
    text = "The network: a circle per unit, numbered in each layer, and an arrow from every unit to each unit of "\
           "the next layer"
    if labelled:
        weight = notation.layered(notation.weight, "l")
        text += (f"; on the arrow from unit $j$ to unit $k$ of layer $l$ stands its starting weight ${weight}_{{kj}}$, "
                 "to three significant figures, near unit $j$")
    else:
        text += f" (weights are written on the arrows of networks with at most {MAX_LABELLED} units per layer)"
    if max(sizes) > MAX_UNITS:
        text += f"; a layer of more than {MAX_UNITS} units shows its first {SHOWN[0]} and last {SHOWN[1]}"
    return text + "."
