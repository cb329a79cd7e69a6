"""Pictures on a sheet: vertices at positions and arrows between them, each label already written
both as LaTeX (for TikZ) and as plain text (for SVG). A kind builds a Diagram from its steps
(labels through solver/render/format.py); solver/render/drawing.py draws it.

Positions are in centimetres on the page, x to the right and y up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

COLUMN_GAP = 2.8
"""Centimetres between two columns: room for a label such as −0.393 on an arrow, unless the
picture would then be wider than WIDTH; never less than 1.7."""
ROW_GAP = 1.7
WIDTH = 16.0
"""The width of a LaTeX sheet's text (A4 with 2 cm margins is 17 cm)."""


@dataclass(frozen=True)
class Label:
    """The same text for both drawings: `latex` goes between $…$ in TikZ, `plain` into SVG."""

    latex: str
    plain: str


@dataclass(frozen=True)
class Vertex:
    """A gate drawn as a circle (`circled`) or a value written as text; `caption` stands small above
    it and `total` (a gradient, red) below it."""

    x: float
    y: float
    label: Label
    circled: bool = True
    caption: Label | None = None
    total: Label | None = None


@dataclass(frozen=True)
class Heading:
    """Small text standing above the whole picture over x, such as the name of a column: above every
    vertex and arrow, so that no arrow crosses it; `lines` from the top down, centred on x."""

    x: float
    lines: tuple[Label, ...]

    @property
    def plain(self) -> str:
        return ": ".join(line.plain for line in self.lines)


@dataclass(frozen=True)
class Arrow:
    """From vertex `source` to vertex `target` (indices), with a label above and one below it, at
    `position` along the arrow (0.5: half way)."""

    source: int
    target: int
    above: Label | None = None
    below: Label | None = None
    position: float = 0.5


@dataclass(frozen=True)
class Diagram:
    """What a picture shows. `description` is one sentence (math between $…$) saying how to read
    it; `alt` is the same in plain words, for a screen reader or a missing image."""

    name: str
    """Names the picture's file beside a Markdown sheet: ``sheet-NAME.svg``."""
    vertices: tuple[Vertex, ...]
    arrows: tuple[Arrow, ...]
    description: str
    alt: str
    headings: tuple[Heading, ...] = ()


def layered_positions(names: Sequence[str], inputs: Mapping[str, Sequence[str]]) -> dict[str, tuple[float, float]]:
    """(x, y) of each name in a left-to-right drawing of a graph without cycles. A name stands one
    column right of the rightmost name it takes as input; a name without inputs (a given value)
    one column left of the first name that takes it, so that its arrow is short. In a column, the
    names with inputs come first, ordered by the average height of their inputs, then the given
    values in the order given; each column is centred on y = 0. `names` are in an order where
    every input comes before the names that take it."""
    column: dict[str, int] = {}
    for name in names:
        column[name] = 1 + max((column[source] for source in inputs.get(name, ())), default=-1)
    for name in names:
        if not inputs.get(name):
            takers = [column[taker] for taker in names if name in inputs.get(taker, ())]
            column[name] = min(takers, default=1) - 1
    height: dict[str, float] = {}
    for index in range(max(column.values(), default=-1) + 1):
        members = [name for name in names if column[name] == index]
        computed = sorted((name for name in members if inputs.get(name)),
                          key=lambda name: -_mean(height[source] for source in inputs[name]))
        members = computed + [name for name in members if not inputs.get(name)]
        for row, name in enumerate(members):
            height[name] = ((len(members) - 1) / 2 - row) * ROW_GAP
    columns = max(column.values(), default=0)
    gap = max(1.7, min(COLUMN_GAP, WIDTH / columns)) if columns else COLUMN_GAP
    return {name: (column[name] * gap, height[name]) for name in names}


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0
