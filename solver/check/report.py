"""A check report as text, Markdown or JSON. Templates place the finished strings built here."""

from __future__ import annotations

import json

import numpy as np

from solver.check.checker import CORRECT, FOLLOWS_THROUGH, NOT_CHECKED, WRONG, Report, Verdict
from solver.check.tolerance import Tolerance, finest_unit
from solver.errors import SolverError
from solver.text import QUOTE_LIMIT, one_line
from solver.render.format import NumberFormat, plain_matrix

REPORT_FORMATS = ("text", "md", "html", "json")
_TEMPLATES = {"text": "report.txt.j2", "md": "report.md.j2", "html": "report.html.j2"}
MARKS = {CORRECT: "✓", FOLLOWS_THROUGH: "✓", WRONG: "✗", NOT_CHECKED: "?"}
"""The sign before a verdict in an HTML report, so that a wrong step shows without its colour."""
_STYLE = NumberFormat()


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
    return "the digits written (rounded or truncated)"


def _view(report: Report) -> dict:
    return {
        "exercise": one_line(report.exercise.path),
        "answers": one_line(report.answers.path),
        "tolerance": tolerance_text(report),
        "summary": summary(report),
        "empty": not report.verdicts,
        "rows": [_row(verdict, report.tolerance) for verdict in report.verdicts],
    }


def _row(verdict: Verdict, tolerance: Tolerance) -> dict:
    written, expected = verdict.entry.text, _expected(verdict, tolerance)
    return {
        "step_id": one_line(verdict.step_id, QUOTE_LIMIT),
        "outcome": verdict.outcome,
        "mark": MARKS[verdict.outcome],
        "css": verdict.outcome.replace(" ", "-"),
        "written": one_line(written),
        "expected": expected if verdict.outcome != CORRECT else "",
        "notes": [one_line(note, 4 * QUOTE_LIMIT) for note in _notes(verdict, tolerance)],
    }


def _units(verdict: Verdict, tolerance: Tolerance, value: np.ndarray) -> list[float | None] | None:
    """The place value each number of `value` is shown to: the digit the tolerance judged it at."""
    numbers = verdict.numbers
    if value.size != len(numbers):
        return None
    finest = finest_unit(numbers)
    return [tolerance.unit(number, finest) for number in numbers]


def _expected(verdict: Verdict, tolerance: Tolerance) -> str:
    if verdict.expected is None:
        return ""
    return plain_matrix(verdict.expected, _units(verdict, tolerance, verdict.expected), _STYLE)


def _notes(verdict: Verdict, tolerance: Tolerance) -> list[str]:
    notes = []
    if verdict.outcome == FOLLOWS_THROUGH:
        notes.append(f"follows correctly from your value of {', '.join(verdict.follows_from) or 'an earlier step'}")
    if verdict.outcome == WRONG and verdict.followed is not None:
        units = _units(verdict, tolerance, verdict.followed)
        origins = ", ".join(verdict.follows_from)
        notes.append(f"from your values of {origins} it would be {plain_matrix(verdict.followed, units, _STYLE)}")
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
        "tolerance": {"rule": tolerance_text(report), "rtol": report.tolerance.rtol, "sigfigs": report.tolerance.sigfigs},
        "summary": report.counts,
        "exit_status": report.exit_status,
        "steps": [
            {
                "id": verdict.step_id,
                "symbol": verdict.symbol,
                "verdict": verdict.outcome,
                "written": [n.text for n in verdict.numbers],
                "expected": None if verdict.expected is None else verdict.expected.tolist(),
                "expected_to_digits_written": _expected(verdict, report.tolerance) or None,
                "follows_from": list(verdict.follows_from),
                "slips": [{"name": slip.name.lower(), "description": slip.description} for slip in verdict.slips],
                "reason": verdict.reason,
            }
            for verdict in report.verdicts
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
