"""A check report as text, Markdown or JSON. Templates place the finished strings built here."""

from __future__ import annotations

import json

from solver.check.answers import Number
from solver.check.checker import CORRECT, FOLLOWS_THROUGH, NOT_CHECKED, WRONG, Report, Verdict
from solver.check.tolerance import finest_unit
from solver.errors import SolverError
from solver.render.environment import printable
from solver.render.format import NumberFormat, plain_matrix

REPORT_FORMATS = ("text", "md", "json")
_TEMPLATES = {"text": "report.txt.j2", "md": "report.md.j2"}
_STYLE = NumberFormat()


def render_report(report: Report, format: str = "text") -> str:
    """The report in "text", "md" or "json"."""
    if format not in REPORT_FORMATS:
        raise SolverError(f"unknown report format {format!r}; expected one of {', '.join(REPORT_FORMATS)}")
    if format == "json":
        return _json(report)
    from solver.render.environment import environment

    template = environment("md").get_template(_TEMPLATES[format])
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
        "exercise": printable(report.exercise.path),
        "answers": printable(report.answers.path),
        "tolerance": tolerance_text(report),
        "summary": summary(report),
        "empty": not report.verdicts,
        "rows": [_row(verdict) for verdict in report.verdicts],
    }


def _row(verdict: Verdict) -> dict:
    written, expected = _written(verdict), _expected(verdict)
    return {
        "step_id": printable(verdict.step_id),
        "outcome": verdict.outcome,
        "written": written,
        "expected": expected if verdict.outcome != CORRECT else "",
        "notes": [printable(note) for note in _notes(verdict)],
    }


def _units(verdict: Verdict) -> list[float | None]:
    numbers = verdict.numbers
    finest = finest_unit(numbers)
    return [finest if n.value == 0 and finest else n.unit for n in numbers]


def _written(verdict: Verdict) -> str:
    """The numbers as the student wrote them, in the nesting they used."""
    def text(numbers) -> str:
        if isinstance(numbers, Number):
            return numbers.text
        return "[" + ", ".join(text(item) for item in numbers) + "]"

    return "—" if verdict.entry.numbers is None else text(verdict.entry.numbers)


def _expected(verdict: Verdict) -> str:
    if verdict.expected is None:
        return ""
    units = _units(verdict) if verdict.expected.size == len(verdict.numbers) else None
    return plain_matrix(verdict.expected, units, _STYLE)


def _notes(verdict: Verdict) -> list[str]:
    notes = []
    if verdict.outcome == FOLLOWS_THROUGH:
        notes.append(f"follows correctly from your value of {', '.join(verdict.follows_from) or 'an earlier step'}")
    if verdict.outcome == WRONG and verdict.followed is not None:
        units = _units(verdict) if verdict.followed.size == len(verdict.numbers) else None
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
                "expected_to_digits_written": _expected(verdict) or None,
                "follows_from": list(verdict.follows_from),
                "slips": [{"name": slip.name.lower(), "description": slip.description} for slip in verdict.slips],
                "reason": verdict.reason,
            }
            for verdict in report.verdicts
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
