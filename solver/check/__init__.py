"""Checking a student's own numbers against the worked solution.

The names below are imported when first used (PEP 562), so that `byhand solve`, which only needs
REPORT_FORMATS for its command line, does not load the checker.
"""

from __future__ import annotations

import importlib

from solver.check.formats import REPORT_FORMATS

_WHERE = {
    "Answers": "answers", "AnswersError": "answers", "load_answers": "answers", "parse_answers": "answers",
    "Report": "checker", "Verdict": "checker", "check": "checker",
    "render_report": "report", "answers_template": "template", "Tolerance": "tolerance",
}

__all__ = ["REPORT_FORMATS", *_WHERE]


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
