"""The HTML sheet and check report: one self-contained file, prose escaped for HTML, every math as
MathML, large matrices elided unless --full, a wrong step marked by more than its colour."""

import re
import sys
from html.parser import HTMLParser

import pytest

import solver
from solver.exercise import parse_exercise
from tests.conftest import EXERCISES, network_exercise, wide_network_solution
from tests.test_cli import byhand

pytest.importorskip("latex2mathml", reason='the HTML format needs latex2mathml: pip install ".[test]" or "byhand[html]"')


class _Page(HTMLParser):
    """What a browser would load (src, href, url(...)), the text shown outside <math> and <style>,
    and the elements by tag."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.loads: list[str] = []
        self.prose: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self._inside: list[str] = []
        self.feed(text)
        self.loads += re.findall(r"url\(\s*['\"]?([^'\")]+)", text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        self.loads += [value for name, value in attrs if name in ("src", "href", "xlink:href", "data", "srcset")]
        if tag in ("math", "style", "svg", "script") or self._inside:
            self._inside.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.loads += [value for name, value in attrs if name in ("src", "href", "xlink:href", "data", "srcset")]

    def handle_endtag(self, tag):
        if self._inside:
            self._inside.pop()

    def handle_data(self, data):
        if not self._inside:
            self.prose.append(data)


@pytest.fixture(scope="module")
def sigmoid_page():
    return _Page(solver.solve("mlp-5-3-2-sigmoid").render("html"))


def test_the_sheet_is_one_file_that_loads_nothing(sigmoid_page):
    assert [load for load in sigmoid_page.loads if not load.startswith("#")] == []
    assert not any(tag in ("script", "link", "img", "iframe", "object") for tag, _ in sigmoid_page.tags)
    assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) in sigmoid_page.tags


def test_every_math_is_mathml_and_no_latex_is_left_in_the_prose(sigmoid_page):
    prose = "".join(sigmoid_page.prose)
    assert "$" not in prose and not re.search(r"\\[A-Za-z]", prose), prose
    assert sum(tag == "math" for tag, _ in sigmoid_page.tags) > 20
    assert sum(tag == "svg" for tag, _ in sigmoid_page.tags) == 1  # the network, inline
    assert "0.549834" in solver.solve("mlp-5-3-2-sigmoid").render("html")


@pytest.mark.parametrize("path", sorted(EXERCISES.glob("*.toml")), ids=lambda path: path.stem)
def test_every_shipped_sheet_renders_without_latex_in_its_prose(path):
    page = _Page(solver.solve(path).render("html"))
    prose = "".join(page.prose)
    assert "$" not in prose and not re.search(r"\\[A-Za-z]", prose), path.stem
    # nor a Markdown or LaTeX escape (\_ \* \#): HTML shows the character itself
    assert not re.findall(r"\\[!-/:-@[-`{-~]", prose), path.stem
    assert [load for load in page.loads if not load.startswith("#")] == []
    markers = [attributes["id"] for tag, attributes in page.tags if tag == "marker"]
    assert len(markers) == len(set(markers)), "two pictures share an arrowhead id"


@pytest.mark.parametrize("path", sorted(EXERCISES.glob("*.toml")), ids=lambda path: path.stem)
def test_no_alignment_mark_or_ignored_line_break_is_left_in_the_maths(path):
    # LaTeX's "\\\\ &" of a wrapped sum is a row of the aligned table, never a literal & and a
    # <mspace linebreak>, which Chromium ignores
    maths = re.findall(r"<math\b.*?</math>", solver.solve(path).render("html"), re.DOTALL)
    assert maths
    assert not [math for math in maths if "&amp;" in math or "linebreak" in math], path.stem


@pytest.mark.parametrize("name", ["cnn-lenet-5", "cnn-vgg-16"])
def test_the_largest_layer_is_an_upright_argmax(name):
    sheet = solver.solve(name).render("html")
    assert "<msub><mo>argmax</mo><mrow><mi>ℓ</mi></mrow></msub>" in sheet
    assert "<mo>*</mo>" not in sheet


def test_hostile_text_is_escaped_for_html():
    data = network_exercise([1, 1], ["sigmoid"], weights=[[[0.5]]], biases=[[0.0]],
                            samples=[{"input": [1.0], "target": [1.0]}])
    data["title"] = '<script>alert("t")</script> & <img src=x onerror=alert(1)>'
    data["source"] = "</p><iframe src='https://example.com'>"
    data["description"] = "First <b>paragraph</b> & $\\input{/etc/passwd}$\n\nSecond `code` <!-- x -->"
    text = solver.solve(parse_exercise(data)).render("html")
    page = _Page(text)
    assert not any(tag in ("script", "img", "iframe", "b") for tag, _ in page.tags)
    assert "&lt;script&gt;" in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "<!-- x -->" not in text
    prose = "".join(page.prose)
    assert '<script>alert("t")</script>' in prose and "$\\input{/etc/passwd}$" in prose  # shown as written
    assert sum(tag == "p" for tag, _ in page.tags) >= 3  # source and two paragraphs


def test_large_matrices_are_elided_unless_full():
    solution = wide_network_solution()
    elided, full = solution.render("html"), solution.render("html", full=True)
    assert "⋱" in elided and "⋱" not in full
    assert full.count("<mtd>") > 2 * elided.count("<mtd>")


def test_cli_writes_an_html_sheet(tmp_path):
    run = byhand("solve", "graph-sigmoid-neuron", "--format", "html", "-o", "sheet.html", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet.html"]  # the picture is inside it
    page = _Page((tmp_path / "sheet.html").read_text(encoding="utf-8"))
    assert any(tag == "svg" for tag, _ in page.tags)


def test_cli_without_latex2mathml_is_one_line_and_writes_nothing(tmp_path):
    # a module of that name that fails to import stands for the missing package
    (tmp_path / "latex2mathml").mkdir()
    (tmp_path / "latex2mathml" / "__init__.py").write_text("raise ImportError('not installed')\n")
    run = byhand("-c", "import sys; sys.path.insert(0, '.'); from solver.cli import main; "
                 "sys.exit(main(sys.argv[1:]))", "solve", "mlp-5-3-2-sigmoid", "--format", "html", "-o", "s.html",
                 cwd=tmp_path, entry=(sys.executable,))
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and 'pip install "byhand[html]"' in run.stderr
    assert not (tmp_path / "s.html").exists()


WRONG_ANSWERS = """\
"a.x1" = [0.5498, 0.5498, 0.5498]
"a.W2_new" = [[0.0373535, 0.0373535, 0.0373535], [0.173881, 0.173881, 0.173881]]
"<script>alert(1)</script>" = 1
"""


def test_check_report_in_html_marks_the_wrong_step(tmp_path):
    answers = tmp_path / "mine.toml"
    answers.write_text(WRONG_ANSWERS)
    run = byhand("check", "mlp-5-3-2-sigmoid", str(answers), "--format", "html", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    page = _Page(run.stdout)
    rows = {attributes.get("id"): attributes.get("class") for tag, attributes in page.tags if tag == "tr"}
    assert rows["a.W2_new"] == "wrong" and rows["a.x1"] == "correct"
    assert rows["<script>alert(1)</script>"] == "could-not-check"
    assert not any(tag == "script" for tag, _ in page.tags)
    wrong_row = run.stdout[run.stdout.index('id="a.W2_new"'):].split("</tr>")[0]
    assert "✗ wrong" in wrong_row and "likely slip: the gradient is added instead of subtracted" in wrong_row
    assert "tr.wrong" in run.stdout  # its own style: background and a coloured verdict


def test_readme_html_excerpt_is_real():
    readme = (EXERCISES.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index('<div class="math" id="a.g">')
    excerpt = readme[start : readme.index("…", start)]
    assert excerpt in solver.solve("graph-sigmoid-neuron").render("html")
    assert (EXERCISES.parent / "docs" / "html-sheet.png").is_file()
