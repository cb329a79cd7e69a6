"""The HTML sheet in a real browser: headless Chromium lays the maths out as MathML (a fraction's
numerator above its denominator, a matrix's rows one under another, every <math> with a box of
its own), shows no raw LaTeX, and on a phone-wide screen the page is no wider than the screen while
every number in a matrix stays whole (a matrix too wide scrolls; its cells are never squeezed).

The page tested is a copy of the sheet with a script added at its end (only in the copy) that
measures the laid-out page and writes the numbers into the DOM, which Chromium then dumps. Headless
Chromium's window is at least 500 pixels wide, so the copy is shown in a phone-sized frame
(srcdoc, of the same origin as the page around it, where the script writes its numbers).
"""

import html
import json
import re
import shutil
import subprocess

import pytest

import solver
from tests.conftest import write_uniform_network
from tests.test_cli import byhand

CHROMIUM = next((shutil.which(name) for name in ("chromium", "chromium-browser") if shutil.which(name)), None)
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs Debian's chromium)"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]
pytest.importorskip("latex2mathml", reason='the HTML format needs latex2mathml: pip install ".[test]" or "byhand[html]"')

PHONE = (390, 844)
MEASURE = """
<script>
(() => {
  const box = (element) => element.getBoundingClientRect();
  const maths = [...document.querySelectorAll("math")];
  const fractions = [...document.querySelectorAll("mfrac")].map((f) => {
    const [top, bottom] = [...f.children].map(box);
    return {stacked: top.bottom <= bottom.top + 1, width: box(f).width};
  });
  const matrices = [...document.querySelectorAll("mtable:not(.aligned)")].filter((t) => t.children.length > 1)
    .map((t) => box(t.children[1]).top > box(t.children[0]).top);
  // a number in a matrix cell is laid out whole on one line: every character has a box, each on the
  // line of the first and right of the one before (a broken-off part of a cell is not laid out at all)
  const cellNumbers = [...document.querySelectorAll("mtable:not(.aligned) mn")].filter((n) => n.firstChild);
  const brokenNumbers = cellNumbers.filter((n) => {
    const text = n.firstChild;
    const boxes = [...text.data].map((_, i) => {
      const character = document.createRange();
      character.setStart(text, i);
      character.setEnd(text, i + 1);
      return box(character);
    });
    return !boxes.every((b, i) => b.width > 0 && Math.abs(b.top - boxes[0].top) < 1
                                    && (i === 0 || b.left >= boxes[i - 1].right - 1));
  }).map((n) => n.textContent);
  // an aligned display's rows (a wrapped sum's continuations among them), each under the one before
  const aligned = [...document.querySelectorAll("mtable.aligned")].map((t) => {
    const rows = [...t.children].map(box);
    // a continuation: no symbol on the left, and the right goes on with "+", not a new "="
    const continuations = [...t.children].filter((row) => !row.children[0].textContent.trim()
                                                           && !row.children[1].textContent.trim().startsWith("="));
    return {continuations: continuations.length, width: box(t).width,
            stacked: rows.every((r, i) => i === 0 || r.top >= rows[i - 1].bottom - 1)};
  });
  const result = {
    maths: maths.length,
    // (a table's blank cell is an empty <math>)
    empty: maths.filter((m) => m.textContent.trim() && (box(m).width <= 0 || box(m).height <= 0)).length,
    mathClass: maths.length ? getComputedStyle(maths[0]).display : null,
    fractions, matrices, cellNumbers: cellNumbers.length, brokenNumbers, aligned,
    scrollWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    text: document.body.innerText,
  };
  const host = window.parent.document;
  const out = host.createElement("pre");
  out.id = "measured";
  out.hidden = true;
  out.textContent = JSON.stringify(result);
  host.body.appendChild(out);
})();
</script>
"""


