"""The PDF sheet: the LaTeX sheet compiled by pdflatex in a temporary directory, written whole or
not at all; a missing pdflatex or a LaTeX error is one line."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import solver
from solver.errors import MissingDependency
from solver.render.pdf import CompileError, compile_pdf
from tests.conftest import needs_pdflatex
from tests.test_cli import byhand


@needs_pdflatex
def test_a_shipped_sheet_compiles_to_a_pdf_that_shows_its_numbers(tmp_path):
    run = byhand("solve", "mlp-5-3-2-sigmoid", "--format", "pdf", "-o", "sheet.pdf", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    pdf = (tmp_path / "sheet.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet.pdf"]  # nothing of pdflatex's is left
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian poppler-utils) is not installed, so the PDF's text is not read")
    text = subprocess.run(["pdftotext", "sheet.pdf", "-"], cwd=tmp_path, capture_output=True, text=True).stdout
    assert "0.549834" in text and "sigmoid network" in text


@needs_pdflatex
def test_pdf_to_a_pipe_is_the_bytes(tmp_path):
    run = subprocess.run([sys.executable, "-m", "solver", "solve", "graph-sigmoid-neuron", "--format", "pdf"],
                         cwd=tmp_path, capture_output=True, timeout=120)
    assert run.returncode == 0 and run.stdout.startswith(b"%PDF-")


@needs_pdflatex
def test_a_latex_error_is_one_line_with_its_line_number():
    with pytest.raises(CompileError, match=r"pdflatex failed: line 3: Undefined control sequence"):
        compile_pdf("\\documentclass{article}\n\\begin{document}\n\\undefinedcommand\n\\end{document}\n")


@needs_pdflatex
def test_tex_reads_no_file_outside_its_directory(tmp_path):
    secret = tmp_path / "secret.tex"
    secret.write_text("a secret\n")
    document = "\\documentclass{article}\\begin{document}\\input{%s}\\end{document}"
    with pytest.raises(CompileError):
        compile_pdf(document % secret)
    # without the \input the document compiles: it is the file outside that is refused
    assert compile_pdf(document.replace("\\input{%s}", "x")).startswith(b"%PDF-")


def _path_without_pdflatex(tmp_path: Path) -> str:
    """PATH with only the Python running the tests: no pdflatex on it."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    return str(bin_dir)


def test_without_pdflatex_the_error_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(MissingDependency, match="apt-get install texlive-latex-base texlive-pictures"):
        solver.solve("mlp-5-3-2-sigmoid").render("pdf")


def test_cli_without_pdflatex_is_one_line_exit_2_and_writes_nothing(tmp_path):
    env = {**os.environ, "PATH": _path_without_pdflatex(tmp_path)}
    env.pop("PYTHONPATH", None)
    run = subprocess.run([sys.executable, "-m", "solver", "solve", "mlp-5-3-2-sigmoid", "--format", "pdf",
                          "-o", "sheet.pdf"], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "pdflatex" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "sheet.pdf").exists()


def test_a_failing_pdflatex_leaves_the_old_sheet_whole(tmp_path):
    """A pdflatex that writes half a PDF and fails: the error is one line, the old sheet stays."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "pdflatex"
    fake.write_text("#!/bin/sh\nprintf '%%PDF-1.5 half' > sheet.pdf\n"
                    "printf '! Emergency stop.\\n' > sheet.log\nexit 1\n")
    fake.chmod(0o755)
    old = tmp_path / "mlp-5-3-2-sigmoid.pdf"
    old.write_bytes(b"%PDF-1.5 the old sheet")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    run = subprocess.run([sys.executable, "-m", "solver", "solve", "mlp-5-3-2-sigmoid", "--format", "pdf",
                          "--format", "md", "-o", str(tmp_path)], cwd=tmp_path, capture_output=True, text=True,
                         env=env, timeout=120)
    assert run.returncode == 2, run.stderr
    assert run.stderr == "byhand: pdflatex failed: Emergency stop. (byhand solve --format tex writes the LaTeX " \
                         "to compile by hand and read the whole log)\n"
    assert old.read_bytes() == b"%PDF-1.5 the old sheet"
    assert not (tmp_path / "mlp-5-3-2-sigmoid.md").exists()  # all or nothing
