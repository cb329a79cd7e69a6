"""The formats a check report is written in (solver/check/report.py)."""

REPORT_FORMATS = ("text", "md", "html", "json")
