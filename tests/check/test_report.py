"""What a check report shows, in each of its formats: what the student wrote (also when it
could not be read), escaped for the format."""

from __future__ import annotations

import json
import tomllib

import pytest

import solver
from solver.check import check, parse_answers

UNREADABLE = '"a.x1" = ["abc", "1,5", nan]\n"a.x2" = "1,5"\n"a.E" = nan\n"a.z2" = [1, "<b>x</b> | *y*"]\n'


def report_of(text: str):
    return check(solver.load("mlp-5-3-2-sigmoid"), parse_answers(tomllib.loads(text), "mine.toml"))


def test_text_shows_an_unreadable_entry_as_written():
    text = report_of(UNREADABLE).render("text")
    for written in ('["abc", "1,5", nan]', '"1,5"', "nan", '[1, "<b>x</b> | *y*"]'):
        assert f"  you wrote: {written}\n" in text
    assert "—" not in text


def test_markdown_escapes_what_was_written():
    rows = {line.split(" | ")[0]: line for line in report_of(UNREADABLE).render("md").splitlines()}
    assert r'| could not check | \["abc", "1,5", nan\] |' in rows["| a.x1"]
    assert '| could not check | "1,5" |' in rows["| a.x2"] and "| could not check | nan |" in rows["| a.E"]
    # the | would end the cell, the <b> would be HTML, the * emphasis
    assert r'\[1, "&lt;b&gt;x&lt;/b&gt; \| \*y\*"\]' in rows["| a.z2"]


def test_html_escapes_what_was_written():
    page = report_of(UNREADABLE).render("html")
    assert "<td><code>[&quot;abc&quot;, &quot;1,5&quot;, nan]</code></td>" in page
    assert "<td><code>&quot;1,5&quot;</code></td>" in page and "<td><code>nan</code></td>" in page
    assert "<b>x" not in page and "&lt;b&gt;x&lt;/b&gt;" in page


def test_json_lists_each_value_written():
    steps = {step["id"]: step for step in json.loads(report_of(UNREADABLE).render("json"))["steps"]}
    assert steps["a.x1"]["written"] == ['"abc"', '"1,5"', "nan"]
    assert steps["a.x2"]["written"] == ['"1,5"'] and steps["a.E"]["written"] == ["nan"]
    assert steps["a.z2"]["written"] == ["1", '"<b>x</b> | *y*"']
    assert all(step["verdict"] == "could not check" for step in steps.values())


@pytest.mark.parametrize("text,shown", [
    ('"a.E" = "' + "9" * 500 + '"', '"' + "9" * 80 + '"…'),  # a long string is cut
    ('"a.E" = true', "true"),
    ('"a.E" = [[[1]], [2]]', "[[…], [2]]"),  # deeper than a matrix
    ('"a.E" = ' + "1" * 300, "an integer of about 300 digits"),
])
def test_what_cannot_be_shown_whole_is_cut_short(text, shown):
    (verdict,) = report_of(text).verdicts
    assert verdict.outcome == "could not check" and verdict.entry.text == shown


def test_long_unreadable_lists_stop_after_a_screenful():
    (verdict,) = report_of('"a.W1" = [' + ", ".join(['"abc"'] * 5000) + "]").verdicts
    assert verdict.entry.text.endswith(", …]") and len(verdict.entry.text) < 1200


def test_a_count_reads_as_on_the_sheet():
    # AlexNet CONV1: 55 × 55 × 96 outputs, each joined to 11 · 11 · 3 inputs and its bias
    connections = (11 * 11 * 3 + 1) * 55 * 55 * 96
    grouped = f"{connections:,}"
    assert grouped == "105,705,600"
    exercise = solver.load("cnn-alexnet-first-layers")
    report = check(exercise, parse_answers({"a.l1.connections": "105,415,200"}, "mine.toml"))
    assert f"  expected:  {grouped}\n" in report.render("text")
    assert f"| {grouped} |" in report.render("md") and f"<td><code>{grouped}</code></td>" in report.render("html")
    steps = json.loads(report.render("json"))["steps"]
    assert steps[0]["expected_as_on_the_sheet"] == grouped and steps[0]["expected"] == connections
    assert f"= {grouped.replace(',', '{,}')}" in solver.solve(exercise).render("md")


def test_a_number_of_a_kind_that_is_not_counted_keeps_the_sheets_figures():
    # an MLP's numbers are not counts: six significant figures, as its sheet writes them
    from math import exp

    report = report_of('"a.x1" = [0.7, 0.7, 0.7]\n')
    sigma = f"{1 / (1 + exp(-0.2)):.6g}"
    assert f"expected:  [{sigma}, {sigma}, {sigma}]" in report.render("text")


def test_an_exact_sheet_s_expected_values_are_fractions_as_on_the_sheet(tmp_path):
    """The three points (0, 1), (1, 2), (2, 4): θ = (XᵀX)⁻¹Xᵀy worked here in Fractions."""
    from fractions import Fraction

    X = [(Fraction(x), Fraction(1)) for x in (0, 1, 2)]
    y = [Fraction(v) for v in (1, 2, 4)]
    a, b, c = (sum(r[i] * r[j] for r in X) for i, j in ((0, 0), (0, 1), (1, 1)))
    p, q = (sum(r[i] * v for r, v in zip(X, y)) for i in (0, 1))
    determinant = a * c - b * b
    theta = ((c * p - b * q) / determinant, (a * q - b * p) / determinant)
    (tmp_path / "mine.toml").write_text('"a.theta" = ["3/2", "1/2"]\n')
    report = solver.check_answers("least-squares-line-3-points", tmp_path / "mine.toml")
    assert f"expected:  [{theta[0]}, {theta[1]}]" in report.render("text")
    assert json.loads(report.render("json"))["steps"][0]["expected_as_on_the_sheet"] == f"[{theta[0]}, {theta[1]}]"
