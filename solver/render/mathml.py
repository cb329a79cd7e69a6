"""Finished LaTeX (from solver/render/format.py) as MathML, for the HTML sheet.

latex2mathml (the optional extra ``byhand[html]``) parses the LaTeX into an XML tree. Two of its
habits are worked around here, on the tree and never on text: its `convert` un-escapes the whole
serialised document (so a `<` inside \\text{} would become markup), and it has no `aligned`
environment, so an aligned display is built here as a table of rows whose cells it converts.
Every text is escaped once, by ElementTree, when the tree is serialised.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import cache
from xml.etree.ElementTree import Element, SubElement, tostring

from solver.errors import MissingDependency, SolverError

MATHML = "http://www.w3.org/1998/Math/MathML"
INSTALL_HINT = 'the HTML format needs latex2mathml: pip install "byhand[html]" (or pip install latex2mathml)'


@cache
def _convert_to_element():
    try:
        from latex2mathml.converter import convert_to_element
    except ImportError:
        raise MissingDependency(INSTALL_HINT) from None
    return convert_to_element


def require() -> None:
    """Raise MissingDependency, with how to install it, when latex2mathml is missing."""
    _convert_to_element()


def inline(latex: str) -> str:
    """`latex` as an inline <math> element."""
    return _serialise(_parse(latex, "inline"))


def display(latex: str) -> str:
    """`latex` as a display (block) <math> element."""
    return _serialise(_parse(latex, "block"))


def aligned(rows: Sequence[tuple[str, str]]) -> str:
    """A display of equations aligned at their relation, as LaTeX's aligned environment sets
    them: each row is (left, right), LaTeX either side of the `&`; the right side starts with
    its relation (``= 0.5``). Cells carry the classes `left` and `right` for the style sheet."""
    root = Element("math", {"xmlns": MATHML, "display": "block"})
    table = SubElement(root, "mtable", {"class": "aligned", "displaystyle": "true"})
    for left, right in rows:
        row = SubElement(table, "mtr")
        for side, latex in (("left", left), ("right", right)):
            cell = SubElement(row, "mtd", {"class": side})
            cell.extend(_parse(latex, "inline"))
    return _serialise(root)


def _parse(latex: str, mode: str) -> Element:
    if not latex.strip() or latex.strip() == "{}":  # an empty cell; latex2mathml refuses nothing to parse
        return Element("math", {"xmlns": MATHML, "display": mode})
    try:
        element = _convert_to_element()(latex, display=mode)
    except Exception as error:  # the library raises its own types and plain ones for LaTeX it cannot read
        raise SolverError(f"cannot turn this LaTeX into MathML ({type(error).__name__}: {error}): {latex[:200]}") from None
    _decode(element)
    _mark_unary_signs(element)
    return element


def _decode(element: Element) -> None:
    """latex2mathml writes symbols as character references (``&#x003C3;``) inside the tree's text,
    relying on its un-escaping; turn them into the characters so that serialising escapes once."""
    for node in element.iter():
        if node.text:
            node.text = html.unescape(node.text)
        if node.tail:
            node.tail = html.unescape(node.tail)


_SIGNS = frozenset({"-", "\u2212", "+", "\u00b1"})


def _mark_unary_signs(element: Element) -> None:
    """A sign first in its row or right after another operator (= −1, (−3), e^{−1}) is unary, as
    TeX sets it; MathML would space it as a binary minus unless its form says prefix."""
    for parent in element.iter():
        previous = None
        for child in parent:
            if child.tag == "mo" and (child.text or "").strip() in _SIGNS and (previous is None or previous.tag == "mo"):
                child.set("form", "prefix")
            previous = child


def _serialise(element: Element) -> str:
    return tostring(element, encoding="unicode", short_empty_elements=False)
