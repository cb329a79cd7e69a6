"""Sheets: a solution rendered as Markdown, LaTeX or JSON."""

from __future__ import annotations

from solver.engine.steps import Solution
from solver.errors import SolverError

FORMATS = {"md": "sheet.md.j2", "tex": "sheet.tex.j2", "json": None}
EXTENSIONS = {"md": ".md", "tex": ".tex", "json": ".json"}


def render(solution: Solution, format: str = "md", precision: int | None = None) -> str:
    """The sheet of `solution` in `format` ("md", "tex" or "json")."""
    if format not in FORMATS:
        raise SolverError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    if precision is not None and not 1 <= precision <= 17:
        raise SolverError(f"precision must be between 1 and 17 significant figures, got {precision}")
    if format == "json":
        from solver.render.json_export import to_json

        return to_json(solution)
    from solver.render.environment import environment
    from solver.render.view import sheet_view

    return environment(format).get_template(FORMATS[format]).render(sheet=sheet_view(solution, precision))
