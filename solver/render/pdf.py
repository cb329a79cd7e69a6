"""The LaTeX sheet compiled to PDF by pdflatex.

pdflatex runs in a temporary directory that is removed afterwards, without shell escape (no
\\write18), non-interactively, stopping at the first error, and with a time limit. Only the PDF's
bytes leave the directory; writing them is the caller's (atomically, solver/output.py).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from solver.errors import MissingDependency, SolverError

INSTALL_HINT = ("the PDF format needs pdflatex with TikZ: on Debian or Ubuntu apt-get install texlive-latex-base "
                "texlive-pictures; elsewhere install TeX Live (https://tug.org/texlive/) or use --format tex")
TIMEOUT = 300.0
"""Seconds one pdflatex run may take (a 784-100-10 batch-32 sheet takes about a second)."""
_PASSES = 3
"""At most this many runs: a second one only when LaTeX asks for it (a label or a long table)."""


class CompileError(SolverError):
    """pdflatex could not make a PDF of a sheet."""


def require() -> str:
    """The path of pdflatex; MissingDependency, saying how to install it, when there is none."""
    program = shutil.which("pdflatex")
    if program is None:
        raise MissingDependency(INSTALL_HINT)
    return program


def compile_pdf(tex: str, timeout: float = TIMEOUT) -> bytes:
    """The PDF of the LaTeX document `tex`; MissingDependency when there is no pdflatex,
    CompileError (with pdflatex's first error and its line) when it fails."""
    program = require()
    with tempfile.TemporaryDirectory(prefix="byhand-pdf-") as directory:
        source = Path(directory) / "sheet.tex"
        source.write_text(tex, encoding="utf-8")
        for _ in range(_PASSES):
            log = _run(program, Path(directory), timeout)
            if "Rerun to get" not in log:
                break
        return (Path(directory) / "sheet.pdf").read_bytes()


def _run(program: str, directory: Path, timeout: float) -> str:
    command = [program, "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error",
               "sheet.tex"]
    # TeX finds its files by kpathsea; only the sheet's own directory is written to
    environment = {**os.environ, "openout_any": "p", "openin_any": "p"}
    try:
        subprocess.run(command, cwd=directory, env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise CompileError(f"pdflatex did not finish within {timeout:g} s; try --format tex") from None
    except OSError as error:
        raise CompileError(f"cannot run pdflatex ({error.strerror})") from None
    log_file = directory / "sheet.log"
    log = log_file.read_text(encoding="latin-1") if log_file.exists() else ""
    if not (directory / "sheet.pdf").is_file() or _first_error(log):
        raise CompileError(f"pdflatex failed: {_first_error(log) or 'no PDF was written'} "
                           "(run byhand solve --format tex and pdflatex on it to see the whole log)")
    return log


def _first_error(log: str) -> str | None:
    """pdflatex's first error message, with its line: ``sheet.tex:12: Undefined control sequence``."""
    match = re.search(r"^(?:\./)?sheet\.tex:(\d+): (.*)$", log, re.MULTILINE) or re.search(r"^! (.*)$", log, re.MULTILINE)
    if match is None:
        return None
    return f"line {match.group(1)}: {match.group(2)}" if match.lastindex == 2 else match.group(1)
