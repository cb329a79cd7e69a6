"""A check report as text, Markdown or JSON. Templates place the finished strings built here."""

from __future__ import annotations

import json

import numpy as np

from solver.check.checker import CORRECT, FOLLOWS_THROUGH, NOT_CHECKED, WRONG, Report, Verdict
from solver.check.formats import REPORT_FORMATS
from solver.errors import SolverError
from solver.kinds import kind
from solver.render.format import NumberFormat, plain_matrix
from solver.text import QUOTE_LIMIT, one_line

_TEMPLATES = {"text": "report.txt.j2", "md": "report.md.j2", "html": "report.html.j2"}
MARKS = {CORRECT: "✓", FOLLOWS_THROUGH: "✓", WRONG: "✗", NOT_CHECKED: "?"}
"""The sign before a verdict in an HTML report, so that a wrong step shows without its colour."""


def render_report(report: Report, format: str = "text") -> str:
    """The report in "text", "md", "html" (a page of its own) or "json"."""
    if format not in REPORT_FORMATS:
        raise SolverError(f"unknown report format {format!r}; expected one of {', '.join(REPORT_FORMATS)}")
    if format == "json":
        return _json(report)
    from solver.render.environment import environment

    template = environment("html" if format == "html" else "md").get_template(_TEMPLATES[format])
    return template.render(report=_view(report), escape=format == "md")


def summary(report: Report) -> str:
    counts = report.counts
    return ", ".join(f"{counts[outcome]} {outcome}" for outcome in (CORRECT, FOLLOWS_THROUGH, WRONG, NOT_CHECKED))


def tolerance_text(report: Report) -> str:
    tolerance = report.tolerance
    if tolerance.rtol is not None:
        return f"relative tolerance {tolerance.rtol:g}"
    if tolerance.sigfigs is not None:
        return f"{tolerance.sigfigs} significant figures"
    return (f"the digits written (rounded or truncated), and at least {tolerance.fewest} significant figures "
            "unless exactly the true value")


def _view(report: Report) -> dict:
    return {
        "exercise": one_line(report.exercise.path),
        "answers": one_line(report.answers.path),
        "tolerance": tolerance_text(report),
        "summary": summary(report),
        "empty": not report.verdicts,
        "rows": [_row(verdict, _style(report)) for verdict in report.verdicts],
    }


def _style(report: Report) -> NumberFormat:
    """Numbers as the exercise's sheet writes them: its precision, and a count of a kind whose
    steps are counts with every digit, its thousands grouped (105,705,600)."""
    return NumberFormat(precision=report.exercise.precision, whole_numbers=kind(report.exercise.kind).whole_numbers)


def _row(verdict: Verdict, style: NumberFormat) -> dict:
    written, expected = verdict.entry.text, _expected(verdict, style)
    return {
        "step_id": one_line(verdict.step_id, QUOTE_LIMIT),
        "outcome": verdict.outcome,
        "mark": MARKS[verdict.outcome],
        "css": verdict.outcome.replace(" ", "-"),
        "written": one_line(written),
        "expected": expected if verdict.outcome != CORRECT else "",
        "notes": [one_line(note, 4 * QUOTE_LIMIT) for note in _notes(verdict, style)],
    }


def _shown(value: np.ndarray, style: NumberFormat) -> str:
    """A true value as the sheet writes it, by the sheet's own rule (solver/render/format.py), to its
    precision: not to the digits the student wrote, which could make 1.41421 look like the 1
    written for it. Fractions (an exact sheet's values) stay fractions."""
    return plain_matrix(value, None, style)


def _expected(verdict: Verdict, style: NumberFormat) -> str:
    if verdict.expected is None:
        return ""
    return _shown(verdict.expected if verdict.exact is None else verdict.exact, style)


def _notes(verdict: Verdict, style: NumberFormat) -> list[str]:
    notes = []
    if verdict.outcome == FOLLOWS_THROUGH:
        notes.append(f"follows correctly from your value of {', '.join(verdict.follows_from) or 'an earlier step'}")
    if verdict.outcome == WRONG and verdict.followed is not None:
        origins = ", ".join(verdict.follows_from)
        notes.append(f"from your values of {origins} it would be {_shown(verdict.followed, style)}")
    if verdict.slips:
        first, *others = verdict.slips
        notes.append(f"likely slip: {first.description}")
        notes.extend(f"also consistent with: {slip.description}" for slip in others)
    elif verdict.outcome == WRONG:
        notes.append("no typical slip reproduces this value")
    if verdict.reason:
        notes.append(verdict.reason)
    return notes


def _json(report: Report) -> str:
    document = {
        "exercise": report.exercise.path,
        "answers": report.answers.path,
        "tolerance": {"rule": tolerance_text(report), "rtol": report.tolerance.rtol, "sigfigs": report.tolerance.sigfigs,
                      "fewest_sigfigs": report.tolerance.fewest if report.tolerance.digits_written else None},
        "summary": report.counts,
        "exit_status": report.exit_status,
        "steps": [
            {
                "id": verdict.step_id,
                "symbol": verdict.symbol,
                "verdict": verdict.outcome,
                "written": verdict.entry.written_flat,
                "expected": None if verdict.expected is None else verdict.expected.tolist(),
                "expected_as_on_the_sheet": _expected(verdict, _style(report)) or None,
                "follows_from": list(verdict.follows_from),
                "slips": [{"name": slip.name.lower(), "description": slip.description} for slip in verdict.slips],
                "reason": verdict.reason,
            }
            for verdict in report.verdicts
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