def measure(sheet: str, tmp_path, size=PHONE) -> dict:
    """Load `sheet` in headless Chromium, in a frame of `size`, and return the script's numbers."""
    measured = sheet.replace("</body>", MEASURE + "</body>")
    page = tmp_path / "page.html"
    page.write_text(f'<!DOCTYPE html><html><body style="margin:0"><iframe width="{size[0]}" height="{size[1]}" '
                    f'style="border:0;display:block" srcdoc="{html.escape(measured, quote=True)}"></iframe></body></html>',
                    encoding="utf-8")
    run = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
         f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={size[0] + 600},{size[1] + 100}", "--dump-dom",
         page.as_uri()],
        capture_output=True, text=True, timeout=120)
    found = re.search(r'<pre id="measured" hidden="">(.*?)</pre>', run.stdout, re.DOTALL)
    assert found, f"Chromium did not run the page: {run.stderr[-2000:]}"
    return json.loads(found.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
                      .replace("&quot;", '"'))


@pytest.mark.parametrize("name", ["graph-sigmoid-neuron", "mlp-5-3-2-sigmoid", "cnn-vgg-16"])
def test_the_maths_is_laid_out_and_the_page_fits_a_phone(name, tmp_path):
    measured = measure(solver.solve(name).render("html"), tmp_path)
    assert measured["viewport"] == PHONE[0]
    assert measured["maths"] > 10 and measured["empty"] == 0
    assert measured["mathClass"] in ("inline math", "math", "block math")  # Chromium knows <math>
    assert measured["fractions"] or measured["matrices"]
    assert all(fraction["stacked"] and fraction["width"] > 0 for fraction in measured["fractions"])
    assert all(measured["matrices"])
    assert measured["brokenNumbers"] == []
    text = measured["text"]
    assert not re.search(r"\\(frac|begin|left|text|cdot|mathrm)\b", text) and "$" not in text
    # a wide matrix or table scrolls inside its own box; the page itself stays phone-wide
    assert measured["scrollWidth"] <= PHONE[0] + 2


@pytest.mark.parametrize("name, wrapped", [("cnn-lenet-5", 5), ("cnn-vgg-16", 6), ("cnn-alexnet-first-layers", 5)])
def test_a_wrapped_sum_continues_on_rows_one_under_another(name, wrapped, tmp_path):
    measured = measure(solver.solve(name).render("html"), tmp_path, size=(1000, 800))
    assert measured["aligned"] and all(table["stacked"] for table in measured["aligned"])
    assert sum(table["continuations"] > 0 for table in measured["aligned"]) == wrapped
    assert max(table["width"] for table in measured["aligned"]) < 1000
    assert not re.search("&(?!nbsp;)", measured["text"])  # (Chromium's dump writes a no-break space as &nbsp;)


def test_a_wide_sheet_scrolls_its_matrices_not_the_page(tmp_path):
    run = byhand("solve", "mlp-4-4-3-3-softmax-ce", "--format", "html", "-o", "sheet.html", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    measured = measure((tmp_path / "sheet.html").read_text(encoding="utf-8"), tmp_path, size=(320, 640))
    assert measured["empty"] == 0 and measured["scrollWidth"] <= 322


def test_a_matrix_wider_than_a_phone_keeps_every_number_whole(tmp_path):
    # the page's overflow-wrap must not reach into MathML: a cell of 0.123456 squeezed to "0." is a wrong number
    write_uniform_network(tmp_path / "wide.toml", [10, 10, 2], 0.123456, [1, 0.5, 0.25, 0.125, 2, 3, 4, 5, 6, 7],
                          [1, 0])
    run = byhand("solve", "wide.toml", "--format", "html", "-o", "sheet.html", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    sheet = (tmp_path / "sheet.html").read_text(encoding="utf-8")
    assert "<mn>0.123456</mn>" in sheet
    measured = measure(sheet, tmp_path)
    assert measured["cellNumbers"] > 100
    assert measured["brokenNumbers"] == []
    assert measured["scrollWidth"] <= PHONE[0] + 2


def test_the_check_report_shows_the_wrong_step(tmp_path):
    answers = tmp_path / "mine.toml"
    answers.write_text('"a.W2_new" = [[0.0373535, 0.0373535, 0.0373535], [0.173881, 0.173881, 0.173881]]\n')
    run = byhand("check", "mlp-5-3-2-sigmoid", str(answers), "--format", "html", cwd=tmp_path)
    measured = measure(run.stdout, tmp_path)
    assert "✗ wrong" in measured["text"] and "likely slip" in measured["text"]
    assert measured["scrollWidth"] <= PHONE[0] + 2

