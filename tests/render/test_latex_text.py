"""Text from an exercise file prints literally in the LaTeX/PDF sheet: no ligature, every accented
letter and symbol as itself, an unknown character as its code point. The PDF's text is read back
with pdftotext (poppler-utils), which knows nothing of byhand."""

import shutil
import subprocess
import unicodedata

import pytest

import solver
from solver.render.latex_text import escape_latex
from solver.render.pdf import compile_pdf
from tests.conftest import needs_pdflatex
from tests.hostile.test_escaping import hostile_exercise

LIGATURES = "x---y ``q'' ?` !` a--b <<c>> ,,d"
# TeX sets a single ' or ` as the typographic quote of the font, which pdftotext reads as ’ ‘
LIGATURES_READ = "x---y ‘‘q’’ ?‘ !‘ a--b <<c>> ,,d"
LETTERS = "é è ê ë ñ ő ű č š ž ç ş å ā ă ż ė ą ę Ą Ę ï ì í ł Ł ø Ø ß æ Æ œ Œ Å Þ ð ǿ"
GREEK = "αβγδεζηθικλμνξοπρςστυφχψω ϵϕϑ ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ"
SPECIALS = r'||w||_1 x^2 a~b \input{x} "q" $5 & #1 50% a_b_c'
# superscripts and subscripts, a letter with a combining mark that has no precomposed form (x̂, θ̂)
SCRIPTS_AND_MARKS = "Xᵀ (XᵀX)⁻¹ x⁺ a₁₀ wᵢⱼ x̂ θ̂ x⃗ ǖ ά"
SYMBOLS = "√ ∞ ∫ µ ≤ ≥ ≠ ≈ ∑ ∏ ∂ ∇ × · − ± ÷ ∈ → ⇒ ℝ ½ ° ² ′ | < > « » … – — “ ” ¡ ¿ § ©"


@pytest.mark.parametrize(
    "text,latex",
    [
        ("a--b", "a-{}-b"),
        ("x---y", "x-{}-{}-y"),
        ("``q''", "`{}`q'{}'"),
        ("?` !` ,,", "?{}` !{}` ,{},"),
        ('say "hi"', r"say \texttt{\char34}hi\texttt{\char34}"),
        # OT1 draws \_ as a rule and ^ ~ as accents, which the PDF's text would read as " ", ˆ, ˜
        ("w_1", r"w\byhandchar{005F}{\texttt{\char95}}1"),
        ("x^2", r"x\byhandchar{005E}{\texttt{\char94}}2"),
        ("a~b", r"a\byhandchar{007E}{\texttt{\char126}}b"),
        (r"\input{x} $5 & #1 50%", r"\textbackslash{}input\{x\} \$5 \& \#1 50\%"),
        ("é", r"\byhandchar{00E9}{\'{e}}"),
        ("e\u0301", r"\byhandchar{00E9}{\'{e}}"),  # decomposed as typed: the same letter
        ("ï", r'\byhandchar{00EF}{\"{\i}}'),
        ("ő", r"\byhandchar{0151}{\H{o}}"),
        ("ł", r"\byhandchar{0142}{\l{}}"),
        ("ą", r"\byhandogonek{0105}{a}"),
        ("√", r"\byhandchar{221A}{\ensuremath{\surd}}"),
        ("–-", r"\byhandchar{2013}{--}-"),  # a dash drawn as -- stays apart from the hyphen after it
        ("日", r"\texttt{[U+65E5]}"),
        ("😀", r"\texttt{[U+1F600]}"),
        # TeX cannot put an accent command on an accented letter, math can stack accents
        ("ǖ", r"\byhandchar{01D6}{\ensuremath{\bar{\ddot{\mathrm{u}}}}}"),
        # a run of superscripts or of subscripts is one: X^{-}^{1} would be a double superscript
        ("Xᵀ", r"X\byhandchar{1D40}{\ensuremath{^{T}}}"),
        ("X⁻¹", r"X\byhandchar{207B00B9}{\ensuremath{^{-1}}}"),
        ("x²⁺ⁿ", r"x\byhandchar{00B2207A207F}{\ensuremath{^{2+n}}}"),
        ("a₁₀", r"a\byhandchar{20812080}{\ensuremath{_{10}}}"),
        ("wᵢⱼ", r"w\byhandchar{1D622C7C}{\ensuremath{_{ij}}}"),
        ("x₋₁", r"x\byhandchar{208B2081}{\ensuremath{_{-1}}}"),
        ("Xᵀ₁", r"X\byhandchar{1D40}{\ensuremath{^{T}}}\byhandchar{2081}{\ensuremath{_{1}}}"),
        ("xᶿ", r"x\byhandchar{1DBF}{\ensuremath{^{{\theta}}}}"),
        # a letter and its combining mark are one piece: a Latin letter takes the accent command, a
        # Greek one (or a mark only math has) a math accent
        ("x\u0302", r"\byhandchar{00780302}{\^{x}}"),
        ("θ\u0302", r"\byhandchar{03B80302}{\ensuremath{\hat{\theta}}}"),
        ("μ\u0303", r"\byhandchar{03BC0303}{\ensuremath{\tilde{\mu}}}"),
        ("x\u20d7", r"\byhandchar{007820D7}{\ensuremath{\vec{\mathrm{x}}}}"),
        ("ά", r"\byhandchar{03AC}{\ensuremath{\acute{\alpha}}}"),
        # a mark with no letter to sit on, or on a letter with no LaTeX here, is its code point
        (" \u0302", r" \texttt{[U+0302]}"),
        ("日\u0302", r"\texttt{[U+65E5]}\texttt{[U+0302]}"),
        ("a\x00b", "a?b"),
    ],
)
def test_escape(text, latex):
    assert escape_latex(text) == latex


