"""Text from an exercise file as LaTeX that pdflatex prints literally, character for character.

The sheet is set in Computer Modern with LaTeX's default OT1 encoding, so that it needs nothing
beyond texlive-latex-base. `escape_latex` therefore:
- escapes LaTeX's specials (`\\input` prints as text), tagging _ ^ ~ (see \\byhandchar below);
- breaks TeX's ligatures (-- --- `` '' ?` !` << >> ,,) with an empty group, so `--` stays two hyphens;
- writes Greek letters and math symbols as math, accented Latin letters as accent commands (from
  their Unicode decomposition, so every letter with one of the usual accents works) and ł ø ß æ œ å
  and their kin as LaTeX's letters;
- wraps each of those in \\byhandchar{<UTF-16 hex>}{<drawing>}, which sheet.tex.j2 defines: the PDF
  carries the character itself as ActualText, so copying, searching or pdftotext finds ł and ∑,
  not the l and stroke or the big-operator glyph they are drawn with;
- writes any other character (日, a letter with two accents, an emoji) as its code point in
  typewriter type, [U+65E5]: visible and honest where pdflatex has no glyph for it, never a silent "?".
Control characters, which no sheet shows, become "?" as everywhere in byhand.
"""

from __future__ import annotations

import unicodedata

_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "%": r"\%",
    # OT1 has no straight double quote in the roman font: " would print as ”
    '"': r"\texttt{\char34}",
}
# Pairs of characters that Computer Modern (or T1 fonts) set as one glyph: -- is an en dash,
# `` a curly quote, ?` an inverted question mark, << a guillemet
_LIGATURES = {("-", "-"), ("`", "`"), ("'", "'"), ("?", "`"), ("!", "`"), ("<", "<"), (">", ">"), (",", ",")}

_GREEK = {
    **dict(zip("αβγδζηθικλμνξπρστυχψω",
               r"\alpha \beta \gamma \delta \zeta \eta \theta \iota \kappa \lambda \mu \nu \xi \pi \rho \sigma \tau "
               r"\upsilon \chi \psi \omega".split())),
    # the usual shapes of ε and φ are TeX's \varepsilon and \varphi; ϵ and ϕ are \epsilon and \phi
    "ε": r"\varepsilon", "φ": r"\varphi", "ϵ": r"\epsilon", "ϕ": r"\phi", "ς": r"\varsigma", "ϑ": r"\vartheta",
    "ϱ": r"\varrho", "ϖ": r"\varpi", "ϰ": r"\varkappa", "µ": r"\mu",
    **dict(zip("ΓΔΘΛΞΠΣΥΦΨΩ", r"\Gamma \Delta \Theta \Lambda \Xi \Pi \Sigma \Upsilon \Phi \Psi \Omega".split())),
    # the capitals that look Latin are the Latin letter in math (upright), ο is an o
    **{greek: rf"\mathrm{{{latin}}}" for greek, latin in zip("ΑΒΕΖΗΙΚΜΝΟΡΤΧο", "ABEZHIKMNOPTXo")},
}
_MATH = {
    "√": r"\surd", "∞": r"\infty", "∫": r"\int", "∮": r"\oint", "∑": r"\sum", "∏": r"\prod", "∂": r"\partial",
    "∇": r"\nabla", "∆": r"\Delta", "×": r"\times", "·": r"\cdot", "⋅": r"\cdot", "∘": r"\circ", "−": "-",
    "±": r"\pm", "∓": r"\mp", "÷": r"\div", "≤": r"\leq", "≥": r"\geq", "≠": r"\neq", "≈": r"\approx",
    "≡": r"\equiv", "∼": r"\sim", "≃": r"\simeq", "≅": r"\cong", "∝": r"\propto", "≪": r"\ll", "≫": r"\gg",
    "∈": r"\in", "∉": r"\notin", "∋": r"\ni", "⊂": r"\subset", "⊃": r"\supset", "⊆": r"\subseteq",
    "⊇": r"\supseteq", "∪": r"\cup", "∩": r"\cap", "∅": r"\emptyset", "∀": r"\forall", "∃": r"\exists",
    "¬": r"\neg", "∧": r"\wedge", "∨": r"\vee", "→": r"\to", "←": r"\leftarrow", "↔": r"\leftrightarrow",
    "⇒": r"\Rightarrow", "⇐": r"\Leftarrow", "⇔": r"\Leftrightarrow", "↦": r"\mapsto", "↑": r"\uparrow",
    "↓": r"\downarrow", "′": r"{}^\prime", "″": r"{}^{\prime\prime}", "‖": r"\|", "⊙": r"\odot", "⊗": r"\otimes",
    "⊕": r"\oplus", "⌈": r"\lceil", "⌉": r"\rceil", "⌊": r"\lfloor", "⌋": r"\rfloor", "⟨": r"\langle",
    "⟩": r"\rangle", "ℓ": r"\ell", "ℝ": r"\mathbb{R}", "ℕ": r"\mathbb{N}", "ℤ": r"\mathbb{Z}",
    "ℚ": r"\mathbb{Q}", "ℂ": r"\mathbb{C}", "°": r"^\circ", "¹": "^1", "²": "^2", "³": "^3", "½": r"\tfrac12",
    "¼": r"\tfrac14", "¾": r"\tfrac34",
    # OT1 has no glyph for these: < > | would print as ¡ ¿ —, « » as nothing
    "<": "<", ">": ">", "|": "|", "«": r"\ll", "»": r"\gg",
}
_TEXT = {
    "–": "--", "—": "---", "…": r"\ldots{}", "“": "``", "”": "''", "‘": "`", "’": "'", "„": ",{},", "¡": "!`",
    "¿": "?`", "§": r"\S{}", "¶": r"\P{}", "†": r"\dag{}", "‡": r"\ddag{}", "©": r"\copyright{}",
    "£": r"\pounds{}", "•": r"\textbullet{}",
    "ł": r"\l{}", "Ł": r"\L{}", "ø": r"\o{}", "Ø": r"\O{}", "ß": r"\ss{}", "æ": r"\ae{}", "Æ": r"\AE{}",
    "œ": r"\oe{}", "Œ": r"\OE{}", "å": r"\aa{}", "Å": r"\AA{}", "ı": r"\i{}", "ȷ": r"\j{}",
    # OT1 has no thorn or eth: drawn as the letters they are written as in English
    "Þ": "Th", "þ": "th", "Ð": "D", "ð": "d",
}
# specials that OT1 draws with other glyphs: \_ is a rule, ^ and ~ are accents, which the PDF's text
# would read as a space, ˆ and ˜
_DRAWN_SPECIALS = {"_": r"\texttt{\char95}", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}
_DRAWN = {
    **{char: rf"\ensuremath{{{latex}}}" for char, latex in {**_GREEK, **_MATH}.items()},
    **_TEXT,
    **_DRAWN_SPECIALS,
}
_OGONEK = "\u0328"
# combining mark (from NFD) -> accent command; the ogonek is sheet.tex.j2's, OT1 has none
_ACCENTS = {
    "\u0301": "\\'", "\u0300": "\\`", "\u0302": "\\^", "\u0308": '\\"', "\u0303": "\\~", "\u030b": r"\H",
    "\u030c": r"\v", "\u0327": r"\c", "\u030a": r"\r", "\u0304": "\\=", "\u0306": r"\u", "\u0307": "\\.",
    _OGONEK: None, "\u0323": r"\d", "\u0331": r"\b",
}
_BELOW = {"\u0327", _OGONEK, "\u0323", "\u0331"}
"""Marks under the letter: an i or j keeps its dot."""


