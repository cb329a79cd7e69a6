"""A sentence of the view (a fact, a picture's description): plain prose, with math between $…$
and a command or key between backticks. The view writes no escape of any format; each format's
`sentence` filter (solver/render/environment.py, solver/render/html.py) escapes the prose for
itself and places the math and the code in its own way."""

from __future__ import annotations

import re
from collections.abc import Callable

_PIECES = re.compile(r"\$([^$]+)\$|`([^`]+)`")


def render_sentence(text: str, prose: Callable[[str], str], math: Callable[[str], str],
                    code: Callable[[str], str]) -> str:
    """`text` with each piece of prose, math (the LaTeX between $…$) and code (between backticks)
    written by its function, in order."""
    pieces, at = [], 0
    for match in _PIECES.finditer(text):
        pieces.append(prose(text[at : match.start()]))
        latex, command = match.groups()
        pieces.append(math(latex) if latex is not None else code(command))
        at = match.end()
    pieces.append(prose(text[at:]))
    return "".join(pieces)
