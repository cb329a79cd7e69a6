"""Text from an exercise file as LaTeX that pdflatex prints literally, character for character.

The sheet is set in Computer Modern with LaTeX's default OT1 encoding, so that it needs nothing
beyond texlive-latex-base. `escape_latex` therefore:
- escapes LaTeX's specials (`\\input` prints as text), tagging _ ^ ~ (see \\byhandchar below);
- breaks TeX's ligatures (-- --- `` '' ?` !` ,,) with an empty group, so `--` stays two hyphens;
- writes Greek letters and math symbols as math, accented Latin letters as accent commands (from
  their Unicode decomposition, so every letter with one of the usual accents works), a Greek letter
  with marks or a letter with stacked marks as math accents (θ̂, ǖ), and ł ø ß æ œ å and their kin as
  LaTeX's letters; a letter and the combining marks typed after it are one (x̂ has no precomposed
  form, so NFC leaves it two characters);
- writes superscript and subscript characters (ᵀ ⁻ ¹ ᵢ ₀) as math superscripts and subscripts, a
  run of them as one (X⁻¹ is X^{-1}: two would be TeX's "double superscript" error);
- wraps each of those in \\byhandchar{<UTF-16 hex>}{<drawing>}, which sheet.tex.j2 defines: the PDF
  carries the character itself as ActualText, so copying, searching or pdftotext finds ł and ∑,
  not the l and stroke or the big-operator glyph they are drawn with;
- writes any other character (日, a mark on no letter LaTeX has here, an emoji) as its code point in
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
# `` a curly quote, ?` an inverted question mark (< and > are drawn as math, never side by side as text)
_LIGATURES = {("-", "-"), ("`", "`"), ("'", "'"), ("?", "`"), ("!", "`"), (",", ",")}

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
    "ℚ": r"\mathbb{Q}", "ℂ": r"\mathbb{C}", "°": r"^\circ", "½": r"\tfrac12",
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
# specials that OT1 draws with other glyphs: \_ is a rule, \textasciicircum and \textasciitilde are
# raised accents, which the PDF's text would read as a space, ˆ and ˜; typewriter type has all three
_DRAWN_SPECIALS = {"_": r"\texttt{\char95}", "^": r"\texttt{\char94}", "~": r"\texttt{\char126}"}
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
# combining mark -> math accent, for a letter that has no accent command (θ̂, x⃗)
_MATH_ACCENTS = {
    "\u0302": r"\hat", "\u0303": r"\tilde", "\u0304": r"\bar", "\u0305": r"\bar", "\u0307": r"\dot",
    "\u0308": r"\ddot", "\u0301": r"\acute", "\u0300": r"\grave", "\u0306": r"\breve", "\u030c": r"\check",
    "\u030a": r"\mathring", "\u20d7": r"\vec",
}
MAX_MARKS = 4
"""Marks stacked on one letter that are drawn as accents; a letter with more (from a hostile file:
TeX allows 255 nested groups) is written letter and marks apart, each mark as its code point."""
# the tag of a superscript or subscript character's Unicode decomposition -> TeX's
_SCRIPTS = {"<super>": "^", "<sub>": "_"}


def escape_latex(text: str) -> str:
    """`text` as LaTeX that prints it literally (see the module's docstring); a control character
    becomes "?"."""
    pieces = [_latex_unit(unit) for unit in _units(unicodedata.normalize("NFC", text))]
    joined = pieces[:1]
    for before, after in zip(pieces, pieces[1:]):
        if (before[-1], after[0]) in _LIGATURES:
            joined.append("{}")
        joined.append(after)
    return "".join(joined)


def _units(text: str) -> list[str]:
    """`text` cut into what is drawn as one piece: a character with the combining marks after it
    (x̂, which NFC cannot compose), a run of superscripts (⁻¹, one ^{-1}: TeX refuses a double
    superscript) or a run of subscripts, or any other character alone."""
    units: list[str] = []
    run = None  # "^" or "_" while the last unit is a run of superscripts or of subscripts
    for char in text:
        script = _script(char)
        kind = script[0] if script is not None else None
        if units and unicodedata.category(char).startswith("M"):
            units[-1] += char
            run = None  # a run with a mark on it is drawn character by character
        elif kind is not None and kind == run:
            units[-1] += char
        else:
            units.append(char)
            run = kind
    return units


def _latex_unit(unit: str) -> str:
    if len(unit) == 1:
        return _latex_char(unit)
    script = _script_of_run(unit)
    if script is not None:
        inner = "".join(_script(char)[1] for char in unit)
        return _with_actual_text(unit, rf"\ensuremath{{{script}{{{inner}}}}}")
    accented = _accented(unit)
    if accented is not None:
        return accented
    return "".join(_latex_char(char) for char in unit)


def _script_of_run(unit: str) -> str | None:
    """"^" or "_" when every character of `unit` is a superscript, or every one a subscript."""
    scripts = {_script(char)[0] if _script(char) else None for char in unit}
    return scripts.pop() if len(scripts) == 1 else None


def _script(char: str) -> tuple[str, str] | None:
    """A superscript or subscript character as ("^" or "_", its letters in math: ⁻ -> "-", ᶿ ->
    "{\\theta}"), from its Unicode decomposition; None for any other character, or one whose letters
    math does not have."""
    tag, *codes = unicodedata.decomposition(char).split() or [""]
    if tag not in _SCRIPTS or not codes:
        return None
    letters = [_math_letter(chr(int(code, 16))) for code in codes]
    if None in letters:
        return None
    return _SCRIPTS[tag], "".join(letters)


def _math_letter(char: str) -> str | None:
    if char.isascii() and (char.isalnum() or char in "+-=()"):
        return char
    if char == "−":
        return "-"
    if char in _GREEK:
        return f"{{{_GREEK[char]}}}"
    return None


def _latex_char(char: str) -> str:
    if char in _SPECIALS:
        return _SPECIALS[char]
    if char in _DRAWN:
        return _with_actual_text(char, _DRAWN[char])
    if " " <= char <= "~" or char in "\n\t":
        return char
    if not char.isprintable():
        return "?"
    script = _script(char)
    if script is not None:
        return _with_actual_text(char, rf"\ensuremath{{{script[0]}{{{script[1]}}}}}")
    accented = _accented(char)
    if accented is not None:
        return accented
    return rf"\texttt{{[U+{ord(char):04X}]}}"


def _accented(unit: str) -> str | None:
    """A letter with accents as LaTeX, tagged, or None when its base letter or a mark has no LaTeX
    here: a Latin letter with one accent as an accent command (é -> \\'{e}), a Greek letter (or a
    Latin one with a mark only math has, x⃗) as math accents (θ̂ -> \\hat{\\theta}). TeX cannot put an
    accent command on an accented letter (ǖ): None."""
    base, *marks = unicodedata.normalize("NFD", unit)
    if len(marks) > MAX_MARKS:  # each a group in TeX, which allows 255 nested: stacked beyond reading anyway
        return None
    if len(marks) == 1 and marks[0] in _ACCENTS:
        accented = _text_accented(unit, base, marks[0])
        if accented is not None:
            return accented
    if not marks or any(mark not in _MATH_ACCENTS for mark in marks):
        return None
    if base in _GREEK:
        drawing = _GREEK[base]
    elif "A" <= base <= "Z" or "a" <= base <= "z":
        drawing = rf"\mathrm{{{base}}}"  # upright, as the letter is in the text around it
    else:
        return None
    for mark in marks:
        drawing = rf"{_MATH_ACCENTS[mark]}{{{drawing}}}"
    return _with_actual_text(unit, rf"\ensuremath{{{drawing}}}")


def _text_accented(unit: str, base: str, mark: str) -> str | None:
    if base in _TEXT and base.isalpha():
        letter = _TEXT[base]
    elif "A" <= base <= "Z" or "a" <= base <= "z":
        letter = base
    else:
        return None
    if base in "ij" and mark not in _BELOW:
        letter = rf"\{base}"  # the dotless i or j under an accent
    if mark == _OGONEK:
        # drawn mirrored, which would hide the letter from the PDF's text: the macro tags the letter
        return rf"\byhandogonek{{{_utf16(unit)}}}{{{letter}}}"
    return _with_actual_text(unit, f"{_ACCENTS[mark]}{{{letter}}}")


def _with_actual_text(char: str, drawing: str) -> str:
    """The drawing, tagged in the PDF with the character it stands for (UTF-16, as PDF wants)."""
    return rf"\byhandchar{{{_utf16(char)}}}{{{drawing}}}"


def _utf16(char: str) -> str:
    return char.encode("utf-16-be").hex().upper()