def escape_latex(text: str) -> str:
    """`text` as LaTeX that prints it literally (see the module's docstring); a control character
    becomes "?"."""
    pieces = [_latex_char(char) for char in unicodedata.normalize("NFC", text)]
    joined = pieces[:1]
    for before, after in zip(pieces, pieces[1:]):
        if (before[-1], after[0]) in _LIGATURES:
            joined.append("{}")
        joined.append(after)
    return "".join(joined)


def _latex_char(char: str) -> str:
    if char in _SPECIALS:
        return _SPECIALS[char]
    if char in _DRAWN:
        return _with_actual_text(char, _DRAWN[char])
    if " " <= char <= "~" or char in "\n\t":
        return char
    if not char.isprintable():
        return "?"
    accented = _accented(char)
    if accented is not None:
        return accented
    return rf"\texttt{{[U+{ord(char):04X}]}}"


def _accented(char: str) -> str | None:
    """A letter with one accent as an accent command (é -> \\'{e}), tagged, or None when its base letter
    or its mark has no LaTeX here. TeX cannot put an accent on an accented letter (ǖ): None."""
    base, *marks = unicodedata.normalize("NFD", char)
    if len(marks) != 1 or marks[0] not in _ACCENTS:
        return None
    if base in _TEXT and base.isalpha():
        letter = _TEXT[base]
    elif "A" <= base <= "Z" or "a" <= base <= "z":
        letter = base
    else:
        return None
    if base in "ij" and marks[0] not in _BELOW:
        letter = rf"\{base}"  # the dotless i or j under an accent
    if marks[0] == _OGONEK:
        # drawn mirrored, which would hide the letter from the PDF's text: the macro tags the letter
        return rf"\byhandogonek{{{_utf16(char)}}}{{{letter}}}"
    return _with_actual_text(char, f"{_ACCENTS[marks[0]]}{{{letter}}}")


def _with_actual_text(char: str, drawing: str) -> str:
    """The drawing, tagged in the PDF with the character it stands for (UTF-16, as PDF wants)."""
    return rf"\byhandchar{{{_utf16(char)}}}{{{drawing}}}"


def _utf16(char: str) -> str:
    return char.encode("utf-16-be").hex().upper()
