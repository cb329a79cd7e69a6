"""A step's symbol (the LaTeX the sheet shows) as plain Unicode text, for places that are read as
text: the comments of an answers template or key. \\frac{\\partial E}{\\partial w^{[2]}} reads
∂E/∂w^[2], \\sigma'\\left(z^{[2]}\\right) reads σ′(z^[2]), w^{[2]}_{\\mathrm{new}} reads w^[2]_new.
A function name (\\log, \\exp, \\operatorname{Var}…) stays a word apart from its argument: \\log p_{1}
reads log p_1.

It covers the LaTeX that step symbols are built from (tests/render/test_plain_math.py converts the
template of every shipped exercise); an unknown command is written as its name, without the
backslash, so no LaTeX is left in the text.
"""

from __future__ import annotations

import re

_NAMES = {
    **{name: chr(code) for name, code in [
        ("alpha", 0x3B1), ("beta", 0x3B2), ("gamma", 0x3B3), ("delta", 0x3B4), ("epsilon", 0x3F5),
        ("varepsilon", 0x3B5), ("zeta", 0x3B6), ("eta", 0x3B7), ("theta", 0x3B8), ("iota", 0x3B9),
        ("kappa", 0x3BA), ("lambda", 0x3BB), ("mu", 0x3BC), ("nu", 0x3BD), ("xi", 0x3BE), ("pi", 0x3C0),
        ("rho", 0x3C1), ("sigma", 0x3C3), ("tau", 0x3C4), ("upsilon", 0x3C5), ("phi", 0x3D5), ("varphi", 0x3C6),
        ("chi", 0x3C7), ("psi", 0x3C8), ("omega", 0x3C9), ("Gamma", 0x393), ("Delta", 0x394), ("Theta", 0x398),
        ("Lambda", 0x39B), ("Xi", 0x39E), ("Pi", 0x3A0), ("Sigma", 0x3A3), ("Phi", 0x3A6), ("Psi", 0x3A8),
        ("Omega", 0x3A9), ("vartheta", 0x3D1), ("varpi", 0x3D6), ("varrho", 0x3F1), ("varsigma", 0x3C2),
        ("Upsilon", 0x3A5)]},
    "partial": "∂", "nabla": "∇", "ell": "ℓ", "cdot": "·", "times": "×", "odot": "⊙", "sum": "∑",
    "infty": "∞", "prime": "′", "left": "", "right": "", "|": "‖", ",": " ", " ": " ", ";": " ",
}
_FONTS = {"mathrm", "text", "mathbf", "boldsymbol", "mathit", "mathsf", "mathcal", "bm"}
# LaTeX's function names (amsmath's list), written upright before their argument: \log p reads
# "log p", never "logp", which would read as a name of its own
_FUNCTIONS = {"arccos", "arcsin", "arctan", "arg", "cos", "cosh", "cot", "coth", "csc", "deg", "det", "dim", "exp",
              "gcd", "hom", "inf", "ker", "lg", "lim", "liminf", "limsup", "ln", "log", "max", "min", "Pr", "sec",
              "sin", "sinh", "sup", "tan", "tanh", "operatorname"}
_ACCENTS = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303", "dot": "\u0307", "vec": "\u20d7", "ddot": "\u0308",
            "check": "\u030c", "breve": "\u0306", "widehat": "\u0302", "widetilde": "\u0303", "overline": "\u0305"}
_OPERATORS = set("+-=<>/,;|") | {"−", "≤", "≥", "≠", "≈", "×", "·"}
"""After a symbol, these keep the space written before them: \theta + x reads θ + x."""
_TOKEN = re.compile(r"\\([A-Za-z]+|.)|(\s+)|(.)", re.DOTALL)
_SIMPLE = re.compile(r"[\w′\u0300-\u036f]+|\[[^\[\]]*\]|\([^()]*\)")
"""A script that needs no parentheses: a name, or one bracketed group ([2], (1))."""


def plain_math(latex: str) -> str:
    """`latex` as plain text: Greek letters and ∂ as themselves, a fraction as a/b, a script as
    ^x or _x (parenthesised when it is more than one name or bracket), \\left( \\right) as ( )."""
    text, _ = _read(latex, 0)
    return text.strip()


def _read(latex: str, position: int, stop: str | None = None) -> tuple[str, int]:
    """The text of `latex` from `position` up to the closing `stop` (or the end), and where it ended."""
    out = []
    after_function = False  # a letter or digit after a function name is a word of its own
    while position < len(latex):
        char = latex[position]
        if char == stop:
            return "".join(out), position + 1
        function = False
        if char in "^_":
            script, position = _argument(latex, position + 1)
            piece = char + (script if _SIMPLE.fullmatch(script) else f"({script})")
            if out and char in out[-1] and not out[-1].startswith(("^", "_")):
                out[-1] = f"({out[-1]})"  # {\sigma^2}^{[1]} reads (σ^2)^[1], not σ^2^[1]
        elif char == "{":
            piece, position = _read(latex, position + 1, "}")
        elif char == "'":
            piece, position = "′", position + 1
        else:
            match = _TOKEN.match(latex, position)
            position = match.end()
            command, space, other = match.groups()
            if other is not None:
                piece = other
            elif space is not None:
                piece = " "
            else:
                after_name = position
                skipped = _skip_space(latex, after_name) if command.isalpha() else after_name
                piece, position = _command(command, latex, skipped)
                function = command in _FUNCTIONS
                if piece and skipped > after_name and skipped < len(latex) and latex[skipped] in _OPERATORS:
                    piece += " "  # \theta + x reads θ + x (LaTeX eats the space, but ∂E stays ∂E)
        if after_function and piece[:1].isalnum():
            piece = " " + piece
        out.append(piece)
        # \left and \right write nothing: what follows them still follows the function
        after_function = function or (after_function and not piece)
    return "".join(out), position


def _command(name: str, latex: str, position: int) -> tuple[str, int]:
    if name == "frac":
        numerator, position = _argument(latex, position)
        denominator, position = _argument(latex, position)
        return f"{_grouped(numerator)}/{_grouped(denominator)}", position
    if name in _FONTS or name == "operatorname":
        return _argument(latex, position)
    if name in _ACCENTS:
        base, position = _argument(latex, position)
        return (base + _ACCENTS[name] if len(base) == 1 else f"{name}({base})"), position
    if name in ("left", "right") and latex.startswith(".", position):
        return "", position + 1  # \left. is no bracket at all
    return _NAMES.get(name, name), position


def _argument(latex: str, position: int) -> tuple[str, int]:
    """One argument: a braced group, a command, or one character."""
    position = _skip_space(latex, position)
    if position >= len(latex):
        return "", position
    if latex[position] == "{":
        return _read(latex, position + 1, "}")
    match = _TOKEN.match(latex, position)
    if match.group(1) is not None:
        return _command(match.group(1), latex, _skip_space(latex, match.end()))
    return match.group(0), match.end()


def _grouped(text: str) -> str:
    """A fraction's numerator or denominator, in parentheses when it is a sum or has a space."""
    return f"({text})" if re.search(r"[\s+\-/]", text) else text


def _skip_space(latex: str, position: int) -> int:
    while position < len(latex) and latex[position].isspace():
        position += 1
    return position
