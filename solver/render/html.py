"""The HTML environment's filters: prose escaped for HTML, finished LaTeX turned into MathML.

The HTML environment auto-escapes, so a string a template places without one of these filters is
shown as text. Each filter returns Markup: escaped prose, or MathML from solver/render/mathml.py
(which escapes every text it holds).
"""

from __future__ import annotations

import re
from html import escape

from markupsafe import Markup

from solver.render import mathml
from solver.render.sentence import render_sentence
from solver.text import one_line, printable


def html_text(text: str) -> str:
    """Text that HTML shows literally (& < > " ' as entities); control characters become "?"."""
    return escape(printable(text), quote=True)


def html_line(text: str) -> Markup:
    """A one-line field (a title, a source): white space and line breaks become one space."""
    return Markup(html_text(one_line(text)))


def html_paragraphs(text: str) -> Markup:
    """A prose field (a description): each paragraph, separated by blank lines, as a <p>."""
    paragraphs = re.split(r"\n[ \t]*\n", printable(text).strip())
    return Markup("\n".join(f"<p>{html_line(paragraph)}</p>" for paragraph in paragraphs if paragraph.strip()))


def sentence(text: str) -> Markup:
    """A sentence of the view (solver/render/sentence.py): its prose escaped, $…$ as inline MathML,
    `…` as code."""
    return Markup(render_sentence(text, html_text, mathml.inline, lambda code: f"<code>{html_text(code)}</code>"))


def math(latex: str) -> Markup:
    """Finished LaTeX (a table cell or header) as inline MathML."""
    return Markup(mathml.inline(latex))


def equation(equation) -> Markup:
    """An Equation of the view as its aligned lines: symbol = formula = numbers = result."""
    rows = [(equation.symbol if index == 0 else "", "= " + line) for index, line in enumerate(equation.lines)]
    return Markup(mathml.aligned(rows))


def compact(block) -> Markup:
    """A compact Block (each equation a single value) as one aligned display, a row per equation."""
    return Markup(mathml.aligned([(item.symbol, "= " + item.lines[0]) for item in block.equations]))


FILTERS = {"line": html_line, "paragraphs": html_paragraphs, "cell": html_line, "sentence": sentence,
           "math": math, "equation": equation, "compact": compact}
