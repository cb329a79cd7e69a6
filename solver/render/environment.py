"""The Jinja2 environments, one per output format, over the templates shipped with byhand.

LaTeX templates use \\BLOCK{…}, \\VAR{…} and \\#{…} so that braces stay LaTeX's. Undefined
values fail loudly. Nothing is auto-escaped: prose passes through the `text` filter, which
escapes it for the format; math arrives finished from the view.
"""

from __future__ import annotations

from functools import cache

import jinja2

from solver.resources import templates_dir

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\textasciicircum{}",
    "_": r"\_",
    "%": r"\%",
    "~": r"\textasciitilde{}",
}
_MARKDOWN_SPECIALS = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def escape_latex(text: str) -> str:
    """Prose that prints literally inside a LaTeX document."""
    return "".join(_LATEX_SPECIALS.get(char, char) for char in text)


def escape_markdown(text: str) -> str:
    """Prose that cannot open an HTML tag in Markdown."""
    return "".join(_MARKDOWN_SPECIALS.get(char, char) for char in text)


def markdown_cell(text: str) -> str:
    """Text for one cell of a Markdown table: escaped, with no | or line break to end the cell."""
    return escape_markdown(str(text)).replace("|", "\\|").replace("`", "'").replace("\n", " ")


_DELIMITERS = {
    "md": {},
    "tex": {
        "block_start_string": r"\BLOCK{",
        "block_end_string": "}",
        "variable_start_string": r"\VAR{",
        "variable_end_string": "}",
        "comment_start_string": r"\#{",
        "comment_end_string": "}",
        "line_statement_prefix": None,
    },
}
_ESCAPES = {"md": escape_markdown, "tex": escape_latex}


@cache
def environment(format: str) -> jinja2.Environment:
    """The environment for "md" or "tex", with every filter registered here."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        **_DELIMITERS[format],
    )
    env.filters["text"] = _ESCAPES[format]
    env.filters["cell"] = markdown_cell
    return env
