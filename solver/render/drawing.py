"""A Diagram drawn as TikZ (for the LaTeX sheet) or as a standalone SVG image (beside the Markdown
sheet). Both show the same thing: circles for gates, text for values, arrows with a green label
above (a value) and a red one below (a gradient), as the CS231n notes draw a graph."""

from __future__ import annotations

import math
from html import escape

from solver.render.diagram import Arrow, Diagram, Label, Vertex

GREEN = "#1b7a2f"
RED = "#b3261e"
GREY = "#5f6368"

_TIKZ_STYLES = (
    r"gate/.style={circle, draw, thick, minimum size=8mm, inner sep=1pt, font=\small}, "
    r"value/.style={inner sep=3pt}, "
    r"forward/.style={font=\scriptsize, inner sep=2.5pt, text={rgb,255:red,27;green,122;blue,47}}, "
    r"backward/.style={font=\scriptsize, inner sep=2.5pt, text={rgb,255:red,179;green,38;blue,30}}, "
    r"caption/.style={font=\scriptsize, text={rgb,255:red,95;green,99;blue,104}}"
)


def tikz(diagram: Diagram) -> str:
    """A tikzpicture, centred; the sheet's preamble loads TikZ when a sheet has one."""
    lines = [r"\begin{center}", rf"\begin{{tikzpicture}}[>=stealth, {_TIKZ_STYLES}]"]
    for index, vertex in enumerate(diagram.vertices):
        style = "gate" if vertex.circled else "value"
        if vertex.caption:
            style += rf", label={{[caption]above:${vertex.caption.latex}$}}"
        if vertex.total:
            style += rf", label={{[backward]below:${vertex.total.latex}$}}"
        lines.append(rf"\node[{style}] (v{index}) at ({vertex.x:.2f}, {vertex.y:.2f}) {{${vertex.label.latex}$}};")
    top = max((vertex.y for vertex in diagram.vertices), default=0.0) + HEADING_RISE
    for heading in diagram.headings:
        text = r" \\ ".join(f"${line.latex}$" for line in heading.lines)
        lines.append(rf"\node[caption, anchor=south, align=center] at ({heading.x:.2f}, {top:.2f}) {{{text}}};")
    for arrow in diagram.arrows:
        labels = ""
        if arrow.above:
            labels += rf" node[pos={arrow.position:g}, sloped, above=1pt, forward] {{${arrow.above.latex}$}}"
        if arrow.below:
            labels += rf" node[pos={arrow.position:g}, sloped, below=1pt, backward] {{${arrow.below.latex}$}}"
        lines.append(rf"\draw[->, thick] (v{arrow.source}) --{labels} (v{arrow.target});")
    lines += [r"\end{tikzpicture}", r"\end{center}"]
    return "\n".join(lines)


HEADING_RISE = 0.45
"""Centimetres from the centre of the highest vertex up to the foot of a heading: clear of its circle."""
SCALE = 56.0
"""Pixels per centimetre of the diagram."""
RADIUS = 17.0
FONT = 14.0
SMALL = 12.0
MARGIN = 36.0
LINE = SMALL + 3
"""Pixels from one line of a heading to the next."""


