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
    # paranoid file access: TeX reads and writes nothing outside its own directory and texmf trees
    environment = {**os.environ, "openout_any": "p", "openin_any": "p"}
    try:
        run = subprocess.run(command, cwd=directory, env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise CompileError(f"pdflatex did not finish within {timeout:g} s; try --format tex") from None
    except OSError as error:
        raise CompileError(f"cannot run pdflatex ({error.strerror})") from None
    log_file = directory / "sheet.log"
    log = log_file.read_text(encoding="latin-1") if log_file.exists() else ""
    # TeX may leave a PDF of the pages before an error: only a clean exit counts
    if run.returncode != 0 or not (directory / "sheet.pdf").is_file():
        # some errors (a line longer than TeX's buffer) reach the terminal but not the log
        problem = _first_error(log) or _first_error(run.stdout.decode("latin-1")) or f"exit status {run.returncode}"
        if "bufsize" in problem:
            problem += " A matrix written in full is longer than a line TeX can read; leave out --full."
        raise CompileError(f"pdflatex failed: {problem} (byhand solve --format tex writes the LaTeX to compile "
                           "by hand and read the whole log)")
    return log


def _first_error(log: str) -> str | None:
    """pdflatex's first error message, with its line: ``line 12: Undefined control sequence.``"""
    match = re.search(r"^(?:\./)?sheet\.tex:(\d+): (.*)$", log, re.MULTILINE)
    if match is not None:
        return f"line {match.group(1)}: {match.group(2)}"
    match = re.search(r"(?:^|\])! (.*)$", log, re.MULTILINE)  # on the terminal it may follow a page's ]
    return match.group(1) if match is not None else None
