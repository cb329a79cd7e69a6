"""A teacher's batch job: many exercises, each solved and rendered in every format asked, the
sheets collected for one atomic write (solver/output.py).

Without `keep_going` the first exercise that cannot be solved stops everything (its SolverError
propagates and nothing is written). With it, that exercise is listed as failed, none of its
sheets is kept, and the others go on; the caller writes what was made and exits with status 1.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from solver.engine.steps import Solution
from solver.errors import OutputError, SolverError
from solver.output import is_stream
from solver.render import EXTENSIONS, render, render_with_images

SUMMARY_LISTS = 5
"""The summary line names at most this many failed exercises (the errors above it name them all)."""


@dataclass(frozen=True)
class Failure:
    """An exercise that could not be solved or rendered, and why."""

    name: str
    error: SolverError


@dataclass(frozen=True)
class Batch:
    """What a batch made: the files to write (sheets and their pictures), the exercises solved and
    the ones that failed, in the order given."""

    outputs: dict[Path, str | bytes]
    solved: tuple[str, ...]
    failures: tuple[Failure, ...]

    def summary(self) -> str:
        """One line: ``solved 28 exercises, 1 failed: exercises/bad.toml``."""
        solved = len(self.solved)
        line = f"solved {solved} exercise{'s' if solved != 1 else ''}"
        if self.failures:
            named = ", ".join(failure.name for failure in self.failures[:SUMMARY_LISTS])
            more = f" and {len(self.failures) - SUMMARY_LISTS} more" if len(self.failures) > SUMMARY_LISTS else ""
            line += f", {len(self.failures)} failed: {named}{more}"
        return line


def solve_batch(names: Sequence[str], formats: Sequence[str], sheet_path: Callable[[Path, str], Path],
                solution_of: Callable[[str], tuple[Path, Solution]], *, precision: int | None = None,
                full: bool = False, keep_going: bool = False,
                progress: Callable[[int, int, str], None] | None = None,
                failed: Callable[[Failure], None] | None = None) -> Batch:
    """Solve and render each exercise of `names`: `solution_of(name)` finds, loads and solves it
    (returning its path too), `sheet_path(path, format)` says where its sheet goes. `progress(i,
    n, name)` is told before each exercise and `failed(failure)` after each one that fails
    (with `keep_going`; without it the SolverError propagates)."""
    outputs: dict[Path, str | bytes] = {}
    solved: list[str] = []
    failures: list[Failure] = []
    for index, name in enumerate(names, 1):
        if progress is not None:
            progress(index, len(names), name)
        try:
            path, solution = solution_of(name)
            made = _sheets(path, solution, formats, sheet_path, precision, full)
        except OutputError:
            raise  # where to write is the whole batch's problem, not this exercise's
        except SolverError as error:
            if not keep_going:
                raise
            failures.append(Failure(name, error))
            if failed is not None:
                failed(failures[-1])
            continue
        for destination, content in made.items():
            if destination in outputs:
                raise OutputError(f"two sheets would be written to {destination}; give the exercises "
                                  "different names", key="--output")
            outputs[destination] = content
        solved.append(name)
    return Batch(outputs, tuple(solved), tuple(failures))


def _sheets(path: Path, solution: Solution, formats: Sequence[str], sheet_path: Callable[[Path, str], Path],
            precision: int | None, full: bool) -> dict[Path, str | bytes]:
    """Every file one exercise makes: each format's sheet, and the pictures beside it."""
    made: dict[Path, str | bytes] = {}
    for format in formats:
        sheet = sheet_path(path, format)
        if sheet.is_symlink():  # the sheet is written where the link points: its pictures go beside it there
            sheet = Path(os.path.realpath(sheet))
        if is_stream(sheet):  # -o /dev/stdout, a pipe: the pictures go inside the sheet, as on stdout
            text, images = render(solution, format, precision, full=full), {}
        else:  # a sheet's pictures are files beside it, named after it
            text, images = render_with_images(solution, format, sheet.stem, precision, full=full)
        for destination, content in ((sheet, text), *((sheet.with_name(n), i) for n, i in images.items())):
            if destination in made:
                raise OutputError(f"two sheets would be written to {destination}; give the exercises "
                                  "different names", key="--output")
            made[destination] = content
    return made


def sheet_name(path: Path, format: str) -> str:
    """The file name of `path`'s sheet in `format` inside an output directory."""
    return f"{path.stem}{EXTENSIONS[format]}"