def svg(diagram: Diagram, marker: str = "head") -> str:
    """A standalone SVG document of `diagram` (every text escaped for XML). `marker` is the id of
    its arrowhead, which must differ between pictures placed in one HTML page."""
    extents = [(v.x * SCALE, _half_extent(v)) for v in diagram.vertices]
    extents += [(h.x * SCALE, _text_width(line, SMALL) / 2) for h in diagram.headings for line in h.lines]
    left = min([x - half for x, half in extents] or [0.0])
    right = max([x + half for x, half in extents] or [0.0])
    top = max([v.y for v in diagram.vertices] or [0.0])
    bottom = min([v.y for v in diagram.vertices] or [0.0])
    head = (max((len(h.lines) for h in diagram.headings), default=1) - 1) * LINE  # room for headings' upper lines
    width = right - left + 2 * MARGIN
    height = (top - bottom) * SCALE + 2 * MARGIN + head

    def point(vertex: Vertex) -> tuple[float, float]:
        return (MARGIN + vertex.x * SCALE - left, MARGIN + head + (top - vertex.y) * SCALE)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{escape(diagram.alt)}" '
        'font-family="DejaVu Sans, Helvetica, Arial, sans-serif">',
        f"<title>{escape(diagram.alt)}</title>",
        '<defs><marker id="' + escape(marker) + '" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="black"/></marker></defs>',
        '<rect width="100%" height="100%" fill="white"/>',
    ]
    for arrow in diagram.arrows:
        parts += _svg_arrow(arrow, diagram, point, marker)
    for vertex in diagram.vertices:
        x, y = point(vertex)
        if vertex.circled:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{RADIUS:.0f}" fill="white" stroke="black" '
                         'stroke-width="1.6"/>')
        size = FONT if len(vertex.label.plain) < 3 or not vertex.circled else SMALL - 1
        parts.append(_text(vertex.label, x, y + size * 0.35, size, "black"))
        if vertex.caption:
            parts.append(_text(vertex.caption, x, y - RADIUS - 6, SMALL, GREY))
        if vertex.total:
            below = RADIUS if vertex.circled else FONT * 0.6
            parts.append(_text(vertex.total, x, y + below + SMALL + 4, SMALL, RED))
    for heading in diagram.headings:
        for above, line in enumerate(reversed(heading.lines)):  # the last line just above the highest circle
            parts.append(_text(line, MARGIN + heading.x * SCALE - left, MARGIN + head - RADIUS - 6 - above * LINE, SMALL, GREY))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _svg_arrow(arrow: Arrow, diagram: Diagram, point, marker: str) -> list[str]:
    source, target = diagram.vertices[arrow.source], diagram.vertices[arrow.target]
    (x1, y1), (x2, y2) = point(source), point(target)
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    start, end = _clearance(source, ux, uy), _clearance(target, ux, uy)
    ax, ay, bx, by = x1 + ux * start, y1 + uy * start, x2 - ux * (end + 2), y2 - uy * (end + 2)
    parts = [f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" y2="{by:.1f}" stroke="black" stroke-width="1.4" '
             'marker-end="url(#' + escape(marker) + ')"/>']
    mx, my = ax + (bx - ax) * arrow.position, ay + (by - ay) * arrow.position
    angle = math.degrees(math.atan2(uy, ux))
    for label, offset, colour in ((arrow.above, -5.0, GREEN), (arrow.below, SMALL + 3.0, RED)):
        if label:  # the normal (−uy, ux) points down the page for an arrow to the right
            nx, ny = -uy * offset, ux * offset
            parts.append(_text(label, mx + nx, my + ny, SMALL, colour, rotate=angle))
    return parts


def _clearance(vertex: Vertex, ux: float, uy: float) -> float:
    """How far from its centre an arrow starts or ends at `vertex`: the circle, or the text's box."""
    if vertex.circled:
        return RADIUS
    half_width, half_height = _text_width(vertex.label) / 2 + 4, FONT * 0.6
    return min(half_width / abs(ux) if ux else math.inf, half_height / abs(uy) if uy else math.inf)


def _half_extent(vertex: Vertex) -> float:
    """Half the width a vertex takes with the texts above and below it."""
    own = RADIUS if vertex.circled else _text_width(vertex.label) / 2 + 4
    texts = [label for label in (vertex.caption, vertex.total) if label]
    return max([own, *(_text_width(label, SMALL) / 2 for label in texts)])


def _text_width(label: Label, size: float = FONT) -> float:
    return 0.62 * size * len(label.plain)


def _text(label: Label, x: float, y: float, size: float, colour: str, rotate: float = 0.0) -> str:
    turn = f' transform="rotate({rotate:.1f} {x:.1f} {y:.1f})"' if abs(rotate) > 0.05 else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:.0f}" fill="{colour}" text-anchor="middle"{turn}>'
            f"{escape(label.plain)}</text>")
