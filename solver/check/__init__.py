"""Checking a student's own numbers against the worked solution."""

from solver.check.answers import Answers, AnswersError, load_answers, parse_answers
from solver.check.checker import Report, Verdict, check
from solver.check.report import REPORT_FORMATS, render_report
from solver.check.template import answers_template
from solver.check.tolerance import Tolerance

__all__ = [
    "REPORT_FORMATS", "Answers", "AnswersError", "Report", "Tolerance", "Verdict",
    "answers_template", "check", "load_answers", "parse_answers", "render_report",
]
