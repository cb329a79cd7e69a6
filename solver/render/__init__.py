"""Sheets: a solution rendered as Markdown, LaTeX, PDF, HTML or JSON.

A sheet's pictures (a network, a graph) are TikZ in LaTeX (and so in the PDF), SVG elements inside
the HTML page, and in Markdown SVG images: files beside the sheet (`sheet-network.svg`,
`sheet-a.svg` beside `sheet.md`, see `render_with_images`) or, for a sheet printed or shown in a
notebook, inline as data URIs. Every format is text (str) except the PDF (bytes).
"""

from __future__ import annotations

import base64
from urllib.parse import quote

from solver.arguments import choice, flag, whole_number
from solver.engine.steps import Solution

FORMATS = {"md": "sheet.md.j2", "tex": "sheet.tex.j2", "html": "sheet.html.j2", "pdf": None, "json": None}
EXTENSIONS = {"md": ".md", "tex": ".tex", "html": ".html", "pdf": ".pdf", "json": ".json"}
DERIVATION_FORMATS = ("md", "tex")
"""The formats `byhand derive` writes (solver/derive.py)."""
BINARY_FORMATS = frozenset({"pdf"})
"""Formats whose sheet is bytes, not text."""


def require(format: str) -> None:
    """MissingDependency, saying how to install it, when what `format` needs is missing
    (latex2mathml for "html", pdflatex for "pdf"): checked before any work is done."""
    if format == "html":
        from solver.render import mathml

        mathml.require()
    elif format == "pdf":
        from solver.render import pdf

        pdf.require()


def render(solution: Solution, format: str = "md", precision: int | None = None, *,
           full: bool = False) -> str | bytes:
    """The sheet of `solution` in `format` ("md", "tex", "html", "pdf" or "json"): text, or bytes
    for "pdf". A Markdown sheet's pictures are inside it as data URIs, an HTML sheet's as SVG
    elements. Matrices with more than 10 rows or columns are elided unless `full` (JSON always
    holds every value). "html" needs latex2mathml and "pdf" pdflatex: MissingDependency says how
    to install one that is missing."""
    return _render(solution, format, precision, None, full)[0]


def render_with_images(solution: Solution, format: str, stem: str, precision: int | None = None, *,
                       full: bool = False) -> tuple[str | bytes, dict[str, str]]:
    """The sheet of `solution` and, by file name, the SVG images a Markdown sheet shows: one per
    part with a picture, ``stem-a.svg``, which the sheet links to as a file beside it."""
    return _render(solution, format, precision, stem, full)


def _render(solution: Solution, format: str, precision: int | None, stem: str | None, full: bool = False
            ) -> tuple[str | bytes, dict[str, str]]:
    format, full = choice(format, "format", FORMATS), flag(full, "full")
    if precision is not None:
        precision = whole_number(precision, "precision", 1, 17, "a number of significant figures")
    if format == "json":
        from solver.render.json_export import to_json

        return to_json(solution), {}
    if format == "pdf":
        from solver.render.pdf import compile_pdf

        return compile_pdf(_render(solution, "tex", precision, stem, full)[0]), {}
    require(format)  # before the work, so that a missing extra is one line at once
    from markupsafe import Markup

    from solver.render.drawing import svg, tikz
    from solver.render.environment import environment
    from solver.render.view import sheet_view

    sheet = sheet_view(solution, precision, full)
    figures: dict[str, str] = {}
    images: dict[str, str] = {}
    for picture in sheet.pictures:
        if format == "tex":
            figures[picture.name] = tikz(picture)
            continue
        if format == "html":
            figures[picture.name] = Markup(svg(picture, marker=f"head-{picture.name}"))
            continue
        image = svg(picture)
        if stem is None:
            source = "data:image/svg+xml;base64," + base64.b64encode(image.encode()).decode("ascii")
        else:
            name = f"{stem}-{picture.name}.svg"
            images[name] = image
            source = quote(name)
        figures[picture.name] = f"![{picture.alt}]({source})"
    return environment(format).get_template(FORMATS[format]).render(sheet=sheet, figures=figures), images
