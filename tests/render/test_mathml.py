"""Our finished LaTeX as MathML: every construct the sheets emit converts, nothing is left as raw
LaTeX, and text is escaped once."""

import re
import sys
from xml.etree.ElementTree import fromstring

import pytest

import solver
from solver.errors import MissingDependency
from solver.render import mathml
from solver.render.view import sheet_view
from solver.resources import shipped_exercises

pytest.importorskip("latex2mathml", reason='the HTML format needs latex2mathml: pip install ".[test]" or "byhand[html]"')

M = "{http://www.w3.org/1998/Math/MathML}"
COMMAND = re.compile(r"\\[A-Za-z]+|\\[{}|,;!]")


def _no_raw_latex(markup: str) -> None:
    """`markup` is well-formed XML and none of its text is a LaTeX command or a $."""
    tree = fromstring(markup)
    text = "".join(tree.itertext())
    assert not COMMAND.search(text), text
    assert "$" not in text


@pytest.mark.parametrize("latex, shows", [
    (r"\begin{bmatrix} 0.5 & \cdots \\ \vdots & \ddots \end{bmatrix}", ["0.5", "⋯", "⋮", "⋱"]),
    (r"\frac{1}{1 + e^{- z}}", ["1", "e"]),
    (r"\left(x^{[2]} - z\right) \circ \sigma'\left(z^{[2]}\right)", ["∘", "σ"]),
    (r"\operatorname{tanh}\left(z\right)", ["tanh"]),
    (r"\text{connections}^{[1]} = 122{,}304", ["connections", "122", "304"]),
    (r"1.5 \times 10^{-7}", ["×", "−"]),
    (r"\left[x \geq 0\right] \qquad \text{note}\;x", ["≥", "note"]),
    (r"\hat{y}, \mathcal{L}, W_{ij}, y^{(k)}, \tfrac12", ["y", "ℒ", "W"]),
    (r"\underbrace{x + y}_{\text{sum}}", ["sum"]),
])
def test_constructs_the_sheets_use_become_mathml(latex, shows):
    markup = mathml.inline(latex)
    _no_raw_latex(markup)
    text = "".join(fromstring(markup).itertext())
    for piece in shows:
        assert piece in text


def test_text_is_escaped_once():
    markup = mathml.inline(r"\text{<script>alert(1)</script> & more}")
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    # latex2mathml keeps the spaces of \text{} as no-break spaces
    assert "".join(fromstring(markup).itertext()).replace("\xa0", " ") == "<script>alert(1)</script> & more"


def test_an_aligned_display_is_a_table_of_rows():
    markup = mathml.aligned([("x", "= 1"), ("", r"= \frac{2}{2}")])
    tree = fromstring(markup)
    assert tree.get("display") == "block"
    rows = tree.findall(f"./{M}mtable/{M}mtr")
    assert [[cell.get("class") for cell in row] for row in rows] == [["left", "right"], ["left", "right"]]
    _no_raw_latex(markup)


def test_a_row_break_inside_a_cell_is_a_row_of_the_table():
    # LaTeX's aligned sets "s &= a + b \\ &\quad + c" as two rows, the second's left cell empty;
    # a \\ inside a matrix stays in the matrix
    markup = mathml.aligned([("s", r"= a + b \\ &\quad + \begin{bmatrix} 1 \\ 2 \end{bmatrix}"), ("", "= 4")])
    rows = fromstring(markup).findall(f"./{M}mtable/{M}mtr")
    cells = [["".join(cell.itertext()) for cell in row] for row in rows]
    assert cells == [["s", "=a+b"], ["", "+[12]"], ["", "=4"]]
    assert [len(row[1].findall(f".//{M}mtable/{M}mtr")) for row in rows] == [0, 2, 0]
    assert "&amp;" not in markup and "linebreak" not in markup


@pytest.mark.parametrize("latex, number", [
    ("1{,}516", "<mn>1,516</mn>"),
    ("122{,}304", "<mn>122,304</mn>"),
    ("138{,}357{,}544", "<mn>138,357,544</mn>"),
    ("1{,}234.5", "<mn>1,234.5</mn>"),
])
def test_a_grouped_number_is_one_mn(latex, number):
    markup = mathml.inline(rf"\text{{count}} = {latex} + 2")
    assert f'<mtext>count</mtext><mo>=</mo>{number}<mo>+</mo><mn>2</mn>' in markup


def test_a_comma_between_numbers_is_not_a_group():
    assert "<mn>1</mn><mo>,</mo><mn>516</mn>" in mathml.inline("f(1, 516)")


@pytest.mark.parametrize("latex, letter", [
    (r"\mathrm{A}", '<mi mathvariant="normal">A</mi>'),
    (r"x^{(i)} = \mathrm{H}", '<mo>=</mo><mi mathvariant="normal">H</mi>'),
    (r"\mathrm{d}x", '<mi mathvariant="normal">d</mi><mi>x</mi>'),
    (r"\text{Votes } \mathrm{A}", '<mtext>Votes\xa0</mtext><mi mathvariant="normal">A</mi>'),
])
def test_an_upright_letter_stays_upright(latex, letter):
    assert letter in mathml.inline(latex)


def test_an_italic_letter_stays_italic():
    assert mathml.inline("A + x").count("<mi>") == 2


def test_a_sign_after_an_operator_is_unary():
    tree = fromstring(mathml.inline(r"x = -1 - \left(-3\right)"))
    signs = [node for node in tree.iter(f"{M}mo") if node.text == "−"]
    assert [sign.get("form") for sign in signs] == ["prefix", None, "prefix"]


@pytest.mark.parametrize("path", shipped_exercises(), ids=lambda path: path.stem)
def test_every_math_on_every_shipped_sheet_converts(path):
    sheet = sheet_view(solver.solve(path))
    sentences = [*sheet.setup, *sheet.conventions, *(fact for part in sheet.parts for fact in part.facts)]
    maths = [latex for sentence in sentences for latex in re.findall(r"\$([^$]+)\$", sentence)]
    for part in sheet.parts:
        for group in part.groups:
            for block in group.blocks:
                for equation in block.equations:
                    _no_raw_latex(mathml.aligned([(equation.symbol, "= " + line) for line in equation.lines]))
        if part.table:
            maths += [*part.table.headers, *(cell for row in part.table.rows for cell in row)]
    for latex in maths:
        _no_raw_latex(mathml.inline(latex))


def test_without_latex2mathml_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "latex2mathml", None)
    monkeypatch.setitem(sys.modules, "latex2mathml.converter", None)
    mathml._convert_to_element.cache_clear()
    try:
        with pytest.raises(MissingDependency, match=r'pip install "byhand\[html\]"'):
            solver.solve("mlp-5-3-2-sigmoid").render("html")
    finally:
        mathml._convert_to_element.cache_clear()
