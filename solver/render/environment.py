"""The Jinja2 environments, one per output format, over the templates shipped with byhand.

LaTeX templates use \\BLOCK{…}, \\VAR{…} and \\#{…} so that braces stay LaTeX's. Undefined
values fail loudly. Markdown and LaTeX are not auto-escaped: text from a file passes through the
`line` filter (a one-line field: titles, sources) or the `paragraphs` filter (a description), which
escape it for the format, and `cell` for a Markdown table; math arrives finished from the view, and
a sentence of the view (a fact, a picture's description) passes through `sentence`, which escapes
its prose and keeps its math.
HTML is auto-escaped, and its filters (solver/render/html.py) also turn the view's LaTeX into
MathML. README "Files from someone else" lists what each field may contain.
"""

from __future__ import annotations

from functools import cache

import jinja2

from solver.cache import cache_directory
from solver.render.latex_text import escape_latex
from solver.render.sentence import render_sentence
from solver.resources import templates_dir
from solver.text import one_line, printable

_MARKDOWN_SPECIALS = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# Markdown's inline syntax, escaped with a backslash (CommonMark allows one before any ASCII
# punctuation): links and images need [ ], code `, emphasis * _, tables |, strikethrough ~, math $,
# and # closes a heading wherever it stands at the end of one
_MARKDOWN_ACTIVE = set("\\`*_[]|~$#")


def escape_markdown(text: str) -> str:
    """Text that Markdown shows literally: no HTML tag or entity, no link or image, no emphasis,
    code span, table cell, math ($) or strikethrough; control characters become "?". Line breaks
    are kept (callers decide what a line break means, see `markdown_line`)."""
    return "".join(_MARKDOWN_SPECIALS.get(char) or _markdown_char(char) for char in printable(text))


def _markdown_char(char: str) -> str:
    return "\\" + char if char in _MARKDOWN_ACTIVE else char


def markdown_line(text: str) -> str:
    """A one-line field (a title, a source) for Markdown: white space and line breaks become one
    space, so a newline cannot start a heading or a list, and the line is escaped."""
    return _markdown_line_start(escape_markdown(one_line(text)))


def markdown_paragraphs(text: str) -> str:
    """A prose field (a description) for Markdown: paragraphs are separated by blank lines, a
    single line break is a space, and each paragraph is escaped like a one-line field."""
    return "\n\n".join(markdown_line(paragraph) for paragraph in _paragraphs(text))


def _markdown_line_start(line: str) -> str:
    """Escape what is active only at the start of a line: a list (- + 1.) or a rule (= -)."""
    if line[:1] in ("-", "+", "="):
        return "\\" + line
    digits = len(line) - len(line.lstrip("0123456789"))
    if digits and line[digits : digits + 1] in (".", ")"):
        return line[:digits] + "\\" + line[digits:]
    return line


def latex_line(text: str) -> str:
    """A one-line field for LaTeX: white space and line breaks become one space (a blank line
    would end the paragraph inside \\title or \\section), then escaped."""
    return escape_latex(one_line(text))


def latex_paragraphs(text: str) -> str:
    """A prose field for LaTeX: paragraphs separated by blank lines, each escaped as one line."""
    return "\n\n".join(latex_line(paragraph) for paragraph in _paragraphs(text))


def _paragraphs(text: str) -> list[str]:
    paragraphs, current = [], []
    for line in printable(text).splitlines():
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def markdown_sentence(text: str) -> str:
    """A sentence of the view (solver/render/sentence.py) for Markdown: the prose escaped, math
    kept between $…$ and code between backticks, on one line that starts no list."""
    return _markdown_line_start(render_sentence(one_line(text), escape_markdown, "${}$".format, "`{}`".format))


def latex_sentence(text: str) -> str:
    """A sentence of the view for LaTeX: the prose escaped, math kept between $…$, code in
    typewriter type."""
    return render_sentence(one_line(text), escape_latex, "${}$".format,
                           lambda code: rf"\texttt{{{escape_latex(code)}}}")


def markdown_cell(text: str) -> str:
    """Text for one cell of a Markdown table: escaped, on one line, so nothing ends the cell."""
    return escape_markdown(one_line(text))


_DELIMITERS = {
    "md": {},
    "html": {},
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
_FILTERS = {
    "md": {"line": markdown_line, "paragraphs": markdown_paragraphs, "sentence": markdown_sentence},
    "tex": {"line": latex_line, "paragraphs": latex_paragraphs, "sentence": latex_sentence},
}


@cache
def environment(format: str) -> jinja2.Environment:
    """The environment for "md", "tex" or "html", with every filter registered here."""
    cached = cache_directory()
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        # compiled templates kept across runs; Jinja checks each one against its source's checksum
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(cached)) if cached else None,
        undefined=jinja2.StrictUndefined,
        autoescape=format == "html",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        **_DELIMITERS[format],
    )
    if format == "html":
        from solver.render.html import FILTERS

        env.filters.update(FILTERS)
    else:
        env.filters.update(_FILTERS[format])
        env.filters["cell"] = markdown_cell
    return env