@needs_pdflatex
def test_the_pdf_shows_the_text_literally(tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian poppler-utils) is not installed, so the PDF's text is not read")
    text = "\n\n".join([LIGATURES, LETTERS, GREEK, SYMBOLS, SPECIALS, SCRIPTS_AND_MARKS, 'say "hi" to 日本'])
    (tmp_path / "sheet.pdf").write_bytes(compile_pdf(solver.solve(hostile_exercise(text)).render("tex")))
    read = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "sheet.pdf", "-"], cwd=tmp_path,
                          capture_output=True, text=True, check=True).stdout
    # pdftotext may write an accent as a combining mark after its letter: the same text in NFC
    read = unicodedata.normalize("NFC", read)
    assert LIGATURES_READ in read
    assert SPECIALS in read
    assert 'say "hi" to [U+65E5][U+672C]' in read
    for line in (LETTERS, GREEK, SCRIPTS_AND_MARKS):
        assert line.replace(" ", "") in read.replace(" ", "").replace("\n", "")
    # TeX sets a big operator or a root below the line, where pdftotext starts a new one
    lines = read.split("\n")
    for symbol in SYMBOLS.split():
        assert any(symbol in line for line in lines), symbol


@needs_pdflatex
def test_any_text_compiles():
    """Fuzz: a sheet whose title and description hold characters drawn from every Unicode plane
    in use (letters, marks alone, symbols, controls, surrogates' neighbours, emoji) and runs of
    LaTeX's specials compiles, so no exercise text can break a PDF. One compile for many draws."""
    import random

    draw = random.Random(20261203)
    specials = "\\{}$&#^_%~\"'`-<>,?!|"
    planes = [(0x20, 0x2FF), (0x300, 0x36F), (0x370, 0x3FF), (0x400, 0x52F), (0x1D00, 0x1DFF), (0x1E00, 0x1EFF),
              (0x2000, 0x2BFF), (0x3000, 0x9FFF), (0xE000, 0xF8FF), (0xFB00, 0xFFFD), (0x1D400, 0x1D7FF), (0x1F300, 0x1FAFF)]
    for _ in range(4):  # a title holds at most 500 characters
        pieces = []
        for _ in range(16):
            low, high = draw.choice(planes)
            pieces.append("".join(chr(draw.randint(low, high)) for _ in range(draw.randint(1, 12))))
            pieces.append("".join(draw.choice(specials) for _ in range(draw.randint(1, 6))))
        text = " ".join(pieces)[:500]
        assert compile_pdf(solver.solve(hostile_exercise(text)).render("tex")).startswith(b"%PDF")


@needs_pdflatex
def test_scripts_and_marks_in_any_order_compile():
    """Fuzz: superscripts, subscripts, combining marks and letters in any order (a mark on a
    superscript, a subscript inside a run of superscripts, marks stacked on a special) compile."""
    import random

    draw = random.Random(20261204)
    scripts = [chr(code) for code in range(0x20, 0x2C80)
               if unicodedata.decomposition(chr(code)).startswith(("<super>", "<sub>"))]
    marks = [chr(code) for code in [*range(0x300, 0x370), *range(0x20D0, 0x20F1)]]
    text = "".join(draw.choice(draw.choice([scripts, marks, "xXiθαΣ ^_~\\{}"])) for _ in range(500))
    assert compile_pdf(solver.solve(hostile_exercise(text)).render("tex")).startswith(b"%PDF")


@needs_pdflatex
def test_the_drawing_itself_reads_as_the_character(tmp_path):
    """Without the ActualText the PDF's text is what the glyphs are: _ ^ ~ drawn in typewriter type
    read as themselves, not as a rule or the raised accents ˆ ˜."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian poppler-utils) is not installed, so the PDF's text is not read")
    tex = solver.solve(hostile_exercise("x^2 a~b w_1 each ~ N(0, 1)")).render("tex")
    untagged = tex.replace(r"\ifdefined\pdfliteral", r"\iffalse", 1)
    assert untagged != tex
    (tmp_path / "sheet.pdf").write_bytes(compile_pdf(untagged))
    read = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "sheet.pdf", "-"], cwd=tmp_path,
                          capture_output=True, text=True, check=True).stdout
    assert "x^2 a~b w_1 each ~ N(0, 1)" in read
    assert "ˆ" not in read and "˜" not in read


@needs_pdflatex
def test_a_letter_under_hundreds_of_marks_still_compiles():
    """Each accent is a TeX group and TeX allows 255 nested: a hostile file's θ with 300 hats
    must not break the PDF (beyond a few marks, each is written as its code point)."""
    for text in ["θ" + "\u0302" * 300, "x" + "\u20d7" * 200, "a" + "\u0302\u0303" * 100]:
        assert compile_pdf(solver.solve(hostile_exercise(text)).render("tex")).startswith(b"%PDF")
    assert escape_latex("x" + "\u0302" * 5).count("[U+0302]") == 5
