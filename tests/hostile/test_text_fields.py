"""Every text field of an exercise reaches each format as text, and only as text.

Markdown is checked with an independent CommonMark parser (markdown-it-py, with the table,
strikethrough and dollar-math extensions that GitHub and Jupyter add): whatever a title, source,
part title or description holds, the parsed sheet has exactly the structure of the same sheet
with plain words in those fields (no link, image, HTML, heading, list, emphasis or math more),
and each field's text comes back as written (white space folded). LaTeX sheets with
the same fields compile with pdflatex.
"""

import json
import re
import subprocess
import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

import solver
from solver.exercise import parse_exercise
from tests.conftest import EXERCISES, needs_pdflatex
from tests.hostile import FUZZ

MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(dollarmath_plugin)

HOSTILE = [
    "Title\n# injected heading",
    "[click](javascript:alert(1))",
    "![pixel](https://tracker.example/p.png)",
    "<https://example.com> <script>alert(1)</script> &amp; &lt;",
    "$$\\input{/etc/passwd}$$ and $x$",
    "*emphasis* _under_ **strong** ~~gone~~ `code`",
    "| a | b |\n|---|---|",
    "- item\n+ item\n1. item\n> quote\n---\n===",
    "line one\n\nparagraph two\n\n\n\nthree",
    "\\* \\[ already escaped \\]",
    "   indented code?",
    "\x1b[2J\x1b]0;title\x07 bell",
    "t^^5cinput{^^2fetc^^2fpasswd}",
]


def exercise_with(text: str, description: str | None = None):
    data = tomllib.loads((EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text())
    data["title"] = data["source"] = text
    data["description"] = text if description is None else description
    for part in data["parts"]:
        part["title"] = text
    return parse_exercise(data, "fields.toml")


def folded(text: str) -> str:
    """The text as a one-line field shows it: control characters as "?", white space folded."""
    return " ".join("".join(c if c.isprintable() or c in "\n\t" else "?" for c in text).split())


def inline_texts(tokens) -> list[str]:
    return ["".join(child.content for child in token.children if child.type in ("text", "softbreak"))
            for token in tokens if token.type == "inline"]


def structure(tokens) -> list[str]:
    """The token types, inline ones included, with runs of text and breaks as one "text"."""
    types = []
    for token in tokens:
        types.append(token.type)
        for child in token.children or []:
            kind = "text" if child.type in ("text", "softbreak") else child.type
            if not (kind == "text" and types[-1] == "text"):
                types.append(kind)
    return types


PLAIN = structure(MARKDOWN.parse(solver.solve(exercise_with("Plain words")).render("md")))


def assert_markdown_shows_text(text: str) -> None:
    sheet = solver.solve(exercise_with(text, description="Plain words")).render("md")
    tokens = MARKDOWN.parse(sheet)
    assert structure(tokens) == PLAIN, text
    headings = [inline_texts([tokens[i + 1]])[0] for i, token in enumerate(tokens) if token.type == "heading_open"]
    title = folded(text)
    assert inline_texts([tokens[1]]) == [title]  # the sheet's own heading, the title as written
    assert headings[1:3] == ["The network", f"Part (a) {title}".strip()]
    assert folded(text) in inline_texts(tokens)  # the source


def assert_description_shows_text(text: str) -> None:
    """A description keeps its paragraphs: the structure of a plain one with that many."""
    shown = "".join(c if c.isprintable() or c in "\n\t" else "?" for c in text)
    # a blank line, one of nothing but white space, separates paragraphs
    paragraphs = [folded(p) for p in re.split(r"\n(?:[^\S\n]*\n)+", shown)]
    paragraphs = [p for p in paragraphs if p]
    tokens = MARKDOWN.parse(solver.solve(exercise_with("Plain words", description=text)).render("md"))
    plain = MARKDOWN.parse(solver.solve(exercise_with("Plain words", description="\n\n".join(
        f"Paragraph {i}" for i in range(len(paragraphs))))).render("md"))
    assert structure(tokens) == structure(plain), text
    texts = inline_texts(tokens)
    assert all(paragraph in texts for paragraph in paragraphs), (paragraphs, texts[:6])


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_markdown_fields_are_text(text):
    assert_markdown_shows_text(text)
    assert_description_shows_text(text)


@FUZZ
@given(st.lists(st.sampled_from(list("\\`*_{}[]()#+-.!|~<>$&:/=\n x1") + ["javascript:", "http://", "![", "]("]),
                min_size=1, max_size=25).map("".join).filter(lambda text: text.strip()))
def test_random_markdown_syntax_is_text(text):
    assert_markdown_shows_text(text)
    assert_description_shows_text(text)


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_json_keeps_every_field_exactly(text):
    document = json.loads(solver.solve(exercise_with(text)).render("json"))
    assert document["title"] == text and document["source"] == text


@needs_pdflatex
def test_latex_fields_compile_with_blank_lines_and_payloads(tmp_path):
    text = "  ".join(HOSTILE) + "\n\nsecond paragraph\n\n\nthird"
    sheet = solver.solve(exercise_with(text)).render("tex")
    (tmp_path / "sheet.tex").write_text(sheet)
    run = subprocess.run(["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "sheet.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "(/etc/passwd" not in (tmp_path / "sheet.log").read_text(errors="replace")
    title = sheet.split(r"\title{", 1)[1].split("}\n", 1)[0]
    assert "\n" not in title  # a one-line field stays on one line


def test_a_description_of_twenty_thousand_superscripts_is_written_at_once():
    """A run of superscripts is one ^{…}; it was built by rescanning the run for every character, so
    a 20,000-character run took minutes. The generous bound only catches that, not a slow machine."""
    import time

    data = tomllib.loads((EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text())
    data["description"] = "²" * 19_990
    start = time.perf_counter()
    latex = solver.solve(parse_exercise(data, "long.toml")).render("tex")
    assert time.perf_counter() - start < 10
    assert r"\ensuremath{^{" + "2" * 19_990 + "}}" in latex
