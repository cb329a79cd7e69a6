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
# Characters that course notes use in prose and pdflatex cannot typeset from UTF-8 on its own
_LATEX_SYMBOLS = {
    **{greek: rf"\ensuremath{{\{name}}}" for greek, name in zip(
        "αβγδεζηθικλμνξπρστυφχψωΓΔΘΛΞΠΣΦΨΩ",
        "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau upsilon phi chi "
        "psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega".split())},
    "−": "-", "–": "--", "—": "---", "…": r"\ldots{}", "“": "``", "”": "''", "‘": "`", "’": "'",
    "×": r"\ensuremath{\times}", "·": r"\ensuremath{\cdot}", "∘": r"\ensuremath{\circ}", "→": r"\ensuremath{\to}",
    "≤": r"\ensuremath{\leq}", "≥": r"\ensuremath{\geq}", "≠": r"\ensuremath{\neq}", "≈": r"\ensuremath{\approx}",
    "∂": r"\ensuremath{\partial}", "∇": r"\ensuremath{\nabla}", "∑": r"\ensuremath{\sum}", "½": r"\ensuremath{\tfrac12}",
    "²": r"\ensuremath{^2}", "³": r"\ensuremath{^3}", "′": r"\ensuremath{'}", "∈": r"\ensuremath{\in}",
}


def escape_latex(text: str) -> str:
    """Prose that prints literally inside a LaTeX document. Specials are escaped, common math
    symbols and Greek letters become their LaTeX, Latin-1 letters pass through, and anything
    else pdflatex cannot typeset, or a control character, becomes "?"."""
    return "".join(_latex_char(char) for char in text)


def _latex_char(char: str) -> str:
    if char in _LATEX_SPECIALS:
        return _LATEX_SPECIALS[char]
    if char in _LATEX_SYMBOLS:
        return _LATEX_SYMBOLS[char]
    if char in "\n\t" or " " <= char <= "~" or "\u00c0" <= char <= "\u00ff":
        return char
    return "?"


def printable(text: str) -> str:
    """Text with every control character (a terminal escape, a NUL) shown as "?"."""
    return "".join(char if char.isprintable() or char in "\n\t" else "?" for char in str(text))


def escape_markdown(text: str) -> str:
    """Prose that cannot open an HTML tag in Markdown."""
    return "".join(_MARKDOWN_SPECIALS.get(char, char) for char in printable(text))


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
