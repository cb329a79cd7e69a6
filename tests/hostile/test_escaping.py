"""User text cannot run code, reach the file system through LaTeX, or open HTML in Markdown."""

import json
import subprocess
import tomllib

import pytest

import solver
from solver.exercise import parse_exercise
from solver.render.environment import escape_markdown
from solver.render.latex_text import escape_latex
from tests.conftest import EXERCISES, needs_pdflatex

INJECTIONS = [
    r"\input{/etc/passwd}",
    r"\immediate\write18{touch /tmp/byhand-pwned}",
    r"\def\x{\x}\x",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "$\\$ & # ^ _ % ~ { } \\",
    "line one\nline two",
    "η = 0.1 → ½ · x² ∘ y — “quoted” 日本 \x1b[2J \x00",
]


def hostile_exercise(text: str):
    data = tomllib.loads((EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text())
    data["title"] = data["source"] = data["description"] = text
    for part in data["parts"]:
        part["title"] = text
    return parse_exercise(data, "hostile.toml")


@pytest.mark.parametrize("text", INJECTIONS)
def test_markdown_prints_text_not_html(text):
    sheet = solver.solve(hostile_exercise(text)).render("md")
    assert "<script" not in sheet and "<img" not in sheet and "\x1b" not in sheet and "\x00" not in sheet


@pytest.mark.parametrize("text", INJECTIONS)
def test_json_keeps_the_text_exactly(text):
    document = json.loads(solver.solve(hostile_exercise(text)).render("json"))
    assert document["title"] == text


@pytest.mark.parametrize(
    "text,printed",
    [
        (r"\input{/etc/passwd}", r"\textbackslash{}input\{/etc/passwd\}"),
        ("50% & $x$ #1 a_b ^ ~", r"50\% \& \$x\$ \#1 a\byhandchar{005F}{\texttt{\char95}}b "
                                 r"\byhandchar{005E}{\texttt{\char94}} \byhandchar{007E}{\texttt{\char126}}"),
        ("η → ½", r"\byhandchar{03B7}{\ensuremath{\eta}} \byhandchar{2192}{\ensuremath{\to}} "
                  r"\byhandchar{00BD}{\ensuremath{\tfrac12}}"),
        ("Übung 日本", r'\byhandchar{00DC}{\"{U}}bung \texttt{[U+65E5]}\texttt{[U+672C]}'),
    ],
)
def test_latex_escape(text, printed):
    assert escape_latex(text) == printed


def test_markdown_escape():
    assert escape_markdown("<b>&</b>\x1b") == "&lt;b&gt;&amp;&lt;/b&gt;?"


@needs_pdflatex
def test_every_injection_compiles_and_reaches_no_file(tmp_path):
    sheet = solver.solve(hostile_exercise("  ".join(INJECTIONS))).render("tex")
    (tmp_path / "sheet.tex").write_text(sheet)
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "sheet.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:]
    log = (tmp_path / "sheet.log").read_text(errors="replace")
    assert "(/etc/passwd" not in log  # pdflatex logs every file it opens as "(path"
    assert not (tmp_path.parent / "byhand-pwned").exists()
