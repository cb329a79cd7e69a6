"""Finished LaTeX (from solver/render/format.py and formula_latex.py) as MathML, for the HTML sheet.

latex2mathml (the optional extra ``byhand[html]``) parses the LaTeX into an XML tree. Its habits
are worked around here, on the tree and never on text: its `convert` un-escapes the whole
serialised document (so a `<` inside \\text{} would become markup); it has no `aligned`
environment, so an aligned display is built here as a table of rows whose cells it converts (a
cell's own row breaks, `\\\\ &`, become rows of that table); it writes a thousands group,
1{,}516, as three elements; and it drops the upright style of a single-letter \\mathrm{A}.
Every text is escaped once, by ElementTree, when the tree is serialised.
"""

from __future__ import annotations

import html
import re
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
    for left, right in (line for row in rows for line in _lines(*row)):
        row = SubElement(table, "mtr")
        for side, latex in (("left", left), ("right", right)):
            cell = SubElement(row, "mtd", {"class": side})
            cell.extend(_parse(latex, "inline"))
    return _serialise(root)


_TOKEN = re.compile(r"\\(?:[A-Za-z]+|.)|[{}&]|[^\\{}&]+", re.DOTALL)
_OPENS = {"{": "}", r"\begin": r"\end", r"\left": r"\right"}


def _lines(left: str, right: str) -> list[tuple[str, str]]:
    """The row (left, right) as the rows LaTeX's aligned sets: a row break `\\\\` in the right
    cell, outside any braces, environment or \\left…\\right, starts a new row, whose part before
    its `&` is the left cell (a wrapped sum's `\\\\ &\\quad + …` continues in the right one)."""
    lines, cell, closing = [[left, ""]], 1, []
    for token in _TOKEN.findall(right):
        if token in _OPENS:
            closing.append(_OPENS[token])
        elif closing and token == closing[-1]:
            closing.pop()
        elif not closing and token == "\\\\":
            lines.append(["", ""])
            cell = 0
            continue
        elif not closing and token == "&" and cell == 0:
            cell = 1
            continue
        lines[-1][cell] += token
    return [(left, right) for left, right in lines]


def _parse(latex: str, mode: str) -> Element:
    if not latex.strip() or latex.strip() == "{}":  # an empty cell; latex2mathml refuses nothing to parse
        return Element("math", {"xmlns": MATHML, "display": mode})
    try:
        element = _convert_to_element()(latex, display=mode)
    except Exception as error:  # the library raises its own types and plain ones for LaTeX it cannot read
        raise SolverError(f"cannot turn this LaTeX into MathML ({type(error).__name__}: {error}): {latex[:200]}") from None
    _decode(element)
    _join_thousands(element)
    _mark_unary_signs(element)
    return element


_LATIN = re.compile(r"[A-Za-z]")


def _decode(element: Element) -> None:
    """latex2mathml writes symbols as character references (``&#x003C3;``) inside the tree's text,
    relying on its un-escaping; turn them into the characters so that serialising escapes once.

    A Latin letter it writes as itself, except \\mathrm{A}, which its symbol table names as the
    letter's reference (&#x00041;) and which loses its upright style on the way; a one-letter <mi>
    is italic unless its mathvariant says otherwise, so that letter is marked upright here."""
    for node in element.iter():
        if node.text:
            decoded = html.unescape(node.text)
            if node.tag == "mi" and decoded != node.text and _LATIN.fullmatch(decoded):
                node.set("mathvariant", "normal")
            node.text = decoded
        if node.tail:
            node.tail = html.unescape(node.tail)


_GROUP = re.compile(r"\d{3}(\.\d*)?")


def _join_thousands(element: Element) -> None:
    """A number with grouped thousands, 1{,}516, is one <mn>1,516</mn>: latex2mathml makes it
    <mn>1</mn><mrow><mo>,</mo></mrow><mn>516</mn>, which a browser spaces like the list "1, 516".
    Only the braced comma is joined; a comma between arguments, f(1, 2), is a plain <mo>."""
    for parent in element.iter():
        children = list(parent)
        index = 0
        while index + 2 < len(children):
            number, comma, group = children[index:index + 3]
            if (number.tag == "mn" and _is_braced_comma(comma) and group.tag == "mn"
                    and _GROUP.fullmatch(group.text or "") and not number.tail and not comma.tail):
                number.text = f"{number.text},{group.text}"
                number.tail = group.tail
                parent.remove(comma)
                parent.remove(group)
                del children[index + 1:index + 3]
            else:
                index += 1


def _is_braced_comma(node: Element) -> bool:
    return node.tag == "mrow" and len(node) == 1 and node[0].tag == "mo" and node[0].text == "," and not node.text


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
